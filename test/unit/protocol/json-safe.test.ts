import { describe, expect, it } from 'vitest';
import { cloneJson, findJsonUnsafe, isPlainObject } from '../../../src/protocol/json-safe';

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
});
