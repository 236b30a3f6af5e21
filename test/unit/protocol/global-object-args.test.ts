import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/protocol/errors';
import {
  parseGetGlobalObjectArgs,
  parseQueryGlobalObjectArgs,
  parseRemoveGlobalObjectArgs,
  parseSetGlobalObjectArgs,
  parseUpdateGlobalObjectArgs,
} from '../../../src/protocol/global-object-args';
import { Macros } from '../../../src/protocol/macros';
import { thrownBy } from '../../helpers/thrown';

const thrown = (fn: () => unknown): InvalidArgumentError => thrownBy(InvalidArgumentError, fn);

const cb = (_error: Error | null, _value?: unknown): void => undefined;
const SLICE = Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE;
const PUSH = Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH;

describe('getGlobalObject arguments', () => {
  it('R-GLOBAL-1: (cb) reads the whole object', () => {
    expect(parseGetGlobalObjectArgs([cb])).toEqual({ keyPath: undefined, sliceRange: [], callBack: cb });
  });

  it('R-GLOBAL-1: (keyPath, cb)', () => {
    expect(parseGetGlobalObjectArgs([['a', 'b'], cb])).toEqual({ keyPath: ['a', 'b'], sliceRange: [], callBack: cb });
  });

  it('R-GLOBAL-1: (keyPath, ...sliceRange, cb) (seed 001 example)', () => {
    expect(parseGetGlobalObjectArgs([['key1', SLICE], 1, 2, cb])).toEqual({ keyPath: ['key1', SLICE], sliceRange: [1, 2], callBack: cb });
  });

  it('R-GLOBAL-1: without a callback nothing is done (null)', () => {
    expect(parseGetGlobalObjectArgs([])).toBeNull();
    expect(parseGetGlobalObjectArgs(['a'])).toBeNull();
    expect(parseGetGlobalObjectArgs([['a', SLICE], 1, 2])).toBeNull();
  });

  it('R-GLOBAL-1: a function that is not last is a misplaced callback', () => {
    expect(thrown(() => parseGetGlobalObjectArgs([cb, 'a'])).message).toBe(
      `getGlobalObject: argument 'callBack' must be a function, given as the last argument, got "a"`,
    );
  });

  it('R-GLOBAL-1: NaN as key path becomes null (both mean the whole object); other empty forms pass as given', () => {
    expect(parseGetGlobalObjectArgs([NaN, cb])?.keyPath).toBeNull();
    for (const form of [null, '', [], {}]) expect(parseGetGlobalObjectArgs([form, cb])?.keyPath).toEqual(form);
  });

  it('R-GLOBAL-1: a key path or sliceRange that JSON cannot carry is refused', () => {
    expect(thrown(() => parseGetGlobalObjectArgs([['a', NaN], cb])).message).toBe(
      "getGlobalObject: argument 'keyPath' must be a key (string or integer) or an array of keys (keyPath[1] is NaN (not finite)), got array(2)",
    );
    expect(thrown(() => parseGetGlobalObjectArgs([['a', SLICE], 1, Infinity, cb])).message).toMatch(
      /argument 'sliceRange' must be JSON-safe .*sliceRange\[1\] is Infinity \(not finite\), got number Infinity/,
    );
  });
});

describe('setGlobalObject arguments', () => {
  it('R-GLOBAL-2: (keyPath, value, cb)', () => {
    expect(parseSetGlobalObjectArgs(['processDetail', {}, cb])).toEqual({ keyPath: 'processDetail', values: [{}], callBack: cb });
  });

  it('R-GLOBAL-2: (keyPath, value) without a callback', () => {
    expect(parseSetGlobalObjectArgs([['processDetail', 'M'], 1234])).toEqual({ keyPath: ['processDetail', 'M'], values: [1234], callBack: null });
  });

  it('R-GLOBAL-2: every argument between keyPath and a trailing function is a value (seed 001 PUSH example)', () => {
    const request = parseSetGlobalObjectArgs([['key1', PUSH], 'value1', 'value2', 'value3', cb]);
    expect(request.values).toEqual(['value1', 'value2', 'value3']);
    expect(request.callBack).toBe(cb);
    expect(parseSetGlobalObjectArgs(['a', 1, 2, 3]).values).toEqual([1, 2, 3]);
  });

  it('R-GLOBAL-2: (keyPath) and (keyPath, cb) give no value (POP / SHIFT / REVERSE need none)', () => {
    expect(parseSetGlobalObjectArgs([['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP]]).values).toEqual([]);
    expect(parseSetGlobalObjectArgs([['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_POP], cb])).toMatchObject({ values: [], callBack: cb });
  });

  it('R-GLOBAL-2: keyPath is required', () => {
    expect(thrown(() => parseSetGlobalObjectArgs([])).message).toBe(
      "setGlobalObject: argument 'keyPath' must be a key or an array of keys (it is required), got undefined",
    );
    expect(thrown(() => parseSetGlobalObjectArgs([cb])).message).toMatch(/argument 'keyPath' must be a key or an array of keys \(it is required\)/);
  });

  it('R-GLOBAL-2: a value that JSON cannot carry is refused, naming the value', () => {
    const fn = () => 1;
    expect(thrown(() => parseSetGlobalObjectArgs(['a', 1, fn, cb])).message).toBe(
      "setGlobalObject: argument 'value' must be JSON-safe (Array, Object, Number, String, Boolean, null): value[1] is a function, got function fn",
    );
    expect(thrown(() => parseSetGlobalObjectArgs(['a', undefined])).message).toMatch(/value\[0\] is a undefined/);
    expect(thrown(() => parseSetGlobalObjectArgs(['a', { d: new Date(0) }])).message).toMatch(/value\[0\]\.d is an instance of Date/);
  });

  it('R-GLOBAL-2: a function as keyPath is refused', () => {
    expect(thrown(() => parseSetGlobalObjectArgs([cb, 1])).message).toMatch(/^setGlobalObject: argument 'keyPath' must be a key/);
  });
});

describe('removeGlobalObject arguments', () => {
  it('R-GLOBAL-3: (keyPath) and (keyPath, cb)', () => {
    expect(parseRemoveGlobalObjectArgs(['a'])).toEqual({ keyPath: 'a', callBack: null });
    expect(parseRemoveGlobalObjectArgs([['key1', '0'], cb])).toEqual({ keyPath: ['key1', '0'], callBack: cb });
    expect(parseRemoveGlobalObjectArgs(['a', undefined])).toEqual({ keyPath: 'a', callBack: null });
  });

  it('R-GLOBAL-3: keyPath is required; a second argument must be the callback; at most 2 arguments', () => {
    expect(thrown(() => parseRemoveGlobalObjectArgs([])).message).toMatch(/argument 'keyPath' .* required/);
    expect(thrown(() => parseRemoveGlobalObjectArgs([cb])).message).toMatch(/argument 'keyPath' .* required\), got function cb/);
    expect(thrown(() => parseRemoveGlobalObjectArgs(['a', 'b'])).message).toBe(
      `removeGlobalObject: argument 'callBack' must be a function (error, value) or nothing, got "b"`,
    );
    expect(thrown(() => parseRemoveGlobalObjectArgs(['a', 'b', cb])).message).toBe(
      "removeGlobalObject: argument 'arguments' must be at most 2 (usage: removeGlobalObject(keyPath[, callBack])), got number 3",
    );
  });
});

describe('queryGlobalObject arguments', () => {
  const queryFn = (globalObject: { n: number }, context: { by: number }) => globalObject.n * context.by;

  it('R-GLOBAL-4: (cb) reads the whole object', () => {
    expect(parseQueryGlobalObjectArgs([cb])).toEqual({ context: undefined, queryFnSource: undefined, callBack: cb });
  });

  it('R-GLOBAL-4: (queryFn, cb) sends the function as its source text', () => {
    expect(parseQueryGlobalObjectArgs([queryFn, cb])).toEqual({ context: undefined, queryFnSource: queryFn.toString(), callBack: cb });
  });

  it('R-GLOBAL-4: (context, queryFn, cb)', () => {
    expect(parseQueryGlobalObjectArgs([{ by: 2 }, queryFn, cb])).toEqual({ context: { by: 2 }, queryFnSource: queryFn.toString(), callBack: cb });
  });

  it('R-GLOBAL-4: (context, cb) and (context, null, cb) read the whole object', () => {
    expect(parseQueryGlobalObjectArgs([{ by: 2 }, cb])).toEqual({ context: { by: 2 }, queryFnSource: undefined, callBack: cb });
    expect(parseQueryGlobalObjectArgs([{ by: 2 }, null, cb])).toEqual({ context: { by: 2 }, queryFnSource: undefined, callBack: cb });
  });

  it('R-GLOBAL-4: without a callback nothing is done (null)', () => {
    expect(parseQueryGlobalObjectArgs([])).toBeNull();
    expect(parseQueryGlobalObjectArgs([{ by: 2 }])).toBeNull();
  });

  it('R-GLOBAL-4: a function that is not last (swapped arguments) is refused', () => {
    expect(thrown(() => parseQueryGlobalObjectArgs([queryFn, { by: 2 }])).message).toMatch(/argument 'callBack' must be a function, given as the last argument/);
  });

  it('R-GLOBAL-4: a queryFn that is not a function, a context JSON cannot carry, or too many arguments are refused', () => {
    expect(thrown(() => parseQueryGlobalObjectArgs([{}, 'fn', cb])).message).toBe(
      `queryGlobalObject: argument 'queryFn' must be a function (globalObject, context) or nothing, got "fn"`,
    );
    expect(thrown(() => parseQueryGlobalObjectArgs([{ f: cb }, queryFn, cb])).message).toMatch(/argument 'context' must be JSON-safe .*context\.f is a function/);
    expect(thrown(() => parseQueryGlobalObjectArgs([{}, {}, queryFn, cb])).message).toMatch(/argument 'arguments' must be at most 3/);
  });

  it('R-GLOBAL-4: a bound or native function has no source to send and is refused', () => {
    expect(thrown(() => parseQueryGlobalObjectArgs([queryFn.bind(null), cb])).message).toMatch(/a function with source text \(a native or bound function has none\)/);
    expect(thrown(() => parseQueryGlobalObjectArgs([Math.max, cb])).message).toMatch(/argument 'queryFn' must be a function with source text/);
  });
});

describe('updateGlobalObject arguments', () => {
  const updateFn = (globalObject: { n: number }) => ({ n: globalObject.n + 1 });

  it('R-GLOBAL-4: (updateFn)', () => {
    expect(parseUpdateGlobalObjectArgs([updateFn])).toEqual({ context: undefined, updateFnSource: updateFn.toString(), callBack: null });
  });

  it('R-GLOBAL-4: (context, updateFn)', () => {
    expect(parseUpdateGlobalObjectArgs([{ a: 1 }, updateFn])).toEqual({ context: { a: 1 }, updateFnSource: updateFn.toString(), callBack: null });
  });

  it('R-GLOBAL-4: (context, updateFn, cb)', () => {
    expect(parseUpdateGlobalObjectArgs([{ a: 1 }, updateFn, cb])).toEqual({ context: { a: 1 }, updateFnSource: updateFn.toString(), callBack: cb });
  });

  it('R-GLOBAL-4: (updateFn, cb): with two functions the first is updateFn', () => {
    expect(parseUpdateGlobalObjectArgs([updateFn, cb])).toEqual({ context: undefined, updateFnSource: updateFn.toString(), callBack: cb });
  });

  it('R-GLOBAL-4: (context, updateFn, undefined) has no callback', () => {
    expect(parseUpdateGlobalObjectArgs([1, updateFn, undefined]).callBack).toBeNull();
  });

  it('R-GLOBAL-4: updateFn is required and must be a function', () => {
    expect(thrown(() => parseUpdateGlobalObjectArgs([])).message).toBe(
      "updateGlobalObject: argument 'updateFn' must be a function (globalObject, context) (usage: [context,] updateFn[, callBack]), got undefined",
    );
    expect(thrown(() => parseUpdateGlobalObjectArgs([{ a: 1 }])).message).toMatch(/argument 'updateFn' must be a function .*got object/);
    expect(thrown(() => parseUpdateGlobalObjectArgs([{ a: 1 }, 'x', cb])).message).toMatch(/argument 'updateFn' .*got "x"/);
  });

  it('R-GLOBAL-4: (updateFn, context) is refused: the context comes first', () => {
    expect(thrown(() => parseUpdateGlobalObjectArgs([updateFn, { a: 1 }])).message).toBe(
      "updateGlobalObject: argument 'callBack' must be a function (error, value) or nothing, got object",
    );
  });

  it('R-GLOBAL-4: a context JSON cannot carry, a class, or too many arguments are refused', () => {
    expect(thrown(() => parseUpdateGlobalObjectArgs([{ n: NaN }, updateFn])).message).toMatch(/argument 'context' .*context\.n is NaN/);
    expect(thrown(() => parseUpdateGlobalObjectArgs([class Updater {}])).message).toMatch(/argument 'updateFn' must be a function, not a class/);
    expect(thrown(() => parseUpdateGlobalObjectArgs([1, updateFn, cb, cb])).message).toMatch(/argument 'arguments' must be at most 3/);
  });
});
