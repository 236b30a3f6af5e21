/**
 * R-NODE-4: the global object in Redis keeps every single-host rule (same results, same errors, a
 * failed operation changes nothing) and stays linearizable when several masters (here: several
 * stores, each on its own connection, as on several nodes) write at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Macros } from '../../../../src/protocol/macros';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { Later, MemoryGlobalObjectStore } from '../../../../src/runtime/global-object/global-object-store';
import { RedisGlobalObjectStore } from '../../../../src/runtime/global-object/redis-global-object-store';
import { SHARED_REDIS, dropNamespace, freshNamespace } from '../../../helpers/redis';

const clients: Redis[] = [];
const spaces: string[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const ns of spaces.splice(0)) await dropNamespace(ns);
});

function storeOn(key: string, url = SHARED_REDIS, extra: Record<string, unknown> = {}): RedisGlobalObjectStore {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, ...extra });
  redis.on('error', () => {});
  clients.push(redis);
  return new RedisGlobalObjectStore({ redis, key, where: url, sandbox: { timeoutMs: 1000 } });
}

async function ready(...stores: RedisGlobalObjectStore[]): Promise<void> {
  for (const c of clients) if (c.status !== 'ready') await new Promise((r) => c.once('ready', r));
  void stores;
}

function freshKey(): string {
  const ns = freshNamespace('global');
  spaces.push(ns);
  return `${ns}:global`;
}

/** Runs `fn` on a store and returns its result or the error's class and message. */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    // The memory store answers a query as Later (already ordered); its value is the promise's.
    const r = fn();
    return { value: await (r instanceof Later ? r.promise : r) };
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
}

describe('RedisGlobalObjectStore', () => {
  it('R-NODE-4: every operation gives what the single-host store gives, errors included, and a failed one changes nothing', async () => {
    const redis = storeOn(freshKey());
    await ready(redis);
    const memory = new MemoryGlobalObjectStore({ sandbox: { timeoutMs: 1000 } });
    const { CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH: PUSH, CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SPLICE: SPLICE, CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE: SLICE } = Macros;
    const steps: [string, (s: MemoryGlobalObjectStore | RedisGlobalObjectStore) => unknown][] = [
      ['get empty', (s) => s.get(undefined)],
      ['set a', (s) => s.set('a', [{ b: [1, 2, 3] }])],
      ['push', (s) => s.set(['a', 'b', PUSH], [4, 5])],
      ['splice', (s) => s.set(['a', 'b', SPLICE], [1, 1, 'x'])],
      ['slice', (s) => s.get(['a', 'b', SLICE], [1, 3])],
      ['set under missing parent', (s) => s.set(['no', 'such'], [1])],
      ['forbidden key', (s) => s.set('__proto__', [1])],
      ['forbidden key inside a value', (s) => s.set('v', [JSON.parse('{"ok":1,"constructor":2}')])],
      ['unsafe value', (s) => s.set('v', [() => 1])],
      ['set past the end', (s) => s.set(['a', 'b', 9], [1])],
      ['remove array index', (s) => s.remove(['a', 'b', 0])],
      ['remove missing', (s) => s.remove('zzz')],
      ['query', (s) => s.query('(g, c) => g.a.b.length + c.n', { n: 10 })],
      ['query throws', (s) => s.query('() => { throw new RangeError("no") }', undefined)],
      ['update', (s) => s.update('(g, c) => ({ count: (g.count || 0) + c })', 5)],
      ['update returning a forbidden key', (s) => s.update('() => JSON.parse(\'{"prototype":1}\')', undefined)],
      ['update reaching require', (s) => s.update('() => ({ r: typeof require })', undefined)],
      ['whole object', (s) => s.query(undefined, undefined)],
    ];
    for (const [label, step] of steps) {
      const expected = JSON.parse(JSON.stringify(await outcome(() => step(memory))));
      const got = JSON.parse(JSON.stringify(await outcome(() => step(redis))));
      expect(got, label).toEqual(expected);
    }
    expect(await redis.get(undefined)).toEqual({ a: { b: ['x', 3, 4, 5] }, count: 5, r: 'undefined' });
  });

  it('R-NODE-4: concurrent updates from several masters are linearizable: no increment is lost', async () => {
    const key = freshKey();
    const stores = [storeOn(key), storeOn(key), storeOn(key)];
    await ready(...stores);
    const PER_STORE = 60;
    await stores[0].set('log', [[]]);
    // Each master applies its own operations one at a time (as GlobalObjectServer does); the three race.
    await Promise.all(stores.map(async (store, i) => {
      for (let n = 0; n < PER_STORE; n++) {
        await store.update('(g) => ({ count: (g.count || 0) + 1 })', undefined);
        await store.set(['log', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], [`${i}:${n}`]);
      }
    }));
    const final = (await stores[0].get(undefined)) as { count: number; log: string[] };
    expect(final.count).toBe(3 * PER_STORE);
    expect(final.log).toHaveLength(3 * PER_STORE);
    expect(new Set(final.log).size).toBe(3 * PER_STORE);
    // Each store's own pushes stay in its order.
    for (let i = 0; i < 3; i++) expect(final.log.filter((e) => e.startsWith(`${i}:`))).toEqual(Array.from({ length: PER_STORE }, (_, n) => `${i}:${n}`));
  });

  it('R-NODE-4: with Redis unreachable an operation fails at once with a GlobalObjectError saying so', async () => {
    const store = storeOn(freshKey(), 'redis://127.0.0.1:1', { retryStrategy: () => null, lazyConnect: true });
    const t0 = Date.now();
    const err = await store.set('a', [1]).then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(GlobalObjectError);
    expect(err!.message).toMatch(/^setGlobalObject: the global object lives in Redis at redis:\/\/127\.0\.0\.1:1, which cannot be reached \(.+\); nothing was applied$/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
