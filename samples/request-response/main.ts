/**
 * Request / response with the decorator API (R-DEC-3, R-DEC-4, R-TRACE-6).
 *   npm run build && node dist/samples/request-response/main.js
 * Workers answer typed requests with `@OnMessage(action) @Trace()`: the returned (or awaited) value
 * is the reply, a throw arrives as RemoteError, an action nobody handles is refused at once, and a
 * handler that takes too long ends in TraceTimeoutError. Worker → worker requests go through the
 * master without any extra code. The master prints every outcome, then stops the group.
 */
import 'reflect-metadata';
import {
  ClusterCore, Master, Module, OnMessage, RemoteError, Trace, TraceTimeoutError, Worker, bootstrap, defineAction,
  type MessageContext, type OnApplicationReady,
} from 'clustercore';

// Each action once, with its payload and result types.
const Add = defineAction<{ a: number; b: number }, number>('math:add');
const Divide = defineAction<{ a: number; b: number }, number>('math:divide');
const Lookup = defineAction<{ user: string }, { user: string; plan: string }>('users:lookup');
const AskPeer = defineAction<{ peer: string; a: number; b: number }, string>('math:ask-peer');
const Slow = defineAction<void, string>('slow');

const say = (core: ClusterCore, text: string) => console.log(`[${core.processId}] ${text}`);

@Worker()
class MathWorker {
  constructor(private readonly core: ClusterCore) {}

  @OnMessage(Add) @Trace()
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }

  @OnMessage(Divide) @Trace()
  divide(p: { a: number; b: number }): number {
    if (p.b === 0) throw new RangeError(`cannot divide ${p.a} by zero`);
    return p.a / p.b;
  }

  @OnMessage(Lookup) @Trace()
  async lookup(p: { user: string }, ctx: MessageContext): Promise<{ user: string; plan: string }> {
    say(this.core, `lookup of ${p.user} asked by ${ctx.fromProcessId}`);
    await new Promise((r) => setTimeout(r, 10)); // a database call, say
    return { user: p.user, plan: p.user === 'ada' ? 'pro' : 'free' };
  }

  @OnMessage(AskPeer) @Trace()
  async askPeer(p: { peer: string; a: number; b: number }): Promise<string> {
    const sum = await this.core.request(p.peer, Add, { a: p.a, b: p.b });
    return `${this.core.processId} asked ${p.peer}: ${p.a} + ${p.b} = ${sum}`;
  }

  @OnMessage(Slow) @Trace()
  slow(): Promise<string> {
    return new Promise((resolve) => setTimeout(() => resolve('too late'), 500));
  }
}

@Master()
class Client implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  async onApplicationReady(): Promise<void> {
    const core = this.core;
    say(core, `2 + 3 = ${await core.request('W:1', Add, { a: 2, b: 3 })}`);
    say(core, `10 / 4 = ${await core.request('W:2', Divide, { a: 10, b: 4 })}`);
    say(core, `ada: ${JSON.stringify(await core.request('W:2', Lookup, { user: 'ada' }))}`);
    say(core, await core.request('W:1', AskPeer, { peer: 'W:2', a: 20, b: 22 }));
    try {
      await core.request('W:1', Divide, { a: 1, b: 0 });
    } catch (e) {
      if (e instanceof RemoteError) say(core, `RemoteError from ${e.fromProcessId}: ${e.remoteName}: ${e.message}`);
    }
    try {
      await core.request('W:1', 'math:sqrt', 16);
    } catch (e) {
      if (e instanceof RemoteError) say(core, `refused at once: ${e.message}`);
    }
    try {
      await core.request('W:2', Slow, undefined, { timeout: 100 });
    } catch (e) {
      if (e instanceof TraceTimeoutError) say(core, `TraceTimeoutError: ${e.message}`);
    }
    say(core, 'done');
    await core.shutdown(0);
  }
}

@Module({ providers: [MathWorker, Client] })
class AppModule {}

bootstrap(AppModule, { workers: 2 }).catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
