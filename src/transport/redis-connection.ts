/**
 * The Redis connections of one node's master: one for commands, one for subscriptions (a
 * subscribed ioredis client cannot run other commands). One pair per master, never per process.
 * ioredis is required here, on first use, so a group without the `cluster` option never loads it.
 *
 * Commands fail at once while Redis is unreachable (no offline queue) and after `commandTimeout`
 * when it stops answering, so nothing that crosses nodes hangs; the clients reconnect by
 * themselves and re-subscribe, and `onState` reports when the pair goes down and comes back up.
 */
import type { Redis, RedisOptions } from 'ioredis';

/** The two clients of a node's master. */
export interface RedisPair {
  /** Commands (keys, PUBLISH, WATCH/MULTI). */
  readonly cmd: Redis;
  /** SUBSCRIBE only. */
  readonly sub: Redis;
  /** True while both clients are ready. */
  readonly up: boolean;
  /** Where Redis is, for error messages ('127.0.0.1:6379'). */
  readonly where: string;
  /** Resolves when both are ready; rejects after `timeoutMs` with the last connection error. */
  ready(timeoutMs: number): Promise<void>;
  /** Closes both (no reconnect). */
  close(): Promise<void>;
}

/** Settings of a pair. */
export interface RedisPairOptions {
  /** Longest a command may wait for its answer, ms. */
  commandTimeout: number;
  /** Called with true when both clients are ready again, false when either is lost. */
  onState(up: boolean): void;
}

/** Opens the command and subscriber clients for `target` (a URL or ioredis options). */
export function openRedisPair(target: string | Record<string, unknown>, options: RedisPairOptions): RedisPair {
  // Required on first use only: ioredis is loaded by a master in cluster mode and by nothing else.
  const { Redis: RedisClass } = require('ioredis') as typeof import('ioredis');
  const base: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeout,
    connectTimeout: Math.max(1000, options.commandTimeout),
    // Reconnect quickly and keep trying: a node rejoins by itself when Redis is back.
    retryStrategy: (times: number) => Math.min(50 * times, 500),
    lazyConnect: false,
  };
  const make = (): Redis => (typeof target === 'string' ? new RedisClass(target, base) : new RedisClass({ ...base, ...(target as RedisOptions) }));
  const cmd = make();
  const sub = make();
  let lastError: Error | null = null;
  let up = false;
  const update = () => {
    const now = cmd.status === 'ready' && sub.status === 'ready';
    if (now === up) return;
    up = now;
    options.onState(now);
  };
  for (const client of [cmd, sub]) {
    client.on('ready', update);
    client.on('close', update);
    client.on('end', update);
    // ioredis reports every failed connection attempt here; the state change is what matters.
    client.on('error', (err: Error) => { lastError = err; });
  }
  const where = typeof target === 'string' ? target.replace(/\/\/[^@/]*@/, '//') : `${String(target.host ?? '127.0.0.1')}:${String(target.port ?? 6379)}`;
  return {
    cmd,
    sub,
    get up() { return up; },
    where,
    ready(timeoutMs: number): Promise<void> {
      if (up) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (cmd.status === 'ready' && sub.status === 'ready') finish(null);
        };
        const timer = setTimeout(() => finish(new Error(`Redis at ${where} did not answer within ${timeoutMs} ms${lastError ? ` (${lastError.message})` : ''}`)), timeoutMs);
        const finish = (err: Error | null) => {
          clearTimeout(timer);
          cmd.off('ready', check);
          sub.off('ready', check);
          if (err) reject(err);
          else resolve();
        };
        cmd.on('ready', check);
        sub.on('ready', check);
        check();
      });
    },
    async close(): Promise<void> {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
      cmd.disconnect();
      sub.disconnect();
    },
  };
}
