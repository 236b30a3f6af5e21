/**
 * The alone process (R-PROC-1, R-SUP-4, R-SUP-5, R-MSG-4): one background process next to the
 * workers, started first, for work that must run once (a job queue, a long-lived client).
 *   npm run build && node dist/samples/alone/main.js
 * Workers hand jobs to 'A'; A runs them one at a time and tells the submitting worker when each is
 * done; it broadcasts a setting to every worker; an uncaught error in A is logged and A stays up.
 * When every job is done, A tells the master, which stops the group.
 */
import 'reflect-metadata';
import {
  Alone, ClusterCore, Master, Module, OnMessage, Trace, Worker, bootstrap, defineAction,
  type MessageContext, type OnApplicationReady, type OnProcessDidInit,
} from 'clustercore';

interface Job { id: string; from: string; size: number }

/** Answers how many jobs are ahead of the new one. */
const Enqueue = defineAction<{ id: string; size: number }, number>('jobs:enqueue');
const JobDone = defineAction<{ id: string; result: number }, void>('jobs:done');
const AllDone = defineAction<{ count: number }, void>('jobs:all-done');
const Setting = defineAction<{ key: string; value: string }, void>('settings:changed');
const JOBS_PER_WORKER = 2;
const WORKERS = 2;

const say = (core: ClusterCore, text: string) => console.log(`[${core.processId}] ${text}`);

@Alone()
class JobRunner implements OnProcessDidInit {
  private readonly queue: Job[] = [];
  private done = 0;
  private running = false;

  constructor(private readonly core: ClusterCore) {}

  onProcessDidInit(): void {
    say(this.core, 'job runner up (started before any worker)');
    // A bug in a background task must not take the alone process down: it is logged, A stays up.
    setTimeout(() => { throw new Error('a background task failed'); }, 0);
  }

  @OnMessage(Enqueue) @Trace()
  enqueue(p: { id: string; size: number }, ctx: MessageContext): number {
    const ahead = this.queue.length + (this.running ? 1 : 0);
    this.queue.push({ id: p.id, from: ctx.fromProcessId, size: p.size });
    say(this.core, `queued job ${p.id} from ${ctx.fromProcessId}`);
    void this.runNext();
    return ahead;
  }

  private async runNext(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      await new Promise((r) => setTimeout(r, 20)); // the work
      await this.core.send(job.from, JobDone, { id: job.id, result: job.size * 2 });
      this.done++;
    }
    this.running = false;
    if (this.done === JOBS_PER_WORKER * WORKERS) {
      await this.core.broadcast(Setting, { key: 'queue', value: 'drained' });
      say(this.core, `ran ${this.done} jobs; telling the master`);
      await this.core.send('M', AllDone, { count: this.done });
    }
  }
}

@Worker()
class Submitter implements OnProcessDidInit {
  constructor(private readonly core: ClusterCore) {}

  async onProcessDidInit(processId: string): Promise<void> {
    for (let i = 1; i <= JOBS_PER_WORKER; i++) {
      const id = `${processId.replace(':', '').toLowerCase()}-${i}`;
      const ahead = await this.core.request('A', Enqueue, { id, size: i * 10 });
      say(this.core, `job ${id} handed to A (${ahead} job(s) ahead of it)`);
    }
  }

  @OnMessage(JobDone)
  jobDone(p: { id: string; result: number }, ctx: MessageContext): void {
    say(this.core, `job ${p.id} done by ${ctx.fromProcessId}: result ${p.result}`);
  }

  @OnMessage(Setting)
  setting(p: { key: string; value: string }, ctx: MessageContext): void {
    say(this.core, `setting ${p.key}=${p.value} from ${ctx.fromProcessId}`);
  }
}

@Master()
class Supervisor implements OnApplicationReady {
  constructor(private readonly core: ClusterCore) {}

  async onApplicationReady(): Promise<void> {
    say(this.core, `group is up: ${(await this.core.getAllProcessIds()).join(', ')}`);
  }

  @OnMessage(AllDone)
  async allDone(p: { count: number }): Promise<void> {
    say(this.core, `A ran all ${p.count} jobs; stopping`);
    await this.core.shutdown(0);
  }
}

@Module({ providers: [JobRunner, Submitter, Supervisor] })
class AppModule {}

bootstrap(AppModule, { workers: WORKERS }).catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
