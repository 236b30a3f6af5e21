/**
 * A bounded HTTP load on loopback for reload tests: `concurrency` loops, each sending one request
 * per fresh connection (no keep-alive), until `stop()` is called or `maxRequests` / `maxMs` is reached.
 * Counts every outcome: a request either answers 200 (its body, the worker pid, is kept) or fails.
 */
import http from 'node:http';

/** What a load run saw. */
export interface LoadResult {
  /** Requests answered with 200. */
  ok: number;
  /** Requests that failed (connection error or non-200), with their errors. */
  failed: string[];
  /** Pid answering each successful request, in completion order. */
  pids: number[];
}

/** A running load. */
export interface RunningLoad {
  /** Ends the loops after their current request; resolves with the counts. */
  stop(): Promise<LoadResult>;
  /** Counts so far. */
  readonly result: LoadResult;
}

function once(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => (res.statusCode === 200 ? resolve(Number(body)) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Starts the load. */
export function startLoad(port: number, { concurrency = 4, maxRequests = 20_000, maxMs = 60_000 } = {}): RunningLoad {
  const result: LoadResult = { ok: 0, failed: [], pids: [] };
  let stopped = false;
  const deadline = Date.now() + maxMs;
  const loop = async () => {
    while (!stopped && Date.now() < deadline && result.ok + result.failed.length < maxRequests) {
      try {
        result.pids.push(await once(port));
        result.ok++;
      } catch (err) {
        result.failed.push((err as Error).message);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    result,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return result;
    },
  };
}
