/**
 * `npm run build && node dist/bench/reload-health.js [--rounds=3]`: the figures of
 * docs/readme/reload-and-health.md, on the reload/health fixture (dist/test/fixtures/supervise/health.js):
 * - reload time with 2 and 4 workers (the master's "reload: done in N ms"), no load;
 * - crash → ready replacement: from the master's onWorkerProcessDidExit to the new worker's init;
 * - hang → ready replacement (heartbeatInterval 200 ms, heartbeatTimeout 1 500 ms): from the
 *   worker's last word before `for (;;) {}` to the kill, and to the new worker's init;
 * - the watchdog thread's cost: main-thread time to start it, time until it runs, RSS it adds.
 * Times are taken when this process reads each line, so they include pipe latency (~ms).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { median } from './lib/stats';

const FIXTURE = path.resolve(__dirname, '../test/fixtures/supervise/health.js');

interface Group { lines: { at: number; text: string }[]; pid: number; kill(): void; wait(re: RegExp, ms?: number): Promise<{ at: number; text: string }> }

function group(scenario: string, workers: number): Group {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-bench-health-'));
  const child = spawn(process.execPath, [FIXTURE, scenario, String(workers)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FIXTURE_DIR: dir } });
  const lines: { at: number; text: string }[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now(), text });
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    lines,
    pid: child.pid!,
    kill: () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } fs.rmSync(dir, { recursive: true, force: true }); },
    wait: (re, ms = 60_000) => new Promise((resolve, reject) => {
      const deadline = Date.now() + ms;
      const poll = () => {
        const hit = lines.find((l) => re.test(l.text));
        if (hit) return resolve(hit);
        if (Date.now() > deadline) return reject(new Error(`no ${re} within ${ms} ms:\n${lines.map((l) => l.text).join('\n')}`));
        setTimeout(poll, 5);
      };
      poll();
    }),
  };
}

async function reloadMs(workers: number): Promise<number> {
  const g = group('reload', workers);
  try {
    await g.wait(/"event":"app-ready"/);
    process.kill(g.pid, 'SIGHUP');
    const done = await g.wait(/^\[M\] reload: done in (\d+) ms$/);
    return Number(/done in (\d+) ms/.exec(done.text)![1]);
  } finally { g.kill(); }
}

async function crashToReady(): Promise<number> {
  const g = group('crash', 2);
  try {
    const ready = await g.wait(/"event":"app-ready"/);
    const first = JSON.parse(ready.text.slice(ready.text.indexOf('{'))).pids[0] as number;
    process.kill(g.pid, 'SIGHUP');
    const exit = await g.wait(/"event":"worker-exit".*"id":"W:1"/);
    const again = await g.wait(new RegExp(`"event":"init","pid":(?!${first}\\b)\\d+,"processId":"W:1"`));
    return again.at - exit.at;
  } finally { g.kill(); }
}

async function hangToReady(): Promise<{ detect: number; ready: number }> {
  const g = group('spin', 2);
  try {
    const ready = await g.wait(/"event":"app-ready"/);
    const first = JSON.parse(ready.text.slice(ready.text.indexOf('{'))).pids[0] as number;
    process.kill(g.pid, 'SIGHUP');
    const spinning = await g.wait(/"event":"spinning"/);
    const exit = await g.wait(/"event":"worker-exit".*"id":"W:1"/);
    const again = await g.wait(new RegExp(`"event":"init","pid":(?!${first}\\b)\\d+,"processId":"W:1"`));
    return { detect: exit.at - spinning.at, ready: again.at - spinning.at };
  } finally { g.kill(); }
}

async function watchdogCost(): Promise<{ syncMs: number; onlineMs: number; rssMb: number }> {
  const script = path.resolve(__dirname, '../src/runtime/child/watchdog-thread.js');
  const rss0 = process.memoryUsage.rss();
  const t0 = performance.now();
  const w = new Worker(script, { workerData: { masterPid: process.ppid, beatMs: 1000, stallMs: 5000, counter: new Int32Array(new SharedArrayBuffer(4)), processId: 'bench', reportFile: path.join(os.tmpdir(), 'cc-bench-stall.json') }, stdout: false, stderr: false });
  const syncMs = performance.now() - t0;
  await new Promise((resolve) => w.once('online', resolve));
  const onlineMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const rssMb = (process.memoryUsage.rss() - rss0) / 2 ** 20;
  await w.terminate();
  return { syncMs, onlineMs, rssMb };
}

async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--rounds='));
  const rounds = arg ? Number(arg.slice(9)) : 3;
  const r2: number[] = []; const r4: number[] = []; const crash: number[] = []; const detect: number[] = []; const hang: number[] = [];
  for (let i = 0; i < rounds; i++) {
    r2.push(await reloadMs(2));
    r4.push(await reloadMs(4));
    crash.push(await crashToReady());
    const h = await hangToReady();
    detect.push(h.detect);
    hang.push(h.ready);
    process.stderr.write(`round ${i + 1}/${rounds}: reload 2w ${r2[i]} ms, 4w ${r4[i]} ms; crash→ready ${crash[i]} ms; hang→kill ${h.detect} ms, hang→ready ${h.ready} ms\n`);
  }
  // The watchdog's cost is measured in a fresh process, alone.
  const cost = await new Promise<string>((resolve, reject) => {
    const c = spawn(process.execPath, [__filename, '--cost'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`cost run exited ${code}`))));
  });
  const f = (xs: number[]) => `${median(xs).toFixed(0)} ms (runs: ${xs.join(', ')})`;
  process.stdout.write([
    `reload, 2 workers: ${f(r2)}`,
    `reload, 4 workers: ${f(r4)}`,
    `crash -> ready replacement: ${f(crash)}`,
    `hang -> killed (heartbeatTimeout 1500, interval 200): ${f(detect)}`,
    `hang -> ready replacement: ${f(hang)}`,
    `watchdog thread: ${cost}`,
    `machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; median of ${rounds}`,
  ].join('\n') + '\n');
}

if (process.argv.includes('--cost')) {
  void (async () => {
    const runs: { syncMs: number; onlineMs: number; rssMb: number }[] = [];
    for (let i = 0; i < 5; i++) runs.push(await watchdogCost());
    const m = (k: 'syncMs' | 'onlineMs' | 'rssMb') => median(runs.map((r) => r[k]));
    process.stdout.write(`start ${m('syncMs').toFixed(1)} ms on the main thread, running after ${m('onlineMs').toFixed(0)} ms, +${m('rssMb').toFixed(1)} MB RSS (median of 5)\n`);
    process.exit(0);
  })();
} else {
  main().catch((err: Error) => { process.stderr.write(`bench/reload-health: ${err.stack ?? err.message}\n`); process.exit(1); });
}
