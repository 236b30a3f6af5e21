/**
 * Rolling reload (R-SUP-6) and graceful replacement of one child (maxMemory, R-SUP-8).
 *
 *   for each worker, `reloadConcurrency` at a time:
 *     fork a replacement (same id, kept aside) ─► it reports ready ─► promote: the id's messages
 *     now reach it ─► the old one retires (onProcessWillExit, servers stop accepting and finish,
 *     exit; killed after shutdownTimeout + 1 s)
 *   a replacement that fails to start (its onProcessDidInit threw, not ready within startupTimeout,
 *   exited) is killed and the rollout stops with ReloadError; the old workers keep serving.
 *   The alone process is replaced stop-then-start: two alone processes never run at once.
 *
 * Calls while a reload runs join one queued reload that starts after it; each caller settles with
 * the reload that began after its call.
 */
import { ClusterCoreError, ReloadError, toWireError } from '../../protocol/errors';
import { InternalActions } from '../../protocol/macros';
import { ALONE_ID } from '../../protocol/process-id';
import type { ExitDetail, ExitReason } from '../hooks';
import { safeCall } from '../safe-call';
import type { ChildEntry } from './process-table';
import type { MasterEngine } from './master-engine';

/** Options of MasterEngine.reload(). */
export interface ReloadOptions {
  /** Also replace the alone process (stop, then start). Default false. */
  alone?: boolean;
  /** Told of each replacement once the new process took the id over. */
  onReplaced?: (id: string, oldPid: number | undefined, newPid: number | undefined) => void;
}

type Listener = NonNullable<ReloadOptions['onReplaced']>;

interface Queued {
  alone: boolean;
  listeners: Listener[];
  promise: Promise<void>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Drives reloads and single replacements for one master. */
export class Reloader {
  private running: Promise<void> | null = null;
  private queued: Queued | null = null;
  /** Ids being replaced now, so a reload and a memory replacement never replace one id twice at once. */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly master: MasterEngine) {
    // A child's core.reload(): the answer goes back once the rollout ended (to the very process that asked).
    master.handleInternal(InternalActions.RELOAD, (env) => {
      const alone = (env.data.payload as { alone?: unknown } | undefined)?.alone === true;
      const answer = (error: unknown) => master.replyInternal(env, error ? { action: InternalActions.RELOAD_RESULT, error: toWireError(error) } : { action: InternalActions.RELOAD_RESULT });
      this.reload({ alone }).then(() => answer(null), answer);
    });
  }

  /** True while a rollout runs. */
  get active(): boolean {
    return this.running !== null;
  }

  /** Starts a reload, or joins the one queued behind the running one. */
  reload(options: ReloadOptions): Promise<void> {
    const listeners = options.onReplaced ? [options.onReplaced] : [];
    if (!this.running) return this.begin(options.alone === true, listeners);
    if (!this.queued) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      this.queued = { alone: false, listeners: [], promise, resolve, reject };
    }
    this.queued.alone ||= options.alone === true;
    this.queued.listeners.push(...listeners);
    return this.queued.promise;
  }

  /** Replaces one live child gracefully for `reason` (maxMemory): new one first; the alone stop-then-start. */
  async replaceOne(id: string, reason: ExitReason): Promise<void> {
    await this.replace(id, reason, () => undefined, 0);
  }

  private begin(alone: boolean, listeners: Listener[]): Promise<void> {
    const run = this.rollout(alone, listeners);
    this.running = run;
    const after = () => {
      this.running = null;
      const q = this.queued;
      this.queued = null;
      if (q) this.begin(q.alone, q.listeners).then(q.resolve, q.reject);
    };
    run.then(after, after);
    return run;
  }

  private async rollout(alone: boolean, listeners: Listener[]): Promise<void> {
    const master = this.master;
    const { logger } = master.options;
    if (master.isStopping) throw new ClusterCoreError('reload: the group is shutting down; nothing was replaced');
    const started = Date.now();
    const ids = master.table.workerIds();
    const concurrency = master.health.reloadConcurrency;
    const withAlone = alone && master.table.get(ALONE_ID) !== undefined;
    logger.info(`reload: replacing ${ids.length} worker(s), ${concurrency} at a time${withAlone ? ', after the alone process (stop, then start)' : ''}`);
    const notify: Listener = (id, oldPid, newPid) => {
      for (const l of listeners) safeCall(logger, 'reload onReplaced', () => l(id, oldPid, newPid));
    };
    if (withAlone) await this.replace(ALONE_ID, 'reload', notify, started);
    let next = 0;
    let failure: unknown = null;
    const lane = async (): Promise<void> => {
      while (failure === null && next < ids.length) {
        const id = ids[next++];
        try {
          await this.replace(id, 'reload', notify, started);
        } catch (err) {
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, lane));
    if (failure !== null) {
      logger.error(`reload stopped after ${Date.now() - started} ms: ${(failure as Error).message}`);
      throw failure;
    }
    logger.info(`reload: done in ${Date.now() - started} ms`);
  }

  /** Replaces the live process of `id` unless it started at or after `since` (0: always). */
  private async replace(id: string, reason: ExitReason, notify: Listener, since: number): Promise<void> {
    for (let p = this.busy.get(id); p; p = this.busy.get(id)) await p.catch(() => undefined);
    const old = this.master.table.get(id);
    // Gone: its restart runs the new code anyway. Started since the reload began: already new.
    if (!old || (since > 0 && old.startedAt >= since)) return;
    const run = id === ALONE_ID ? this.replaceAlone(old, reason) : this.replaceWorker(old, reason);
    const done = run.then((fresh) => notify(id, old.pid, fresh.pid));
    this.busy.set(id, done);
    try {
      await done;
    } finally {
      this.busy.delete(id);
    }
  }

  private async replaceWorker(old: ChildEntry, reason: ExitReason): Promise<ChildEntry> {
    const master = this.master;
    const fresh = master.spawnWorker(old.id, true);
    try {
      await this.startOf(fresh);
    } catch (err) {
      await master.end(fresh, reason);
      throw new ReloadError(old.id, (err as Error).message);
    }
    const retiring = master.promote(fresh);
    master.options.logger.info(`${old.id} replaced (${reason}): pid ${old.pid} -> ${fresh.pid}; pid ${old.pid} retires`);
    if (retiring) await master.retire(retiring, reason);
    return fresh;
  }

  private async replaceAlone(old: ChildEntry, reason: ExitReason): Promise<ChildEntry> {
    const master = this.master;
    await master.retire(old, reason);
    const fresh = master.spawnAlone();
    if (!fresh) throw new ReloadError(ALONE_ID, 'another alone process was started meanwhile');
    try {
      await this.startOf(fresh);
    } catch (err) {
      // Killed as a crash: the supervisor keeps restarting the alone process with back-off.
      fresh.kill('SIGKILL');
      throw new ReloadError(ALONE_ID, (err as Error).message);
    }
    master.options.logger.info(`${ALONE_ID} replaced (${reason}): pid ${old.pid} -> ${fresh.pid}`);
    return fresh;
  }

  /** Resolves when `entry` reported ready; rejects with why it did not (its own error first). */
  private startOf(entry: ChildEntry): Promise<void> {
    const master = this.master;
    const { startupTimeout } = master.options;
    if (entry.ready) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (err: Error | null) => {
        clearTimeout(timer);
        master.events.off('process-ready', onReady);
        master.events.off('start-failed', onFailed);
        master.events.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const onReady = (e: ChildEntry) => { if (e === entry) finish(null); };
      const onFailed = (e: ChildEntry, message: string) => { if (e === entry) finish(new Error(message)); };
      const onExit = (_id: string, detail: ExitDetail, _kind: unknown, e: ChildEntry) => {
        if (e !== entry) return;
        // Its last message (START_FAILED) may be read just after the exit is seen.
        setTimeout(() => finish(new Error(entry.startError ?? `it exited (code ${detail.code}, signal ${detail.signal}${detail.reason === 'unresponsive' ? ', unresponsive' : ''}) while starting`)), 100);
      };
      const timer = setTimeout(() => finish(new Error(`it did not report ready within ${startupTimeout} ms (option 'startupTimeout')`)), startupTimeout);
      master.events.on('process-ready', onReady);
      master.events.on('start-failed', onFailed);
      master.events.on('exit', onExit);
    });
  }
}
