import { describe, expect, it } from 'vitest';
import { cloneJson, copyReceived, findJsonUnsafe, isPlainObject } from '../../../src/protocol/json-safe';
import { MAX_DATA_DEPTH, MAX_DATA_VALUES } from '../../../src/protocol/limits';
import { DataLimitError } from '../../../src/protocol/errors';

/** `depth` levels of arrays (the outermost is level 1) around 0. */
function nested(depth: number): unknown {
  let v: unknown = 0;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('json-safe', () => {
  it('R-IPC-2: findJsonUnsafe accepts what JSON keeps and names the first offender', () => {
    expect(findJsonUnsafe({ a: [1, 'x', true, null, { b: {} }] })).toBeNull();
    expect(findJsonUnsafe({ a: [1, () => 1] })).toBe('$.a[1] is a function');
    expect(findJsonUnsafe(new Date(), 'v')).toBe('v is an instance of Date (only plain objects cross IPC)');
    expect(findJsonUnsafe(NaN)).toBe('$ is NaN (not finite)');
  });

  it('R-IPC-4: cloneJson makes a deep copy that shares nothing', () => {
    const src = { a: [1, { b: 'c' }], d: { e: null as null | number }, f: 'g' };
    const copy = cloneJson(src);
    expect(copy).toEqual(src);
    expect(copy).not.toBe(src);
    expect(copy.a).not.toBe(src.a);
    expect(copy.a[1]).not.toBe(src.a[1]);
    (src.a[1] as { b: string }).b = 'changed';
    src.d.e = 5;
    expect(copy).toEqual({ a: [1, { b: 'c' }], d: { e: null }, f: 'g' });
    expect(cloneJson(7)).toBe(7);
    expect(cloneJson(null)).toBeNull();
  });

  it("ISSUE-3: cloneJson keeps a '__proto__' key as data, never as the prototype", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect((copy as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('ISSUE-3: isPlainObject only for plain objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    for (const v of [[], null, 1, 'x', new Date(), new (class A {})()]) expect(isPlainObject(v)).toBe(false);
  });

  it('R-IPC-2: findJsonUnsafe refuses data nested past MAX_DATA_DEPTH, naming the limit and an elided path', () => {
    expect(findJsonUnsafe(nested(MAX_DATA_DEPTH), 'data')).toBeNull();
    const problem = findJsonUnsafe(nested(MAX_DATA_DEPTH + 1), 'data');
    expect(problem).toBe(`data[0][0][0][0][0][0][0][0]…(89 more levels)…[0][0][0] is nested deeper than MAX_DATA_DEPTH (${MAX_DATA_DEPTH} levels of arrays and objects)`);
    // A payload is one level down inside the data: the limit counts from the data.
    expect(findJsonUnsafe(nested(MAX_DATA_DEPTH), 'payload', 2)).toMatch(/MAX_DATA_DEPTH/);
    expect(findJsonUnsafe(nested(MAX_DATA_DEPTH - 1), 'payload', 2)).toBeNull();
    // 20 000 levels: refused, no stack overflow.
    expect(findJsonUnsafe(nested(20_000))).toMatch(/MAX_DATA_DEPTH/);
  });

  it('R-IPC-2: findJsonUnsafe refuses data of more than MAX_DATA_VALUES values, naming the limit', () => {
    expect(findJsonUnsafe({ a: new Array(MAX_DATA_VALUES - 1).fill(0) })).toBeNull();
    expect(findJsonUnsafe({ a: new Array(MAX_DATA_VALUES).fill(0) }, 'data')).toBe(`data.a holds more than MAX_DATA_VALUES (${MAX_DATA_VALUES} values)`);
    const wide: Record<string, number> = {};
    for (let i = 0; i <= MAX_DATA_VALUES; i++) wide[`k${i}`] = i;
    expect(findJsonUnsafe(wide, 'data')).toMatch(/^data holds more than MAX_DATA_VALUES/);
  });

  it("R-IPC-2: findJsonUnsafe refuses an own '__proto__' key (JSON.parse makes those); cycles are still named", () => {
    expect(findJsonUnsafe(JSON.parse('{"a":[{"__proto__":{"x":1}}]}'), 'data')).toBe("data.a[0].__proto__ is an own '__proto__' key (it would replace a prototype where the data is copied)");
    expect(findJsonUnsafe({ prototype: 1, constructor: 2 })).toBeNull();
    const cyclic: Record<string, unknown> = { a: { b: [] } };
    ((cyclic.a as Record<string, unknown>).b as unknown[]).push(cyclic);
    expect(findJsonUnsafe(cyclic)).toBe('$.a.b[0] is a circular reference');
    const shared = { x: 1 };
    expect(findJsonUnsafe({ a: shared, b: shared, c: [shared, shared] })).toBeNull();
  });

  it('R-IPC-4: copyReceived copies what arrived; past a limit or with a __proto__ key it throws DataLimitError naming it', () => {
    const src = JSON.parse('{"action":"A","payload":{"a":[1,{"b":"c"}]}}') as { payload: { a: unknown[] } };
    const copy = copyReceived(src);
    expect(copy).toEqual(src);
    expect(copy.payload.a).not.toBe(src.payload.a);
    const cases: [unknown, RegExp][] = [
      [{ action: 'A', payload: nested(MAX_DATA_DEPTH) }, /^data\.payload\[0\].*is nested deeper than MAX_DATA_DEPTH \(100/],
      [{ action: 'A', payload: nested(20_000) }, /MAX_DATA_DEPTH/],
      [{ action: 'A', payload: new Array(MAX_DATA_VALUES).fill(1) }, /^data\.payload holds more than MAX_DATA_VALUES \(1000000 values\)$/],
      [JSON.parse('{"action":"A","payload":{"x":{"__proto__":{"polluted":true}}}}'), /^data\.payload\.x\.__proto__ is an own '__proto__' key/],
    ];
    for (const [value, message] of cases) {
      let error: unknown = null;
      try { copyReceived(value); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(DataLimitError);
      expect((error as Error).name).toBe('DataLimitError');
      expect((error as Error).message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(copyReceived({ action: 'A', payload: nested(MAX_DATA_DEPTH - 1) })).toEqual({ action: 'A', payload: nested(MAX_DATA_DEPTH - 1) });
  });
});
