/**
 * The raw side's only shared code: fork workers with plain node:cluster and wait until each one is
 * listening. Everything else a raw app does (id matching, relaying) is written out in the app
 * itself, so the baseline reads as the least code that does the same job.
 */
import cluster, { type Worker } from 'node:cluster';

/** What a raw worker sends once its message listener is installed (see rawReady). */
const READY = 'bench-ready';

/**
 * Forks `n` workers (worker k gets BENCH_ID=k) and resolves once every one is ready to work: it
 * called rawReady() (`until: 'ready'`, the default, so that no measured time includes a worker's own
 * start-up), or it is merely 'online' (`until: 'online'`, scenario g's baseline).
 */
export function forkRaw(n: number, until: 'ready' | 'online' = 'ready'): Promise<Worker[]> {
  return new Promise((resolve) => {
    const workers: Worker[] = [];
    let count = 0;
    const one = () => {
      if (++count === n) resolve(workers);
    };
    for (let k = 1; k <= n; k++) {
      const w = cluster.fork({ BENCH_ID: String(k) });
      workers.push(w);
      if (until === 'online') w.once('online', one);
      else {
        const onReady = (m: unknown) => {
          if (m !== READY) return;
          w.off('message', onReady);
          one();
        };
        w.on('message', onReady);
      }
    }
  });
}

/** Raw worker: tells the primary its message listener is installed. */
export function rawReady(): void {
  process.send!(READY);
}

/** This raw worker's number (1…n), as given by forkRaw. */
export function rawWorkerId(): number {
  return Number(process.env.BENCH_ID);
}
