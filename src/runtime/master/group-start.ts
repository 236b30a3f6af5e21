/**
 * The start order of a bootstrapped group (R-SUP-4): the master is up → the alone process (when the
 * app has one) is started and ready → the workers are forked → all of them are ready. The whole
 * sequence has one deadline (`startupTimeout`); missing it fails with the ids that did not come up.
 */
import { ClusterCoreError } from '../../protocol/errors';
import { ALONE_ID } from '../../protocol/process-id';
import type { ExitDetail } from '../hooks';
import type { MasterEngine } from './master-engine';
import type { ChildEntry } from './process-table';

/** What to start. */
export interface GroupStartPlan {
  /** Start the alone process first. */
  alone: boolean;
  /** Number of workers. */
  workers: number;
  /** Deadline of the whole start, ms. */
  startupTimeout: number;
  /** Fail at once when a worker exits before it was ready (refork off: it will not come back). */
  failOnWorkerExit: boolean;
}

/** Starts the children in order; resolves with the worker ids once every child is ready. */
export async function startGroup(master: MasterEngine, plan: GroupStartPlan): Promise<string[]> {
  const deadline = Date.now() + plan.startupTimeout;
  if (plan.alone) {
    master.spawnAlone();
    await waitReady(master, [ALONE_ID], deadline, plan, false, ' (no worker was started yet)');
  }
  const ids = master.fork(plan.workers);
  await waitReady(master, ids, deadline, plan, plan.failOnWorkerExit, '');
  return ids;
}

/** Resolves when every id reported ready (a restarted child counts when its new process is ready). */
function waitReady(master: MasterEngine, ids: string[], deadline: number, plan: GroupStartPlan, failOnExit: boolean, note: string): Promise<void> {
  const pending = new Set(ids.filter((id) => !master.table.get(id)?.ready));
  if (pending.size === 0) return Promise.resolve();
  // The last start error of each pending id (its onProcessDidInit threw), named when the start fails.
  const startErrors = new Map<string, string>();
  const why = (id: string) => (startErrors.has(id) ? ` (its onProcessDidInit failed: ${startErrors.get(id)})` : '');
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      master.events.off('ready', onReady);
      master.events.off('exit', onExit);
      master.events.off('start-failed', onStartFailed);
      if (err) reject(err);
      else resolve();
    };
    const onReady = (id: string) => {
      if (pending.delete(id) && pending.size === 0) done();
    };
    const onStartFailed = (entry: ChildEntry, message: string) => {
      if (pending.has(entry.id)) startErrors.set(entry.id, message);
    };
    const onExit = (id: string, detail: ExitDetail) => {
      if (failOnExit && pending.has(id)) {
        // Its START_FAILED may be read just after its exit is seen.
        setTimeout(() => done(new ClusterCoreError(`bootstrap: ${id} exited (code ${detail.code}, signal ${detail.signal}) before it was ready${why(id)}, and refork is off; the group did not start`)), 100);
      }
    };
    const timer = setTimeout(() => {
      const missing = [...pending].map((id) => `${id}${why(id)}`).join(', ');
      done(new ClusterCoreError(
        `bootstrap: the group did not start within ${plan.startupTimeout} ms (option 'startupTimeout'): ${missing} did not report ready${note}`,
      ));
    }, Math.max(0, deadline - Date.now()));
    master.events.on('ready', onReady);
    master.events.on('exit', onExit);
    master.events.on('start-failed', onStartFailed);
  });
}
