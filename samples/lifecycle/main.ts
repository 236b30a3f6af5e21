/**
 * Lifecycle hooks of role classes (R-DEC-5, R-PROC-3/4, R-PIPE, R-TRACE-4, R-SUP-2/4/7).
 *   npm run build && node dist/samples/lifecycle/main.js
 * Every hook prints when it runs, so the output is the lifecycle in order:
 * constructor → onProcessDidInit (master, then each worker) → onApplicationReady (master) →
 * onProcessWillReceiveMessage (middleware: it drops messages marked spam) → a handler, or
 * onProcessDidReceiveMessage for an action without one, or onProcessDidDiscardMessage →
 * onProcessTraceMessageTimeout (a request not answered in time; its late reply is discarded) →
 * onWorkerProcessDidExit (a worker exits; with refork on the master replaces it) →
 * onProcessWillExit everywhere at shutdown.
 */
import 'reflect-metadata';
import {
  ClusterCore, Macros, Master, Module, OnMessage, Trace, TraceTimeoutError, Worker, bootstrap,
  type ExitDetail, type MessageContext, type MessageData, type NextFunction, type OnApplicationReady, type OnProcessDidDiscardMessage,
  type OnProcessDidInit, type OnProcessDidReceiveMessage, type OnProcessTraceMessageTimeout,
  type OnProcessWillExit, type OnProcessWillReceiveMessage, type OnWorkerProcessDidExit, type ReceivedData,
} from 'clustercore';

const say = (core: ClusterCore, text: string) => console.log(`[${core.processId}] ${text}`);

@Worker()
class Web implements OnProcessDidInit, OnProcessWillReceiveMessage, OnProcessDidReceiveMessage, OnProcessDidDiscardMessage, OnProcessWillExit {
  constructor(private readonly core: ClusterCore) {
    say(core, 'Web constructed');
  }

  onProcessDidInit(processId: string, launchParams: string[]): void {
    say(this.core, `onProcessDidInit(${processId}, ${launchParams.length} launch params)`);
  }

  onProcessWillReceiveMessage(fromProcessId: string, data: ReceivedData, next: NextFunction): void {
    const spam = (data.payload as { spam?: boolean } | undefined)?.spam === true;
    say(this.core, `onProcessWillReceiveMessage(${fromProcessId}, ${data.action})${spam ? ' → discard' : ''}`);
    next(spam ? Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD : undefined);
  }

  onProcessDidReceiveMessage(fromProcessId: string, data: ReceivedData): void {
    say(this.core, `onProcessDidReceiveMessage(${fromProcessId}, ${data.action}) — no handler for it`);
  }

  onProcessDidDiscardMessage(fromProcessId: string, data: ReceivedData): void {
    say(this.core, `onProcessDidDiscardMessage(${fromProcessId}, ${data.action})`);
  }

  onProcessWillExit(): void {
    say(this.core, 'onProcessWillExit: closing up');
  }

  @OnMessage('greet')
  greet(payload: { name: string }): void {
    say(this.core, `@OnMessage('greet') handler: hello ${payload.name}`);
  }

  @OnMessage('slow') @Trace()
  slow(): Promise<string> {
    return new Promise((resolve) => setTimeout(() => resolve('late answer'), 300));
  }

  @OnMessage('exit')
  exit(): void {
    say(this.core, 'exiting with code 3');
    process.exit(3);
  }
}

@Master()
class Boss implements OnProcessDidInit, OnApplicationReady, OnWorkerProcessDidExit, OnProcessTraceMessageTimeout, OnProcessDidDiscardMessage, OnProcessWillExit {
  private replaced = false;

  constructor(private readonly core: ClusterCore) {
    say(core, 'Boss constructed');
  }

  onProcessDidInit(processId: string): void {
    say(this.core, `onProcessDidInit(${processId})`);
  }

  async onApplicationReady(): Promise<void> {
    say(this.core, 'onApplicationReady: every process is up');
    const core = this.core;
    await core.send('W:1', 'greet', { name: 'Ada' });
    await core.send('W:1', 'greet', { name: 'Spammer', spam: true });
    await core.send('W:1', 'unknown-action', { x: 1 });
    try {
      await core.request('W:1', 'slow', undefined, { timeout: 100 });
    } catch (e) {
      if (e instanceof TraceTimeoutError) say(core, `request rejected: ${e.message}`);
    }
  }

  onProcessTraceMessageTimeout(toProcessId: string, data: MessageData): void {
    say(this.core, `onProcessTraceMessageTimeout(${toProcessId}, ${data.action})`);
  }

  onProcessDidDiscardMessage(fromProcessId: string, data: ReceivedData): void {
    // The late reply of 'slow' arrives here; then a worker is made to exit.
    say(this.core, `onProcessDidDiscardMessage(${fromProcessId}, ${data.action}: ${JSON.stringify(data.payload)})`);
    void this.core.send('W:2', 'exit');
  }

  onWorkerProcessDidExit(id: string, detail: ExitDetail): void {
    if (this.replaced) return;
    this.replaced = true;
    say(this.core, `onWorkerProcessDidExit(${id}, code ${detail.code}) — refork replaces it`);
  }

  onProcessWillExit(): void {
    say(this.core, 'onProcessWillExit');
  }

  /** Every worker says hello when it starts; the hello of the replacement ends the sample. */
  @OnMessage('hello')
  async hello(_p: unknown, ctx: MessageContext): Promise<void> {
    if (!this.replaced) return;
    say(this.core, `${ctx.fromProcessId} is back; shutting down`);
    await this.core.shutdown(0);
  }
}

/** A second role class of the workers: it says hello to the master at start. */
@Worker()
class Announcer implements OnProcessDidInit {
  constructor(private readonly core: ClusterCore) {}

  async onProcessDidInit(): Promise<void> {
    await this.core.send('M', 'hello');
  }
}

@Module({ providers: [Boss, Web, Announcer] })
class AppModule {}

bootstrap(AppModule, { workers: 2 }).catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
