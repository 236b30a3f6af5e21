/**
 * The clustercore side's shared start-up, through the Corejs door (ClusterCore.init(AppMain)):
 * the master forks the workers, each worker says BENCH_READY once its onProcessDidInit ran, and
 * the master's `ready` runs when all did. Messages go to `onMaster` / `onWorker`.
 */
import { AppMain, ClusterCore, type ClusterCoreOptions, type ReceivedData } from 'clustercore';
import { die } from './app-kit';

/** What a clustercore bench app does in each role. */
export interface CcRoles {
  /** Number of workers to fork. */
  workers: number;
  /** Options of ClusterCore.init. */
  options?: ClusterCoreOptions;
  /** Master: every worker is ready. */
  ready(core: ClusterCore, workerIds: string[]): void;
  /** Master: a user message arrived. */
  onMaster?(core: ClusterCore, from: string, data: ReceivedData): void;
  /** Worker: a user message arrived. */
  onWorker?(core: ClusterCore, from: string, data: ReceivedData): void;
}

/** Action a worker sends when it finished its start. */
export const READY = 'BENCH_READY';

/** Starts this process's part of a clustercore bench app. */
export function startClusterCore(roles: CcRoles): void {
  const readyIds: string[] = [];
  class BenchApp extends AppMain {
    override onProcessDidInit(processId: string, launchParams: string[]): unknown {
      super.onProcessDidInit(processId, launchParams);
      if (processId === 'M') this.clusterCore.fork(roles.workers);
      else this.clusterCore.send('M', READY).catch((err: Error) => die(`${processId}: ${err.message}`));
      return undefined;
    }

    override onProcessDidReceiveMessage(from: string, data: ReceivedData): unknown {
      const core = this.clusterCore;
      if (core.processId !== 'M') roles.onWorker?.(core, from, data);
      else if (data.action !== READY) roles.onMaster?.(core, from, data);
      else if (readyIds.push(from) === roles.workers) roles.ready(core, readyIds.sort());
      return undefined;
    }
  }
  // bench/health.ts compares the heartbeat on (the default) and off in one run.
  const options = process.env.BENCH_HEARTBEAT === 'off' ? { ...roles.options, heartbeatTimeout: 0 } : roles.options;
  ClusterCore.init(BenchApp, options);
  ClusterCore.start().catch((err: Error) => die(`ClusterCore.start: ${err.message}`));
}
