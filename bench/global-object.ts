/**
 * Global-object benchmark (ISSUE-4): operations per second of getGlobalObject / setGlobalObject /
 * updateGlobalObject (Corejs callback forms) issued from 1, 2 and 4 workers at once, and from the
 * master itself (no IPC) for reference. Not a test: it prints numbers.
 *
 *   npm run bench:global                       # every case, 2 s each
 *   node dist/bench/global-object.js --ms 5000  # longer windows
 *
 * The script is its own cluster app: `… run <op> <workers> <ms> <window>` starts one group in which
 * each worker keeps `window` operations in flight for `ms` milliseconds (closed loop) after the
 * master says go; the master sums what completed and prints `RESULT {json}` for the driver.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { AppMain, ClusterCore, type ReceivedData } from 'clustercore';

type Op = 'get' | 'set' | 'update';
const OPS: Op[] = ['get', 'set', 'update'];
const WORKER_COUNTS = [0, 1, 2, 4];
const RESULT = 'RESULT ';

/** Starts one operation; `done` when it completed (an error ends the benchmark: it must not happen). */
function issue(op: Op, i: number, done: () => void): void {
  const check = (err: Error | null) => {
    if (err) {
      console.error(`${op} failed: ${err.message}`);
      process.exit(1);
    }
    done();
  };
  if (op === 'get') ClusterCore.getGlobalObject(['data', 'name'], (err) => check(err));
  else if (op === 'set') ClusterCore.setGlobalObject(['data', 'last'], i, (err) => check(err));
  // any: the sandboxed function works on the untyped global object, as Corejs JavaScript does.
  else ClusterCore.updateGlobalObject({ by: 1 }, (g: any, ctx: any) => ({ counter: g.counter + ctx.by }), (err) => check(err));
}

/** Keeps `window` operations in flight for `ms`; resolves with how many completed and the time taken. */
function closedLoop(op: Op, ms: number, window: number): Promise<{ count: number; elapsedMs: number }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const end = start + ms;
    let count = 0;
    let inFlight = 0;
    let stopped = false;
    const next = () => {
      inFlight--;
      count++;
      if (!stopped && performance.now() >= end) stopped = true;
      if (!stopped) launch();
      else if (inFlight === 0) resolve({ count, elapsedMs: performance.now() - start });
    };
    const launch = () => {
      inFlight++;
      issue(op, count + inFlight, next);
    };
    for (let i = 0; i < window; i++) launch();
  });
}

/** The cluster app of one case. */
function runCase(op: Op, workers: number, ms: number, window: number): void {
  const results: { count: number; elapsedMs: number }[] = [];
  const finish = () => {
    const total = results.reduce((s, r) => s + r.count, 0);
    const elapsed = Math.max(...results.map((r) => r.elapsedMs));
    process.stdout.write(`${RESULT}${JSON.stringify({ op, workers, count: total, elapsedMs: elapsed, opsPerSec: Math.round((total / elapsed) * 1000) })}\n`, () => process.exit(0));
  };
  class App extends AppMain {
    private ready = 0;
    override onProcessDidInit(processId: string, launchParams: string[]): void {
      super.onProcessDidInit(processId, launchParams);
      if (processId !== 'M') {
        ClusterCore.sendData('M', { action: 'READY' });
        return;
      }
      ClusterCore.setGlobalObject('data', { name: 'bench', last: 0, tags: ['a', 'b', 'c'] }, () => {
        ClusterCore.setGlobalObject('counter', 0, () => {
          if (workers === 0) void closedLoop(op, ms, window).then((r) => { results.push(r); finish(); });
          else ClusterCore.fork(workers);
        });
      });
    }
    override onProcessDidReceiveMessage(from: string, data: ReceivedData): void {
      if (data.action === 'READY' && ++this.ready === workers) {
        for (let i = 1; i <= workers; i++) ClusterCore.sendData(`W:${i}`, { action: 'GO' });
      } else if (data.action === 'GO') {
        void closedLoop(op, ms, window).then((r) => ClusterCore.sendData('M', { action: 'RESULT', payload: r }));
      } else if (data.action === 'RESULT') {
        results.push(data.payload as { count: number; elapsedMs: number });
        if (results.length === workers) finish();
      }
    }
  }
  ClusterCore.init(App);
  void ClusterCore.start();
}

/** Runs one case in a new process group and returns its result line. */
function spawnCase(op: Op, workers: number, ms: number, window: number): Promise<{ opsPerSec: number; count: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, 'run', op, String(workers), String(ms), String(window)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${op} × ${workers} did not finish`)); }, ms + 30_000);
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (line) resolve(JSON.parse(line.slice(RESULT.length)));
      else reject(new Error(`${op} × ${workers}: no result\n${out}`));
    });
  });
}

async function drive(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const ms = arg('--ms', 2000);
  const window = arg('--window', 32);
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`global object: ops/s, ${ms} ms per case, ${window} operations in flight per caller`);
  console.log(`node ${process.version}, ${os.availableParallelism()} × ${cpu}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(['op', ...WORKER_COUNTS.map((w) => (w === 0 ? 'master' : `${w} worker${w > 1 ? 's' : ''}`))].map((c) => c.padStart(10)).join(''));
  for (const op of OPS) {
    const row: string[] = [op];
    for (const workers of WORKER_COUNTS) row.push(String((await spawnCase(op, workers, ms, window)).opsPerSec));
    console.log(row.map((c) => c.padStart(10)).join(''));
  }
}

if (process.argv[2] === 'run') {
  runCase(process.argv[3] as Op, Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
} else {
  drive().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
