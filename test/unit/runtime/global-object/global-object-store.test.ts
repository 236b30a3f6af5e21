import { describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { Macros } from '../../../../src/protocol/macros';
import { Later, MemoryGlobalObjectStore, type GlobalObject } from '../../../../src/runtime/global-object/global-object-store';
import { thrownBy } from '../../../helpers/thrown';

const thrown = (fn: () => unknown): GlobalObjectError => thrownBy(GlobalObjectError, fn);

const store = (initial: GlobalObject = {}) => new MemoryGlobalObjectStore({ initial });
const A = (name: string) => Macros[`CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_${name}` as keyof typeof Macros];

describe('MemoryGlobalObjectStore get', () => {
  it.each<[string, unknown]>([['undefined', undefined], ['null', null], ['NaN', NaN], ["''", ''], ['[]', []], ['{}', {}]])(
    'R-GLOBAL-1: key path %s reads the whole object',
    (_label, keyPath) => {
      const s = store({ a: 1 });
      expect(s.get(keyPath)).toEqual({ a: 1 });
      expect(s.get(keyPath)).toBe(s.query(undefined, undefined));
    },
  );

  it('R-GLOBAL-1: reads a key, a nested path, an array element by number and by index string', () => {
    const s = store({ a: { b: { c: 3 } }, list: [10, 20, { x: 'y' }] });
    expect(s.get('a')).toEqual({ b: { c: 3 } });
    expect(s.get(['a', 'b', 'c'])).toBe(3);
    expect(s.get(['list', 1])).toBe(20);
    expect(s.get(['list', '2', 'x'])).toBe('y');
  });

  it('R-GLOBAL-1: a missing last key gives undefined, inherited names included', () => {
    const s = store({ a: { b: 1 }, list: [1] });
    expect(s.get(['a', 'nope'])).toBeUndefined();
    expect(s.get('nope')).toBeUndefined();
    expect(s.get(['a', 'toString'])).toBeUndefined();
    expect(s.get(['list', 5])).toBeUndefined();
  });

  it('R-GLOBAL-1: a missing step on the way is an error naming the operation and the key path', () => {
    expect(thrown(() => store({}).get(['a', 'b'])).message).toBe(
      'getGlobalObject: cannot read key "b" under a missing parent: key "a" does not exist (keyPath ["a","b"])',
    );
  });

  it('R-GLOBAL-1: a non-object step on the way is an error', () => {
    expect(thrown(() => store({ a: { n: 5 } }).get(['a', 'n', 'x'])).message).toBe(
      'getGlobalObject: cannot read key "x" under a parent that is not an object or array: key "n" under ["a"] holds number 5 (keyPath ["a","n","x"])',
    );
    expect(thrown(() => store({ s: 'text' }).get(['s', 'length'])).message).toMatch(/holds "text"/);
  });

  it('R-GLOBAL-1: SLICE returns array.slice(...sliceRange) (seed 001 example: slice(1, 2) of [0..5] is [1])', () => {
    const s = store({ key1: [0, 1, 2, 3, 4, 5] });
    expect(s.get(['key1', A('SLICE')], [1, 2])).toEqual([1]);
    expect(s.get(['key1', A('SLICE')], [-2])).toEqual([4, 5]);
    const copy = s.get(['key1', A('SLICE')]);
    expect(copy).toEqual([0, 1, 2, 3, 4, 5]);
    expect(copy).not.toBe(s.get('key1'));
  });

  it('R-GLOBAL-1: SLICE on something that is not an array is an error', () => {
    const s = store({ obj: {}, n: 1 });
    expect(thrown(() => s.get(['obj', A('SLICE')])).message).toBe(
      `getGlobalObject: an array command needs an array, found object (keyPath ["obj","${A('SLICE')}"])`,
    );
    expect(thrown(() => s.get(['missing', A('SLICE')])).message).toMatch(/found undefined/);
    expect(thrown(() => s.get([A('SLICE')])).message).toMatch(/found object/);
  });

  it('R-GLOBAL-1: a bad sliceRange, or a sliceRange without SLICE, is an error', () => {
    const s = store({ list: [1, 2, 3] });
    expect(thrown(() => s.get(['list', A('SLICE')], ['1'])).message).toMatch(/sliceRange: SLICE argument 1 must be an integer/);
    expect(thrown(() => s.get(['list', A('SLICE')], [0, 1, 2])).message).toMatch(/SLICE takes 0 to 2 arguments/);
    expect(thrown(() => s.get('list', [1])).message).toMatch(/does not end with CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE/);
  });

  it('R-GLOBAL-1: a write command in a read is refused and changes nothing', () => {
    const s = store({ list: [1, 2, 3] });
    expect(thrown(() => s.get(['list', A('POP')])).message).toMatch(/^getGlobalObject: POP changes the array; use setGlobalObject/);
    expect(s.get('list')).toEqual([1, 2, 3]);
  });
});

describe('MemoryGlobalObjectStore set', () => {
  it('R-GLOBAL-2: writes a key and returns { globalObject, commandResult: undefined }', () => {
    const s = store();
    const result = s.set('processDetail', [{}]);
    expect(result).toEqual({ globalObject: { processDetail: {} }, commandResult: undefined });
    expect(result.globalObject).toBe(s.get(undefined));
  });

  it('R-GLOBAL-2: seed 000 example: processDetail, then processDetail.M', () => {
    const s = store();
    s.set('processDetail', [{}]);
    s.set(['processDetail', 'M'], [4242]);
    s.set(['processDetail', '1'], [4243]);
    expect(s.get(['processDetail', 'M'])).toBe(4242);
    expect(s.get(undefined)).toEqual({ processDetail: { M: 4242, 1: 4243 } });
  });

  it('R-GLOBAL-2: without an array command the last value is written', () => {
    const s = store();
    s.set('a', [1, 2, 3]);
    expect(s.get('a')).toBe(3);
  });

  it('R-GLOBAL-2: no value at all is an error', () => {
    expect(thrown(() => store().set('a', [])).message).toBe(
      'setGlobalObject: no value to write (to delete a field use removeGlobalObject) (keyPath "a")',
    );
  });

  it('R-GLOBAL-2: creating a key under a missing parent is an error', () => {
    expect(thrown(() => store().set(['a', 'b'], [1])).message).toBe(
      'setGlobalObject: cannot create key "b" under a missing parent: key "a" does not exist (keyPath ["a","b"])',
    );
  });

  it('R-GLOBAL-2: creating a key under a non-object parent is an error', () => {
    for (const value of [1, 'text', true, null]) {
      const err = thrown(() => store({ a: value }).set(['a', 'b'], [1]));
      expect(err.message).toMatch(/^setGlobalObject: cannot create key "b" under a parent that is not an object or array: key "a" holds/);
    }
  });

  it('R-GLOBAL-2: writes into an array by index, appends at its length, refuses holes and non-index keys', () => {
    const s = store({ list: ['a', 'b'] });
    s.set(['list', 0], ['A']);
    s.set(['list', '2'], ['c']);
    expect(s.get('list')).toEqual(['A', 'b', 'c']);
    expect(thrown(() => s.set(['list', 5], ['x'])).message).toMatch(/index 5 is past the end of the array \(length 3\) and would leave a hole/);
    expect(thrown(() => s.set(['list', 'length'], [0])).message).toMatch(/key "length" is not an index; an array holds only index keys/);
    expect(thrown(() => s.set(['list', '01'], [0])).message).toMatch(/key "01" is not an index/);
  });

  it('R-GLOBAL-2: the stored value is a copy of the caller\'s', () => {
    const s = store();
    const value = { nested: { n: 1 } };
    s.set('v', [value]);
    value.nested.n = 2;
    expect(s.get(['v', 'nested', 'n'])).toBe(1);
  });

  it.each<[string, unknown, string]>([
    ['a function', { f: () => 1 }, 'value[0].f is a function'],
    ['undefined', undefined, 'value[0] is a undefined'],
    ['NaN', [NaN], 'value[0][0] is NaN (not finite)'],
    ['a Date', new Date(0), 'value[0] is an instance of Date (only plain objects cross IPC)'],
    ['a Map', new Map(), 'value[0] is an instance of Map (only plain objects cross IPC)'],
  ])('R-GLOBAL-2: a value that is not JSON-safe (%s) is refused, naming the sub-path', (_label, value, detail) => {
    const err = thrown(() => store().set('a', [value]));
    expect(err.message).toBe(`setGlobalObject: values must be JSON-safe (Array, Object, Number, String, Boolean, null): ${detail} (keyPath "a")`);
  });

  it('R-GLOBAL-2: a circular value is refused', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(thrown(() => store().set('a', [cyclic])).message).toMatch(/value\[0\]\.self is a circular reference/);
  });

  it('R-GLOBAL-2: POP removes the last element and returns it; on an empty array it returns undefined', () => {
    const s = store({ list: [1, 2, 3], empty: [] });
    expect(s.set(['list', A('POP')], []).commandResult).toBe(3);
    expect(s.get('list')).toEqual([1, 2]);
    expect(s.set(['empty', A('POP')], []).commandResult).toBeUndefined();
  });

  it('R-GLOBAL-2: PUSH appends and returns the new length (seed 001 example)', () => {
    const s = store({ key1: [] });
    const result = s.set(['key1', A('PUSH')], ['value1', 'value2', 'value3']);
    expect(result.commandResult).toBe(3);
    expect(result.globalObject).toEqual({ key1: ['value1', 'value2', 'value3'] });
  });

  it('R-GLOBAL-2: PUSH of process records (seed 000 example)', () => {
    const s = store();
    s.set('processDetail', [[]]);
    s.set(['processDetail', A('PUSH')], [{ processId: 'M', processPid: 1 }]);
    s.set(['processDetail', A('PUSH')], [{ processId: 'W:1', processPid: 2 }]);
    expect(s.get('processDetail')).toEqual([{ processId: 'M', processPid: 1 }, { processId: 'W:1', processPid: 2 }]);
  });

  it('R-GLOBAL-2: FILL fills a range and returns the array', () => {
    const s = store({ list: [1, 2, 3, 4] });
    const { commandResult } = s.set(['list', A('FILL')], [0, 1, 3]);
    expect(s.get('list')).toEqual([1, 0, 0, 4]);
    expect(commandResult).toBe(s.get('list'));
  });

  it('R-GLOBAL-2: SHIFT removes the first element and returns it', () => {
    const s = store({ list: ['a', 'b'] });
    expect(s.set(['list', A('SHIFT')], []).commandResult).toBe('a');
    expect(s.get('list')).toEqual(['b']);
  });

  it('R-GLOBAL-2: SPLICE removes and inserts, returning the removed elements', () => {
    const s = store({ list: [1, 2, 3, 4] });
    expect(s.set(['list', A('SPLICE')], [1, 2, 'x', 'y', 'z']).commandResult).toEqual([2, 3]);
    expect(s.get('list')).toEqual([1, 'x', 'y', 'z', 4]);
  });

  it('R-GLOBAL-2: UNSHIFT prepends and returns the new length', () => {
    const s = store({ list: [3] });
    expect(s.set(['list', A('UNSHIFT')], [1, 2]).commandResult).toBe(3);
    expect(s.get('list')).toEqual([1, 2, 3]);
  });

  it('R-GLOBAL-2: REVERSE reverses in place and returns the array', () => {
    const s = store({ list: [1, 2, 3] });
    expect(s.set(['list', A('REVERSE')], []).commandResult).toEqual([3, 2, 1]);
    expect(s.get('list')).toEqual([3, 2, 1]);
  });

  it('R-GLOBAL-2: COPYWITHIN copies inside the array and returns it', () => {
    const s = store({ list: [1, 2, 3, 4, 5] });
    expect(s.set(['list', A('COPYWITHIN')], [0, 3]).commandResult).toEqual([4, 5, 3, 4, 5]);
  });

  it('R-GLOBAL-2: an array command on a nested array, a missing field, a non-array, or the root', () => {
    const s = store({ a: { list: [1] }, obj: {} });
    expect(s.set(['a', 'list', A('PUSH')], [2]).commandResult).toBe(2);
    expect(thrown(() => s.set(['nope', A('PUSH')], [1])).message).toMatch(/an array command needs an array, found undefined/);
    expect(thrown(() => s.set(['obj', A('PUSH')], [1])).message).toMatch(/found object/);
    expect(thrown(() => s.set([A('PUSH')], [1])).message).toMatch(/found object/);
    expect(thrown(() => s.set(['nope', 'deeper', A('PUSH')], [1])).message).toMatch(/cannot reach the array under a missing parent/);
  });

  it('R-GLOBAL-2: SLICE in a write is refused; wrong command arguments are refused', () => {
    const s = store({ list: [1] });
    expect(thrown(() => s.set(['list', A('SLICE')], [0])).message).toMatch(/^setGlobalObject: SLICE only reads; use getGlobalObject/);
    expect(thrown(() => s.set(['list', A('POP')], [1])).message).toMatch(/POP takes 0 arguments, got 1/);
  });
});

describe('MemoryGlobalObjectStore remove', () => {
  it('R-GLOBAL-3: deletes an object key and returns the global object', () => {
    const s = store({ processDetail: { M: 1, 1: 2 } });
    const result = s.remove(['processDetail', 'M']);
    expect(result).toEqual({ processDetail: { 1: 2 } });
    expect(result).toBe(s.get(undefined));
    expect(s.remove('processDetail')).toEqual({});
  });

  it('R-GLOBAL-3: removes an array element with splice, by number or by index string (seed 001 example)', () => {
    const s = store({ key1: [0, 1, 2, 3, 4, 5] });
    s.remove(['key1', '0']);
    expect(s.get('key1')).toEqual([1, 2, 3, 4, 5]);
    s.remove(['key1', 2]);
    expect(s.get('key1')).toEqual([1, 2, 4, 5]);
  });

  it('R-GLOBAL-3: a missing last key or an index past the end changes nothing', () => {
    const s = store({ a: {}, list: [1] });
    expect(s.remove(['a', 'nope'])).toEqual({ a: {}, list: [1] });
    expect(s.remove(['list', 3])).toEqual({ a: {}, list: [1] });
  });

  it('R-GLOBAL-3: a missing or non-object step is an error', () => {
    expect(thrown(() => store().remove(['a', 'b'])).message).toBe(
      'removeGlobalObject: cannot remove key "b" under a missing parent: key "a" does not exist (keyPath ["a","b"])',
    );
    expect(thrown(() => store({ a: 1 }).remove(['a', 'b'])).message).toMatch(/under a parent that is not an object or array: key "a" holds number 1/);
  });

  it('R-GLOBAL-3: in an array a key that is not an index is refused', () => {
    for (const key of ['length', 'foo', '01', '-1']) {
      expect(thrown(() => store({ list: [1, 2] }).remove(['list', key])).message).toMatch(/is not an index; an array holds only index keys/);
    }
  });

  it('R-GLOBAL-3: an array command in the key path is refused', () => {
    expect(thrown(() => store({ list: [1] }).remove(['list', A('POP')])).message).toMatch(
      /^removeGlobalObject: array command POP cannot be used with removeGlobalObject/,
    );
  });
});

describe('MemoryGlobalObjectStore construction', () => {
  it('R-GLOBAL-2: the initial object is copied, and must be JSON-safe without forbidden keys', () => {
    const initial = { a: { b: 1 } };
    const s = store(initial);
    initial.a.b = 2;
    expect(s.get(['a', 'b'])).toBe(1);
    expect(() => store({ f: () => 1 })).toThrow(/option initial must be JSON-safe/);
    expect(() => store(JSON.parse('{"__proto__":{}}') as GlobalObject)).toThrow(/initial.__proto__/);
    expect(() => new MemoryGlobalObjectStore({ initial: [] as unknown as GlobalObject })).toThrow(/must be a plain object/);
  });

  it('R-GLOBAL-1: get, set, remove and a query without function answer synchronously; a query with one is ordered at once and answers Later; an update answers with a promise', async () => {
    const s = store({ list: [1] });
    const results = [s.get('list'), s.set('a', [1]), s.remove('a'), s.query(undefined, undefined)];
    expect(results).toHaveLength(4);
    for (const r of results) expect(r).not.toBeInstanceOf(Promise);
    const query = s.query('(g) => g.list', undefined);
    expect(query).toBeInstanceOf(Later);
    const update = s.update('() => ({ b: 2 })', undefined);
    expect(update).toBeInstanceOf(Promise);
    // The query was ordered before the update, so it does not see its result.
    s.set('c', [3]);
    expect(await (query as Later<unknown>).promise).toEqual([1]);
    await update;
    expect(s.get(undefined)).toEqual({ list: [1], c: 3, b: 2 });
    s.sandbox.close();
  });
});
