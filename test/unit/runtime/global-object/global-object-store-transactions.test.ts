import { afterAll, describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { Macros } from '../../../../src/protocol/macros';
import { MemoryGlobalObjectStore, type GlobalObject } from '../../../../src/runtime/global-object/global-object-store';
import { Sandbox } from '../../../../src/runtime/global-object/sandbox';
import { rejectedBy, settled } from '../../../helpers/thrown';

// query/update answer asynchronously (the function runs in the sandbox process): awaited here.
const thrown = (fn: () => unknown): Promise<GlobalObjectError> => rejectedBy(GlobalObjectError, fn);
const value = settled;

// One sandbox process for the whole file, re-seeded by each store.
const sandbox = new Sandbox();
const quickSandbox = new Sandbox({ timeoutMs: 20 });
afterAll(() => {
  sandbox.close();
  quickSandbox.close();
});
const store = (initial: GlobalObject = {}) => new MemoryGlobalObjectStore({ initial, sandbox });

describe('MemoryGlobalObjectStore query', () => {
  it('R-GLOBAL-4: without a function the whole object is returned', async () => {
    const s = store({ a: 1 });
    expect(s.query(undefined, undefined)).toEqual({ a: 1 });
    expect(s.query(undefined, { ignored: true })).toBe(s.get(undefined));
  });

  it('R-GLOBAL-4: the function gets (globalObject, context) and its result is returned (seed 000 example)', async () => {
    const s = store({ processDetail: [{ processId: 'M', processPid: 1 }, { processId: 'W:1', processPid: 2 }] });
    const queryFn = (globalObject: { processDetail: Array<{ processId: string }> }, context: { processId: string }) => {
      const { processId } = context;
      const { processDetail } = globalObject;
      return processDetail.find((detail) => detail.processId === processId);
    };
    expect(await value(s.query(queryFn.toString(), { processId: 'W:1' }))).toEqual({ processId: 'W:1', processPid: 2 });
  });

  it('R-GLOBAL-4: without a context the function sees undefined', async () => {
    expect(await value(store().query('(g, c) => c === undefined', undefined))).toBe(true);
  });

  it('R-GLOBAL-4: a query never changes the store, even when the function edits its argument', async () => {
    const s = store({ n: 1, list: [1] });
    expect(await value(s.query('(g) => { g.n = 99; g.list.push(2); delete g.n; return "done"; }', undefined))).toBe('done');
    expect(s.get(undefined)).toEqual({ n: 1, list: [1] });
  });

  it('R-GLOBAL-4: the result is a copy: editing it does not reach the store', async () => {
    const s = store({ obj: { n: 1 } });
    const result = (await value(s.query('(g) => g.obj', undefined))) as { n: number };
    result.n = 2;
    expect(s.get(['obj', 'n'])).toBe(1);
  });

  it('R-GLOBAL-4: a throw is the error, with the original as cause', async () => {
    const err = await thrown(() => store().query('() => { throw new TypeError("bad query") }', undefined));
    expect(err.message).toBe('queryGlobalObject: queryFn threw TypeError: bad query');
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('R-GLOBAL-4: a context that is not JSON-safe is refused', async () => {
    expect((await thrown(() => store().query('(g) => 1', { f: () => 1 }))).message).toBe(
      'queryGlobalObject: context must be JSON-safe (Array, Object, Number, String, Boolean, null): context.f is a function',
    );
  });
});

describe('MemoryGlobalObjectStore update', () => {
  const compete = ((globalObject: { totalCount: number }, context: { processOffset: number }) => {
    let { totalCount } = globalObject;
    const { processOffset } = context;
    if (processOffset % 2) totalCount -= 1;
    else totalCount -= 2;
    if (totalCount < 0) throw new Error('资源不足');
    return { ...globalObject, totalCount };
  }).toString();

  it('R-GLOBAL-4: the result is merged with Object.assign (seed 000 resource example)', async () => {
    const s = store({ totalCount: 9, other: 'kept' });
    const claimed: number[] = [];
    for (let offset = 1; offset <= 8; offset++) {
      try {
        await s.update(compete, { processOffset: offset });
        claimed.push(offset);
      } catch (err) {
        expect((err as Error).message).toBe('updateGlobalObject: updateFn threw Error: 资源不足');
      }
    }
    // 1:-1 2:-2 3:-1 4:-2 5:-1 6:-2 → 0 left; 7 and 8 fail.
    expect(claimed).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.get(undefined)).toEqual({ totalCount: 0, other: 'kept' });
  });

  it('R-GLOBAL-4: only the returned keys change; others stay', async () => {
    const s = store({ a: 1, b: 2 });
    expect(await s.update('() => ({ b: 3, c: 4 })', undefined)).toEqual({ a: 1, b: 3, c: 4 });
  });

  it('R-GLOBAL-4: the update answers with a copy of the global object taken right after its merge', async () => {
    const s = store({});
    const first = s.update('() => ({ x: 1 })', undefined);
    const second = s.update('(g) => ({ x: g.x + 1 })', undefined);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toEqual({ x: 1 });
    expect(b).toEqual({ x: 2 });
    expect(b).not.toBe(s.get(undefined));
    expect(s.get(undefined)).toEqual({ x: 2 });
  });

  it('R-GLOBAL-4: undefined or null from the function changes nothing', async () => {
    const s = store({ a: 1 });
    expect(await s.update('(g) => { g.a = 2; }', undefined)).toEqual({ a: 1 });
    expect(await s.update('() => null', undefined)).toEqual({ a: 1 });
  });

  it.each<[string, string, string]>([
    ['an array', '() => [1, 2]', 'array(2)'],
    ['a number', '() => 42', 'number 42'],
    ['a string', '() => "x"', '"x"'],
  ])('R-GLOBAL-4: a result that is %s is an error', async (_label, source, shown) => {
    expect((await thrown(() => store().update(source, undefined))).message).toBe(
      `updateGlobalObject: updateFn must return a plain object to merge (or nothing), got ${shown}`,
    );
  });

  it('R-GLOBAL-4: the update sees the context and the current object', async () => {
    const s = store({ n: 1 });
    await s.update('(g, c) => ({ n: g.n + c.by })', { by: 5 });
    await s.update('(g, c) => ({ n: g.n + c.by })', { by: 5 });
    expect(s.get('n')).toBe(11);
  });

  it('R-GLOBAL-4: an empty or non-string source is refused', async () => {
    expect((await thrown(() => store().update('  ', undefined))).message).toBe('updateGlobalObject: the function must be given as its source text, got "  "');
    expect((await thrown(() => store().update(undefined as unknown as string, undefined))).message).toMatch(/got undefined/);
  });
});

describe('MemoryGlobalObjectStore atomicity', () => {
  const initial: GlobalObject = { a: { b: 1 }, list: [1, 2, 3], n: 5, s: 'text', empty: [] };
  const failing: Array<[string, string, (s: MemoryGlobalObjectStore) => unknown]> = [
    ['R-GLOBAL-1', 'get through a missing step', (s) => s.get(['nope', 'x'])],
    ['R-GLOBAL-1', 'get SLICE on a non-array', (s) => s.get(['a', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE], [0])],
    ['R-GLOBAL-1', 'get with a write command', (s) => s.get(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP])],
    ['R-GLOBAL-5', 'get a forbidden key', (s) => s.get(['a', '__proto__'])],
    ['R-GLOBAL-2', 'set under a missing parent', (s) => s.set(['nope', 'x'], [1])],
    ['R-GLOBAL-2', 'set under a non-object', (s) => s.set(['n', 'x'], [1])],
    ['R-GLOBAL-2', 'set with no value', (s) => s.set('x', [])],
    ['R-GLOBAL-2', 'set a JSON-unsafe value', (s) => s.set('x', [{ ok: 1, bad: () => 1 }])],
    ['R-GLOBAL-5', 'set a value holding a forbidden key', (s) => s.set('x', [JSON.parse('{"__proto__":{"polluted":1}}')])],
    ['R-GLOBAL-5', 'set a forbidden key', (s) => s.set(['a', 'constructor'], [1])],
    ['R-GLOBAL-2', 'set past the end of an array', (s) => s.set(['list', 9], [1])],
    ['R-GLOBAL-2', 'set a command on a non-array', (s) => s.set(['a', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], [1])],
    ['R-GLOBAL-2', 'set a command with bad arguments', (s) => s.set(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SPLICE], ['1', 1])],
    ['R-GLOBAL-2', 'set FILL without a value', (s) => s.set(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_FILL], [])],
    ['R-GLOBAL-2', 'set PUSH with one unsafe value among safe ones', (s) => s.set(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], [4, 5, NaN])],
    ['R-GLOBAL-3', 'remove through a missing step', (s) => s.remove(['nope', 'x'])],
    ['R-GLOBAL-3', 'remove a non-index key of an array', (s) => s.remove(['list', 'length'])],
    ['R-GLOBAL-3', 'remove with a command', (s) => s.remove(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP])],
    ['R-GLOBAL-5', 'remove a forbidden key', (s) => s.remove(['a', 'prototype'])],
    ['R-GLOBAL-3', 'remove the whole object', (s) => s.remove([])],
    ['R-GLOBAL-4', 'query that throws', (s) => s.query('(g) => { g.a.b = 2; throw new Error("x") }', undefined)],
    ['R-GLOBAL-4', 'query with an unsafe context', (s) => s.query('(g) => 1', { d: new Date() })],
    ['R-GLOBAL-4', 'update that throws after editing its snapshot', (s) => s.update('(g) => { g.n = 0; g.list.length = 0; throw new Error("no") }', undefined)],
    ['R-GLOBAL-4', 'update returning an array', (s) => s.update('() => [1]', undefined)],
    ['R-GLOBAL-5', 'update returning a forbidden key', (s) => s.update('() => JSON.parse(\'{"ok":1,"__proto__":{"polluted":1}}\')', undefined)],
    ['R-GLOBAL-4', 'update returning a Promise', (s) => s.update('async () => ({ n: 0 })', undefined)],
    ['R-GLOBAL-4', 'update returning a BigInt', (s) => s.update('() => ({ n: 1n })', undefined)],
    ['R-GLOBAL-4', 'update with a syntax error', (s) => s.update('(g) => {', undefined)],
    ['R-GLOBAL-5', 'update that runs past its time limit', (s) => s.update('(g) => { while (true) {} }', undefined)],
  ];

  it.each(failing)('%s: a failing operation (%s) leaves the store exactly as it was', async (_rule, _label, operation) => {
    const s = new MemoryGlobalObjectStore({ initial, sandbox: quickSandbox });
    const before = structuredClone(s.get(undefined));
    await thrown(() => operation(s));
    expect(s.get(undefined)).toEqual(before);
    expect(Object.getPrototypeOf(s.get(undefined))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
