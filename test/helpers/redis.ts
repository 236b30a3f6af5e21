/**
 * Redis for the multi-host tests: a fresh namespace per test on the shared 127.0.0.1:6379 (its
 * keys deleted afterwards), and private `redis-server` instances (free port, temporary directory,
 * append-only file) for the tests that stop or restart Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/** The shared Redis every multi-host test uses, unless it starts its own. */
export const SHARED_REDIS = 'redis://127.0.0.1:6379';

/** A namespace no other run uses. */
export function freshNamespace(label = 't'): string {
  return `cctest-${label}-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key of `namespace` on `url`. */
export async function dropNamespace(namespace: string, url = SHARED_REDIS): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => { /* reported by the command that fails */ });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** Keys of `namespace` now on `url`. */
export async function keysOf(namespace: string, url = SHARED_REDIS): Promise<string[]> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => { /* reported by the command that fails */ });
  try {
    return (await client.keys(`${namespace}:*`)).sort();
  } finally {
    client.disconnect();
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A private redis-server: its URL, and stop/start that keep the same port and data directory. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Starts (again) and resolves when it answers PING. */
  start(): Promise<void>;
  /** SHUTDOWN (saving the append-only file) and resolves when the process exited. */
  stop(): Promise<void>;
  /** Kills it and removes its directory. */
  destroy(): Promise<void>;
}

/** Makes (does not start) a private redis-server with `--appendonly yes` on a free port. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-redis-'));
  let proc: ChildProcess | null = null;
  const url = `redis://127.0.0.1:${port}`;
  const ping = async (): Promise<boolean> => {
    const c = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    c.on('error', () => {});
    try { await c.connect(); return (await c.ping()) === 'PONG'; } catch { return false; } finally { c.disconnect(); }
  };
  const exited = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));
  return {
    url, port, dir,
    async start() {
      proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--daemonize', 'no'], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await ping())) {
        if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const p = proc;
      if (!p) return;
      proc = null;
      const c = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => {});
      await c.call('SHUTDOWN').catch(() => { /* the connection closes as it shuts down */ });
      c.disconnect();
      await exited(p);
    },
    async destroy() {
      const p = proc;
      proc = null;
      if (p) { p.kill('SIGKILL'); await exited(p); }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
