import { describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { Macros } from '../../../../src/protocol/macros';
import {
  FORBIDDEN_KEYS,
  findForbiddenKey,
  formatKeyPath,
  isEmptyKeyPath,
  parseKeyPath,
  toArrayIndex,
  type GlobalObjectOperation,
} from '../../../../src/runtime/global-object/key-path';
import { thrownBy } from '../../../helpers/thrown';

const thrown = (fn: () => unknown): GlobalObjectError => thrownBy(GlobalObjectError, fn);

const EMPTY_FORMS: Array<[string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['NaN', NaN],
  ["''", ''],
  ['[]', []],
  ['{}', {}],
];
const PUSH = Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH;
const SLICE = Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE;
const OPERATIONS: GlobalObjectOperation[] = ['getGlobalObject', 'setGlobalObject', 'removeGlobalObject'];

describe('key-path', () => {
  it.each(EMPTY_FORMS)('R-GLOBAL-1: %s is an empty key path (the whole object)', (_label, form) => {
    expect(isEmptyKeyPath(form)).toBe(true);
    expect(parseKeyPath('getGlobalObject', form, true)).toEqual({ keys: [], command: null });
  });

  it('R-GLOBAL-1: 0, a non-empty object and a non-empty array are not empty forms', () => {
    expect(isEmptyKeyPath(0)).toBe(false);
    expect(isEmptyKeyPath(['a'])).toBe(false);
    expect(isEmptyKeyPath({ a: 1 })).toBe(false);
    expect(parseKeyPath('getGlobalObject', 0, true).keys).toEqual([0]);
  });

  it.each(EMPTY_FORMS)('R-GLOBAL-2: setGlobalObject refuses the empty key path %s', (_label, form) => {
    const err = thrown(() => parseKeyPath('setGlobalObject', form, false));
    expect(err.message).toMatch(/^setGlobalObject: needs a key or an array of keys/);
    expect(err.message).toMatch(/use updateGlobalObject/);
  });

  it.each(EMPTY_FORMS)('R-GLOBAL-3: removeGlobalObject refuses the empty key path %s', (_label, form) => {
    expect(thrown(() => parseKeyPath('removeGlobalObject', form, false)).message).toMatch(/^removeGlobalObject: needs a key/);
  });

  it('R-GLOBAL-1: a single key becomes a one-key path; a dotted string stays one key', () => {
    expect(parseKeyPath('getGlobalObject', 'a', true).keys).toEqual(['a']);
    expect(parseKeyPath('getGlobalObject', 'a.b', true).keys).toEqual(['a.b']);
    expect(parseKeyPath('getGlobalObject', 3, true).keys).toEqual([3]);
    expect(parseKeyPath('getGlobalObject', ['a', 0, 'b'], true)).toEqual({ keys: ['a', 0, 'b'], command: null });
  });

  it('R-GLOBAL-2: a trailing array command is split off the keys', () => {
    const parsed = parseKeyPath('setGlobalObject', ['list', PUSH], false);
    expect(parsed.keys).toEqual(['list']);
    expect(parsed.command?.name).toBe('PUSH');
    expect(parseKeyPath('getGlobalObject', [SLICE], true)).toMatchObject({ keys: [], command: { name: 'SLICE' } });
    expect(parseKeyPath('setGlobalObject', PUSH, false)).toMatchObject({ keys: [], command: { name: 'PUSH' } });
  });

  it('R-GLOBAL-2: an array command anywhere but last is refused', () => {
    const err = thrown(() => parseKeyPath('setGlobalObject', ['a', PUSH, 'b'], false));
    expect(err.message).toBe(`setGlobalObject: array command PUSH must be the last element of the key path (keyPath ["a","${PUSH}","b"])`);
  });

  for (const op of OPERATIONS) {
    for (const key of FORBIDDEN_KEYS) {
      it(`R-GLOBAL-5: ${op} refuses "${key}" first, in the middle and last in a path`, () => {
        for (const path of [key, [key, 'x'], ['a', key, 'b'], ['a', key]]) {
          const err = thrown(() => parseKeyPath(op, path, op === 'getGlobalObject'));
          expect(err.message).toContain(`${op}: key "${key}" is forbidden`);
        }
      });
    }
  }

  it.each<[string, unknown]>([
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['NaN inside an array', ['a', NaN]],
    ['null inside an array', ['a', null]],
    ['an object inside an array', ['a', {}]],
    ['an empty string inside an array', ['a', '']],
    ['a boolean', true],
    ['a non-empty object', { a: 1 }],
  ])('R-GLOBAL-1: refuses %s as a key', (_label, keyPath) => {
    expect(thrown(() => parseKeyPath('getGlobalObject', keyPath, true)).message).toMatch(/^getGlobalObject: (a key must be|an empty string)/);
  });

  it('R-GLOBAL-3: toArrayIndex accepts integers and canonical integer strings only', () => {
    expect(toArrayIndex(0)).toBe(0);
    expect(toArrayIndex(7)).toBe(7);
    expect(toArrayIndex('0')).toBe(0);
    expect(toArrayIndex('12')).toBe(12);
    for (const key of ['01', '-1', '1.0', '1e3', ' 1', 'a', '', '99999999999999999999']) expect(toArrayIndex(key)).toBeNull();
  });

  it('R-GLOBAL-5: findForbiddenKey finds a forbidden key at any depth, including an own __proto__ from JSON.parse', () => {
    expect(findForbiddenKey({ a: [1, { b: 2 }] }, 'value')).toBeNull();
    expect(findForbiddenKey({ a: [1, { prototype: 2 }] }, 'value')).toBe('value.a[1].prototype');
    expect(findForbiddenKey(JSON.parse('{"x":{"__proto__":{"polluted":true}}}'), 'value')).toBe('value.x.__proto__');
    expect(findForbiddenKey([{ constructor: 1 }], 'v')).toBe('v[0].constructor');
    expect(findForbiddenKey('constructor', 'v')).toBeNull();
  });

  it('R-GLOBAL-1: formatKeyPath shows the key path as JSON, and describes what JSON cannot show', () => {
    expect(formatKeyPath(['a', 'b'])).toBe('["a","b"]');
    expect(formatKeyPath('a')).toBe('"a"');
    expect(formatKeyPath(NaN)).toBe('NaN');
    expect(formatKeyPath(undefined)).toBe('undefined');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(formatKeyPath(cyclic)).toBe('array(1)');
    expect(formatKeyPath('x'.repeat(500)).length).toBeLessThanOrEqual(200);
  });
});
