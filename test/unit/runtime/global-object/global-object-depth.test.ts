/**
 * The global object cannot be made unserializable (issue 14, deliver 4): a write that would nest
 * the store past MAX_GLOBAL_OBJECT_DEPTH (MAX_DATA_DEPTH − 2, room for the reply's two wrapping
 * levels) is refused with GlobalObjectError and changes nothing, the store's own errors reach the
 * caller as GlobalObjectError, and a reply that cannot be written is answered with an error.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope, MessageData } from '../../../../src/protocol/envelope';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { MAX_DATA_DEPTH } from '../../../../src/protocol/limits';
import { Macros } from '../../../../src/protocol/macros';
import type { Engine } from '../../../../src/runtime/engine';
import { MAX_GLOBAL_OBJECT_DEPTH, dataDepth } from '../../../../src/runtime/global-object/data-depth';
import { GlobalObjectServer } from '../../../../src/runtime/global-object/global-object-server';
import { MemoryGlobalObjectStore, type GlobalObject, type GlobalObjectStore } from '../../../../src/runtime/global-object/global-object-store';
import { Sandbox } from '../../../../src/runtime/global-object/sandbox';
import { reviveGlobalError } from '../../../../src/runtime/global-object/global-object-wire';
import { rejectedBy, settled, thrownBy } from '../../../helpers/thrown';

const thrown = (fn: () => unknown): GlobalObjectError => thrownBy(GlobalObjectError, fn);

/** `{ d: { d: … { d: leaf } } }`, `levels` objects deep (0 gives the leaf). */
function nested(levels: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { d: v };
  return v;
}
const path = (levels: number) => Array.from({ length: levels }, () => 'd');

const sandbox = new Sandbox();
afterAll(() => sandbox.close());
const store = (initial: GlobalObject = {}) => new MemoryGlobalObjectStore({ initial, sandbox });

describe('global object depth limit', () => {
  it('R-GLOBAL-2: the limit leaves room for the reply that carries the store', () => {
    expect(MAX_GLOBAL_OBJECT_DEPTH).toBe(MAX_DATA_DEPTH - 2);
    expect([dataDepth(1), dataDepth({}), dataDepth([]), dataDepth({ a: [{}] }), dataDepth(nested(5))]).toEqual([0, 1, 1, 3, 5]);
    expect(dataDepth(nested(50), 10)).toBe(Infinity);
  });

  it('R-GLOBAL-2: a set is measured with its path: exactly at the limit is written, one level more is refused and changes nothing', () => {
    const s = store();
    // The root is level 1; a value under key "a" starts at level 2.
    s.set('a', [nested(MAX_GLOBAL_OBJECT_DEPTH - 1)]);
    expect(dataDepth(s.get(undefined))).toBe(MAX_GLOBAL_OBJECT_DEPTH);
    const before = structuredClone(s.get(undefined));
    const err = thrown(() => s.set('b', [nested(MAX_GLOBAL_OBJECT_DEPTH)]));
    expect(err.message).toBe(`setGlobalObject: value[0] would nest the global object deeper than ${MAX_GLOBAL_OBJECT_DEPTH} levels (the limit that keeps it transferable); nothing was changed (keyPath "b")`);
    thrown(() => s.set(['a', ...path(50)], [nested(MAX_GLOBAL_OBJECT_DEPTH - 50)]));
    expect(s.get(undefined)).toEqual(before);
  });

  it('R-GLOBAL-2: the issue\'s reproduction: two valid-looking sets cannot build a 5 000-level object, and the store keeps answering', async () => {
    const s = store();
    s.set('deep', [nested(60)]);
    // The report's second value is deeper than any data may be (R-IPC-2)…
    const tooDeep = thrown(() => s.set(['deep', ...path(60)], [nested(4940)]));
    expect(tooDeep.name).toBe('GlobalObjectError');
    expect(tooDeep.message).toMatch(/is nested deeper than MAX_DATA_DEPTH \(100 levels of arrays and objects\)/);
    // …and one that is not would still make the store too deep at that path.
    const err = thrown(() => s.set(['deep', ...path(60)], [nested(50)]));
    expect(err.name).toBe('GlobalObjectError');
    expect(err.message).toMatch(/would nest the global object deeper than 98 levels/);
    expect(dataDepth(s.get(undefined))).toBe(61);
    // Everything that failed in the report works: a set, the whole object, an update.
    s.set('n', [1]);
    expect(JSON.parse(JSON.stringify(s.get(undefined)))).toEqual({ deep: nested(60), n: 1 });
    expect((await s.update('(g) => ({ n: g.n + 1 })', undefined)).n).toBe(2);
  });

  it('R-GLOBAL-2: an array command counts the array\'s level: PUSH of a value one level too deep is refused', () => {
    const s = store({ list: [] });
    s.set(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], [nested(MAX_GLOBAL_OBJECT_DEPTH - 2)]);
    thrown(() => s.set(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], [1, nested(MAX_GLOBAL_OBJECT_DEPTH - 1)]));
    expect((s.get('list') as unknown[]).length).toBe(1);
  });

  it('R-GLOBAL-4: an update whose result would nest the store too deep is refused; neither the store nor the sandbox\'s replica changes', async () => {
    const s = store({ n: 1 });
    const err = await rejectedBy(GlobalObjectError, () => s.update(`() => { let v = 1; for (let i = 0; i < ${MAX_GLOBAL_OBJECT_DEPTH}; i++) v = { d: v }; return { n: 2, v }; }`, undefined));
    expect(err.message).toBe(`updateGlobalObject: updateFn returned a value that would nest the global object deeper than ${MAX_GLOBAL_OBJECT_DEPTH} levels; nothing was changed`);
    expect(s.get(undefined)).toEqual({ n: 1 });
    expect(await settled(s.query('(g) => g', undefined))).toEqual({ n: 1 });
  });

  it('R-GLOBAL-2: the master\'s own call with a value nested 20 000 levels or a cycle is refused with GlobalObjectError, never a RangeError', () => {
    const s = store();
    const deep = thrown(() => s.set('a', [nested(20_000)]));
    expect(deep.name).toBe('GlobalObjectError');
    expect(deep.message).toMatch(/is nested deeper than MAX_DATA_DEPTH \(100 levels of arrays and objects\)/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(thrown(() => s.set('a', [cyclic])).message).toMatch(/value\[0\]\.self is a circular reference/);
    expect(() => new MemoryGlobalObjectStore({ initial: nested(200) as GlobalObject, sandbox })).toThrow(/nested deeper than 98 levels/);
    expect(s.get(undefined)).toEqual({});
  });
});

/** A fake engine whose replies can be made to fail as a channel's frame write does. */
function fakeEngine(failFirstWrites: number) {
  const handlers = new Map<string, (env: Envelope) => void>();
  const replies: MessageData[] = [];
  const warnings: string[] = [];
  let failing = failFirstWrites;
  const engine = {
    options: { logger: { info() {}, warn: (...a: unknown[]) => warnings.push(a.join(' ')), error() {} } },
    handleInternal: (action: string, h: (env: Envelope) => void) => handlers.set(action, h),
    replyInternal: (_env: Envelope, data: MessageData, cb?: (error: Error | null) => void) => {
      if (failing > 0) {
        failing--;
        queueMicrotask(() => cb?.(new RangeError('Maximum call stack size exceeded')));
        return;
      }
      replies.push(data);
      queueMicrotask(() => cb?.(null));
    },
  };
  const request = (action: string, payload: unknown) =>
    handlers.get(action)!({ meta: { traceId: 'x'.repeat(24), toProcessId: 'M', fromProcessId: 'W:1', isRes: false, isTransitRes: false, transitTraceId: null }, data: { action, payload } });
  return { engine: engine as unknown as Engine, replies, warnings, request };
}

describe('global object server: errors always reach the caller', () => {
  it('R-GLOBAL-2: a reply whose write fails is answered with a GlobalObjectError saying so', async () => {
    const f = fakeEngine(1);
    new GlobalObjectServer(f.engine, store({ a: 1 }));
    f.request(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_GLOBAL_OBJECT, { keyPath: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(f.replies).toHaveLength(1);
    expect(f.replies[0].action).toBe(Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_GLOBAL_OBJECT);
    const err = reviveGlobalError(f.replies[0].error);
    expect(err).toBeInstanceOf(GlobalObjectError);
    expect(err.message).toBe('getGlobalObject: the reply to W:1 could not be written: Maximum call stack size exceeded');
  });

  it('R-GLOBAL-2: when even the error reply cannot be written, it is logged, not dropped silently', async () => {
    const f = fakeEngine(2);
    new GlobalObjectServer(f.engine, store({ a: 1 }));
    f.request(Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_GLOBAL_OBJECT, { keyPath: 'a' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(f.replies).toHaveLength(0);
    expect(f.warnings).toEqual(['getGlobalObject: the reply to W:1 could not be written: Maximum call stack size exceeded; reporting it failed too: Maximum call stack size exceeded']);
  });

  it('R-GLOBAL-2: an error of another class thrown inside the store reaches the caller as GlobalObjectError, with it as cause', async () => {
    const f = fakeEngine(0);
    const failing = { get: () => { throw new RangeError('deep'); } } as unknown as GlobalObjectStore;
    const server = new GlobalObjectServer(f.engine, failing);
    const err = await new Promise<Error | null>((resolve) => server.run('get', { keyPath: 'a' }, (e) => resolve(e)));
    expect(err).toBeInstanceOf(GlobalObjectError);
    expect(err!.message).toBe('getGlobalObject failed in the store: RangeError: deep');
    expect(err!.cause).toBeInstanceOf(RangeError);
  });
});
