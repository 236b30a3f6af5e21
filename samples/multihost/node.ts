/**
 * One node of the multi-host sample: a master and two workers joined to a cluster over Redis.
 *   node dist/samples/multihost/node.js <node> <peer> [namespace]
 * Once the peer node is up, this node's W:1 adds 1 to the shared counter five times (the global
 * object lives in Redis, so both nodes count into the same one) and greets the peer's workers with
 * requests; W:2 counts the greetings it gets. When both nodes are done the counter is 10 and each
 * node shuts itself down.
 */
import 'reflect-metadata';
import {
  ClusterCore, Master, Module, OnMessage, Trace, Worker, bootstrap, defineAction,
  type MessageContext, type OnApplicationReady,
} from 'clustercore';

const [node = 'a', peer = 'b', namespace = 'multihost-sample'] = process.argv.slice(2);

const Greet = defineAction<{ name: string }, string>('greet');
const Start = defineAction<void, void>('start');

const say = (core: ClusterCore, text: string) => console.log(`[${core.nodeId}/${core.processId}] ${text}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Worker()
class Greeter {
  constructor(private readonly core: ClusterCore) {}

  @OnMessage(Greet) @Trace()
  greet(p: { name: string }, ctx: MessageContext): string {
    return `hello ${p.name}, this is ${this.core.nodeId}/${this.core.processId} (you are ${ctx.fromProcessId} to me)`;
  }

  @OnMessage(Start)
  async start(): Promise<void> {
    const core = this.core;
    for (let i = 0; i < 5; i++) {
      const after = await core.global.update((g: { counter?: number }) => ({ counter: (g.counter ?? 0) + 1 }));
      say(core, `counter +1 -> ${String(after.counter)}`);
    }
    for (const target of [`${peer}/W:1`, `${peer}/W:2`]) {
      say(core, `asked ${target}: ${await core.request(target, Greet, { name: `${core.nodeId}/${core.processId}` })}`);
    }
    await core.global.update((g: { done?: string[] }, me: string) => ({ done: [...(g.done ?? []), me] }), core.nodeId ?? node);
  }
}

@Master()
class Coordinator implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  async onApplicationReady(): Promise<void> {
    const core = this.core;
    say(core, `node '${core.nodeId}' is up; waiting for node '${peer}'`);
    while (!(await core.getAllProcessIds()).includes(`${peer}/W:2`)) await sleep(50);
    say(core, `the cluster: ${(await core.getAllProcessIds()).join(', ')}`);
    await core.send('W:1', Start);
    // Both nodes done: the counter holds both nodes' increments.
    for (;;) {
      const g = (await core.global.get()) as { counter?: number; done?: string[] };
      if ((g.done ?? []).length === 2) {
        say(core, `both nodes done: counter = ${String(g.counter)}`);
        break;
      }
      await sleep(50);
    }
    await core.shutdown(0);
  }
}

@Module({ providers: [Greeter, Coordinator] })
class App {}

void bootstrap(App, {
  workers: 2,
  cluster: { redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', node, namespace },
});
