/**
 * GlobalObjectServer without processes: a fake engine records the handlers and replies. Checks
 * arrival order (also with a store that answers with promises), copies of results, silent
 * requests, and malformed requests answered with errors.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope, MessageData } from '../../../../src/protocol/envelope';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { Macros } from '../../../../src/protocol/macros';
import type { Engine } from '../../../../src/runtime/engine';
import { MemoryGlobalObjectStore, type GlobalObjectStore } from '../../../../src/runtime/global-object/global-object-store';
import { GlobalObjectServer } from '../../../../src/runtime/global-object/global-object-server';
import { reviveGlobalError } from '../../../../src/runtime/global-object/global-object-wire';

/** A fake engine: handlers by action, replies and warnings recorded. */
function fakeEngine() {
  const handlers = new Map<string, (env: Envelope) => void>();
  const replies: MessageData[] = [];
  const warnings: string[] = [];
  const engine = {
    options: { logger: { info() {}, warn: (...a: unknown[]) => warnings.push(a.join(' ')), error() {} } },
    handleInternal: (action: string, h: (env: Envelope) => void) => handlers.set(action, h),
    replyInternal: (_env: Envelope, data: MessageData) => replies.push(data),
  };
  const request = (action: string, payload: unknown, traceId: string | null = 'x'.repeat(24)) =>
    handlers.get(action)!({ meta: { traceId, toProcessId: 'M', fromProcessId: 'W:1', isRes: false, isTransitRes: false, transitTraceId: null }, data: { action, payload } });
  return { engine: engine as unknown as Engine, handlers, replies, warnings, request };
}

/** Resolves once `check()` holds (a sandboxed function answers from the sandbox process, later). */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const REQ = {
  get: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_GLOBAL_OBJECT,
  set: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_SET_GLOBAL_OBJECT,
  remove: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_REMOVE_GLOBAL_OBJECT,
  query: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_QUERY_GLOBAL_OBJECT,
  update: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_UPDATE_GLOBAL_OBJECT,
};

describe('GlobalObjectServer', () => {
  it('ISSUE-4: registers a handler for each of the five REQ_*_GLOBAL_OBJECT actions and answers with the matching RES_*', async () => {
    const f = fakeEngine();
    const store = new MemoryGlobalObjectStore({ initial: { a: 1 } });
    new GlobalObjectServer(f.engine, store);
    expect([...f.handlers.keys()].sort()).toEqual(Object.values(REQ).sort());
    f.request(REQ.get, { keyPath: 'a' });
    f.request(REQ.set, { keyPath: 'b', values: [2] });
    f.request(REQ.remove, { keyPath: 'a' });
    f.request(REQ.query, {});
    f.request(REQ.update, { fnSource: '(g) => ({ c: g.b + 1 })' });
    await until(() => f.replies.length === 5);
    store.sandbox.close();
    expect(f.replies).toEqual([
      { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_GLOBAL_OBJECT, payload: 1 },
      { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_SET_GLOBAL_OBJECT, payload: { globalObject: { a: 1, b: 2 }, commandResult: undefined } },
      { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_REMOVE_GLOBAL_OBJECT, payload: { b: 2 } },
      { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_QUERY_GLOBAL_OBJECT, payload: { b: 2 } },
      { action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_UPDATE_GLOBAL_OBJECT, payload: { b: 2, c: 3 } },
    ]);
  });

  it('ISSUE-4: a reply holds a copy taken when the operation ran, not a reference a later operation changes', () => {
    const f = fakeEngine();
    new GlobalObjectServer(f.engine, new MemoryGlobalObjectStore({ initial: { list: [1] } }));
    f.request(REQ.set, { keyPath: ['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], values: [2] });
    f.request(REQ.set, { keyPath: ['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], values: [3] });
    expect(f.replies.map((r) => (r.payload as { globalObject: { list: number[] } }).globalObject.list)).toEqual([[1, 2], [1, 2, 3]]);
  });

  it('ISSUE-4: a silent request (no callback) is answered without the global object', () => {
    const f = fakeEngine();
    new GlobalObjectServer(f.engine, new MemoryGlobalObjectStore());
    f.request(REQ.set, { keyPath: 'a', values: [1], silent: true });
    expect(f.replies).toEqual([{ action: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_SET_GLOBAL_OBJECT }]);
  });

  it('ISSUE-4: malformed requests are answered with a GlobalObjectError naming the operation and the sender; one-way ones are logged', async () => {
    const f = fakeEngine();
    const store = new MemoryGlobalObjectStore({ initial: { a: 1 } });
    new GlobalObjectServer(f.engine, store);
    const bad: [string, unknown][] = [
      [REQ.set, 'garbage'], [REQ.set, { keyPath: 'a' }], [REQ.get, 7], [REQ.get, { sliceRange: {} }],
      [REQ.remove, undefined], [REQ.update, {}], [REQ.update, { fnSource: '(' }], [REQ.query, { fnSource: 1 }], [REQ.query, { silent: 1 }],
    ];
    for (const [action, payload] of bad) f.request(action, payload);
    // The update with a syntax error is answered by the sandbox process, after the others.
    await until(() => f.replies.length === bad.length);
    store.sandbox.close();
    expect(f.replies).toHaveLength(bad.length);
    for (const r of f.replies) {
      const err = reviveGlobalError(r.error);
      expect(err).toBeInstanceOf(GlobalObjectError);
      expect(err.message).toMatch(/^(get|set|remove|query|update)GlobalObject: /);
    }
    expect((f.replies.find((r) => (r.error as { message: string }).message.startsWith('setGlobalObject'))!.error as { message: string }).message).toBe('setGlobalObject: malformed request from W:1: the payload must be an object, got "garbage"');
    f.request(REQ.set, 'garbage', null);
    expect(f.replies).toHaveLength(bad.length);
    expect(f.warnings).toEqual(['setGlobalObject from W:1 failed: setGlobalObject: malformed request from W:1: the payload must be an object, got "garbage"']);
    expect(store.get(undefined)).toEqual({ a: 1 });
  });

  it('ISSUE-4: with a store that answers with promises, operations still complete in arrival order, failures included', async () => {
    const f = fakeEngine();
    const memory = new MemoryGlobalObjectStore({ initial: { n: 0 } });
    const delays = [30, 0, 10, 0];
    let call = 0;
    // A slow remote store: each answer takes a different time.
    const later = <T>(fn: () => T) => new Promise<T>((resolve, reject) => setTimeout(() => { try { resolve(fn()); } catch (e) { reject(e); } }, delays[call++ % delays.length]));
    const store: GlobalObjectStore = {
      get: (k, s) => later(() => memory.get(k, s)),
      set: (k, v) => later(() => memory.set(k, v)),
      remove: (k) => later(() => memory.remove(k)),
      query: (s, c) => later(() => memory.query(s, c)),
      // The memory store's update answers with a promise itself: the slow store hands that on.
      update: (s, c) => later(() => memory.update(s, c)).then((p) => p),
    };
    const server = new GlobalObjectServer(f.engine, store);
    const order: string[] = [];
    const done = (label: string) => (err: Error | null, value?: unknown) => order.push(`${label}:${err ? 'error' : JSON.stringify(value)}`);
    server.run('update', { fnSource: '(g) => ({ n: g.n + 1 })' }, done('u1'));
    server.run('set', { keyPath: ['missing', 'x'], values: [1] }, done('bad'));
    server.run('update', { fnSource: '(g) => ({ n: g.n * 10 })' }, done('u2'));
    server.run('get', { keyPath: 'n' }, done('get'));
    await new Promise<void>((resolve) => server.run('query', {}, () => resolve()));
    expect(order).toEqual(['u1:{"n":1}', 'bad:error', 'u2:{"n":10}', 'get:10']);
    memory.sandbox.close();
  });
});
