/**
 * clustercore contender of the multi-host bench: one node (master + one worker) per process.
 *   node cc-node.js <client|server> <namespace>
 * The client's W:1 runs the workload against the server node's W:1 and prints `RESULT {...}`.
 */
import 'reflect-metadata';
import { ClusterCore, Master, Module, OnMessage, Trace, Worker, bootstrap, type OnApplicationReady } from 'clustercore';
import { measure, type Peer } from './workload';

const [role = 'server', namespace = 'bench-mh'] = process.argv.slice(2);
const node = role;
let count = 0;
let waiter: { target: number; resolve: () => void } | null = null;

@Worker()
class Bench {
  constructor(private readonly core: ClusterCore) {}

  @OnMessage('ping') @Trace()
  ping(n: number): number {
    return n;
  }

  @OnMessage('evt')
  evt(): void {
    if (role !== 'server') return;
    count++;
    if (waiter && count >= waiter.target) {
      waiter.resolve();
      waiter = null;
    }
  }

  @OnMessage('reset') @Trace()
  reset(): boolean {
    count = 0;
    return true;
  }

  @OnMessage('seen') @Trace()
  seen(target: number): Promise<boolean> | boolean {
    if (count >= target) return true;
    return new Promise((resolve) => { waiter = { target, resolve: () => resolve(true) }; });
  }

  @OnMessage('go')
  async go(): Promise<void> {
    const core = this.core;
    const to = 'server/W:1';
    const peer: Peer = {
      request: (n) => core.request(to, 'ping', n),
      broadcast: (n) => core.broadcast('evt', n),
      eventsSeen: (target) => core.request(to, 'seen', target, { timeout: 300_000 }).then(() => undefined),
      resetEvents: () => core.request(to, 'reset').then(() => undefined),
      increment: () => core.global.update((g: { c?: number }) => ({ c: (g.c ?? 0) + 1 })),
    };
    const figures = await measure(peer);
    process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
  }
}

@Master()
class Boss implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  async onApplicationReady(): Promise<void> {
    if (role !== 'client') return;
    while (!(await this.core.getAllProcessIds()).includes('server/W:1')) await new Promise((r) => setTimeout(r, 50));
    await this.core.send('W:1', 'go');
  }
}

@Module({ providers: [Bench, Boss] })
class App {}

// A title per node: two groups of one app on one machine would otherwise ask for the same control socket.
void bootstrap(App, { title: `mh-${role}`, workers: 1, traceTimeout: 120_000, logger: { info() {}, warn: console.warn, error: console.error }, cluster: { redis: 'redis://127.0.0.1:6379', node, namespace } });
