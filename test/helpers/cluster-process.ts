/**
 * Starts a real clustercore app (a compiled fixture or a sample) as a plain `node` process in its
 * own process group, collects what every process printed, and kills the whole group afterwards,
 * also when the test fails. Integration tests wait for printed events, never for time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';

/** Root of the repository. */
export const ROOT = path.resolve(__dirname, '../..');

/** Path of a compiled TypeScript fixture: `fixture('ipc/echo')` → dist/test/fixtures/ipc/echo.js. */
export function fixture(name: string): string {
  return path.join(ROOT, 'dist/test/fixtures', `${name}.js`);
}

/** Path of a file under samples/ (JS samples run from source, TS ones from dist/samples). */
export function sample(rel: string): string {
  return rel.endsWith('.js') && !rel.startsWith('dist/') ? path.join(ROOT, 'samples', rel) : path.join(ROOT, rel);
}

/** Prefix of machine-readable lines a fixture prints: `REPORT {"json":...}`. */
export const REPORT_PREFIX = 'REPORT ';

/**
 * The default logger's line head, `<ISO time> <level> ` (R-OBS, structured logs). Tests match what a
 * line says (`[M] SIGINT received…`), so `lines` has it cut off; `rawLines` keeps lines as printed.
 */
export const LOG_HEAD = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (?:info|warn|error) (?=\[)/;

/** A running process group. */
export interface RunningCluster {
  /** Every line printed so far (stdout and stderr, in arrival order), the logger's time and level cut off. */
  readonly lines: string[];
  /** Every line exactly as printed. */
  readonly rawLines: string[];
  /** The OS pid of the master (also the process group id). */
  readonly pid: number;
  /** Resolves with the first line (already printed or to come) matching `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  /** Resolves when `count` lines match `pattern`. */
  waitForCount(pattern: RegExp | string, count: number, timeoutMs?: number): Promise<string[]>;
  /** Every `REPORT {...}` line, parsed. */
  reports<T = Record<string, unknown>>(): T[];
  /** Resolves when the first report with `event` arrives (optionally filtered). */
  waitForReport<T = Record<string, unknown>>(event: string, filter?: (r: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves with the master's exit; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal to the master only. */
  signal(sig: NodeJS.Signals): void;
  /** Kills the whole process group (SIGKILL). */
  kill(): void;
  /** All output, for failure messages. */
  output(): string;
}

const running = new Set<RunningCluster>();

let xdgDir: string | null = null;

/**
 * XDG_RUNTIME_DIR of the groups this test file starts: a fresh folder, so their control sockets
 * (R-OBS-2) never meet those of other test files running at the same time; removed after the file.
 */
export function testRuntimeDir(): string {
  xdgDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'cc-xdg-'));
  return xdgDir;
}

afterAll(() => {
  if (xdgDir) fs.rmSync(xdgDir, { recursive: true, force: true });
  xdgDir = null;
});

afterEach(() => {
  for (const c of running) c.kill();
  running.clear();
});

const matches = (line: string, p: RegExp | string) => (typeof p === 'string' ? line.includes(p) : p.test(line));

/** Starts `script` with node in a new process group. */
export function startCluster(script: string, args: string[] = [], env: Record<string, string> = {}): RunningCluster {
  const child: ChildProcess = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_RUNTIME_DIR: testRuntimeDir(), ...env, FORCE_COLOR: '0' },
  });
  const lines: string[] = [];
  const rawLines: string[] = [];
  // Each REPORT line parsed once, as it arrives: a fixture that reports thousands of events (the
  // kill storm) made re-parsing every line on every chunk quadratic, and a loaded test process fell
  // minutes behind the group it watched.
  const parsed: unknown[] = [];
  const waiters = new Set<() => void>();
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const onData = (buf: { partial: string }) => (chunk: Buffer) => {
    const text = buf.partial + chunk.toString('utf8');
    const parts = text.split('\n');
    buf.partial = parts.pop() ?? '';
    for (const p of parts) {
      rawLines.push(p);
      const line = p.replace(LOG_HEAD, '');
      lines.push(line);
      const at = line.indexOf(REPORT_PREFIX);
      if (at !== -1) parsed.push(JSON.parse(line.slice(at + REPORT_PREFIX.length)));
    }
    for (const w of [...waiters]) w();
  };
  child.stdout!.on('data', onData({ partial: '' }));
  child.stderr!.on('data', onData({ partial: '' }));
  child.on('exit', (code, signal) => {
    exit = { code, signal };
    for (const w of [...waiters]) w();
  });

  const waitUntil = <T>(check: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const tryNow = () => {
        const v = check();
        if (v !== undefined) {
          waiters.delete(tryNow);
          clearTimeout(timer);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(tryNow);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n--- output ---\n${lines.join('\n')}`));
      }, timeoutMs);
      waiters.add(tryNow);
      tryNow();
    });

  const reports = <T>() => parsed.slice() as T[];

  const cluster: RunningCluster = {
    lines,
    rawLines,
    pid: child.pid!,
    waitFor: (pattern, timeoutMs = 15_000) => waitUntil(() => lines.find((l) => matches(l, pattern)), String(pattern), timeoutMs),
    waitForCount: (pattern, count, timeoutMs = 15_000) =>
      waitUntil(() => {
        const found = lines.filter((l) => matches(l, pattern));
        return found.length >= count ? found : undefined;
      }, `${count} × ${String(pattern)}`, timeoutMs),
    reports,
    waitForReport: <T>(event: string, filter?: (r: T) => boolean, timeoutMs = 15_000) =>
      waitUntil(() => (parsed as (T & { event?: string })[]).find((r) => r.event === event && (!filter || filter(r))), `report ${event}`, timeoutMs),
    exited: (timeoutMs = 15_000) => waitUntil(() => exit ?? undefined, 'exit of the master', timeoutMs),
    signal: (sig) => { try { process.kill(child.pid!, sig); } catch { /* already gone */ } },
    kill: () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* group already gone */ } },
    output: () => lines.join('\n'),
  };
  running.add(cluster);
  return cluster;
}

/** True when a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** Alive and not a zombie (a reparented child may linger as one until reaped). */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // gone between the two checks
  }
}

/** The one report of `event` (optionally filtered); fails the test when there are none or several. */
export function theReport<T extends Record<string, unknown>>(c: RunningCluster, event: string, where?: (r: T) => boolean): T {
  const found = c.reports<T & { event?: string }>().filter((r) => r.event === event && (!where || where(r)));
  expect(found, `${event} reports`).toHaveLength(1);
  return found[0];
}

/** Resolves once `check()` is true; polls every 20 ms (the state is in another process), rejects after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
