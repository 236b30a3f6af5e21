/**
 * Helpers of the operating tests (R-OBS): start the operate fixture under a unique app name, run
 * the `clustercore` command line against it, talk to its control socket directly.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { GroupStatus } from '../../src/protocol/process-status';
import { ROOT, fixture, startCluster, testRuntimeDir, type RunningCluster } from './cluster-process';

/** The compiled command line. */
export const CLI = path.join(ROOT, 'dist/bin/clustercore.js');

let counter = 0;

/** An app name no other group of this test run uses. */
export function uniqueApp(prefix = 'op'): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

/** The control socket folder of the groups this test file starts. */
export function controlDir(): string {
  return path.join(testRuntimeDir(), 'clustercore');
}

/** The control socket of `app`. */
export function socketOf(app: string): string {
  return path.join(controlDir(), `${app}.sock`);
}

/** What `ready` of the fixture reports. */
export interface ReadyReport {
  workers: string[];
  status: GroupStatus;
  fromWorker: GroupStatus;
  viaCallback: string[];
}

/** Starts the operate fixture; resolves once it reported ready. */
export async function startGroup(app: string, env: Record<string, string> = {}): Promise<{ c: RunningCluster; ready: ReadyReport }> {
  const c = startCluster(fixture('operate/group'), [], { APP_TITLE: app, ...env });
  const ready = await c.waitForReport<ReadyReport & { event: string }>('ready', undefined, 30_000);
  return { c, ready };
}

/** Result of one command-line run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `clustercore ...args` to its end (bounded), with this test file's run directory. */
export function cli(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number; uid?: number; gid?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '', XDG_RUNTIME_DIR: testRuntimeDir(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      uid: options.uid,
      gid: options.gid,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`clustercore ${args.join(' ')} did not finish within ${options.timeoutMs ?? 20_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes drain before resolving.
      setImmediate(() => resolve({ code, stdout, stderr }));
    });
    if (options.input !== undefined) child.stdin.write(options.input);
    else child.stdin.end();
  });
}

/** Sends raw text on the control socket; resolves with the answer lines once `lines` came (or the socket closed). */
export function rawExchange(socket: string, text: string, lines = 1, timeoutMs = 10_000): Promise<{ lines: unknown[]; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socket);
    const got: unknown[] = [];
    let buffer = '';
    let closed = false;
    const finish = () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ lines: got, closed });
    };
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no ${lines} answer line(s) within ${timeoutMs} ms; got ${JSON.stringify(got)}`));
    }, timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(text));
    sock.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        got.push(JSON.parse(buffer.slice(0, nl)));
        buffer = buffer.slice(nl + 1);
      }
      if (got.length >= lines) finish();
    });
    sock.on('close', () => {
      closed = true;
      finish();
    });
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Polling for a condition, shared with the other integration tests. */
export { until } from './cluster-process';
