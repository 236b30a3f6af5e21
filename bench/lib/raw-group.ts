/**
 * The raw side's only shared code: fork workers with plain node:cluster and wait for 'online'.
 * Everything else a raw app does (id matching, relaying) is written out in the app itself, so the
 * baseline reads as the least code that does the same job.
 */
import cluster, { type Worker } from 'node:cluster';

/** Forks `n` workers (worker k gets BENCH_ID=k) and resolves once every one is online. */
export function forkRaw(n: number): Promise<Worker[]> {
  return new Promise((resolve) => {
    const workers: Worker[] = [];
    let online = 0;
    for (let k = 1; k <= n; k++) {
      const w = cluster.fork({ BENCH_ID: String(k) });
      workers.push(w);
      w.once('online', () => {
        if (++online === n) resolve(workers);
      });
    }
  });
}

/** This raw worker's number (1…n), as given by forkRaw. */
export function rawWorkerId(): number {
  return Number(process.env.BENCH_ID);
}
