/**
 * Key paths of the global object (R-GLOBAL-1..3, R-GLOBAL-5): a single key or an array of keys,
 * optionally ending with an array command. A key is a string (taken literally: 'a.b' is one key)
 * or a non-negative integer (an array index). The forbidden keys are refused here, once, for every
 * operation, so no later step can reach a prototype.
 */
import { GlobalObjectError, describe } from '../../protocol/errors';
import { isPlainObject } from '../../protocol/json-safe';
import { arrayCommandOf, type ArrayCommand } from './array-commands';

/** One step of a key path: an object key or an array index. */
export type Key = string | number;

/** The global-object operations, named as in Corejs; every error message starts with one. */
export type GlobalObjectOperation =
  | 'getGlobalObject'
  | 'setGlobalObject'
  | 'removeGlobalObject'
  | 'queryGlobalObject'
  | 'updateGlobalObject';

/** Keys that reach prototypes instead of data; refused in key paths and in written values. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** A key path split into its keys and its trailing array command. */
export interface ParsedKeyPath {
  /** The keys, in order; empty means the whole global object. */
  readonly keys: readonly Key[];
  /** The trailing array command, or null. */
  readonly command: ArrayCommand | null;
}

/** True for the forms that mean "the whole object": absent, null, undefined, NaN, '', [], {}. */
export function isEmptyKeyPath(keyPath: unknown): boolean {
  if (keyPath === undefined || keyPath === null || keyPath === '') return true;
  if (typeof keyPath === 'number') return Number.isNaN(keyPath);
  if (Array.isArray(keyPath)) return keyPath.length === 0;
  return isPlainObject(keyPath) && Object.keys(keyPath).length === 0;
}

/** JSON text of a key path as the caller gave it, for error messages (else a short description). */
export function formatKeyPath(keyPath: unknown): string {
  if (typeof keyPath === 'number' && !Number.isFinite(keyPath)) return String(keyPath);
  try {
    const text = JSON.stringify(keyPath);
    if (typeof text === 'string') return text.length > 200 ? `${text.slice(0, 197)}...` : text;
  } catch {
    // A cycle or a bigint: described below instead.
  }
  return describe(keyPath);
}

/** Error of `operation` about `keyPath`, in the one message shape every store error has. */
export function keyPathError(operation: GlobalObjectOperation, keyPath: unknown, problem: string, cause?: unknown): GlobalObjectError {
  const options = cause === undefined ? undefined : { cause };
  return new GlobalObjectError(`${operation}: ${problem} (keyPath ${formatKeyPath(keyPath)})`, options);
}

/**
 * Normalises `keyPath` for `operation`. With `allowEmpty` false (set, remove) an empty form is an
 * error: those operations need a field to act on. An array command is only recognised last.
 */
export function parseKeyPath(operation: GlobalObjectOperation, keyPath: unknown, allowEmpty: boolean): ParsedKeyPath {
  if (isEmptyKeyPath(keyPath)) {
    if (allowEmpty) return { keys: [], command: null };
    throw keyPathError(operation, keyPath, `needs a key or an array of keys, got ${describe(keyPath)}; to change the whole object use updateGlobalObject`);
  }
  const raw: readonly unknown[] = Array.isArray(keyPath) ? keyPath : [keyPath];
  const keys: Key[] = [];
  let command: ArrayCommand | null = null;
  raw.forEach((key, i) => {
    const found = arrayCommandOf(key);
    if (found) {
      if (i !== raw.length - 1) throw keyPathError(operation, keyPath, `array command ${found.name} must be the last element of the key path`);
      command = found;
      return;
    }
    keys.push(checkKey(operation, keyPath, key));
  });
  return { keys, command };
}

function checkKey(operation: GlobalObjectOperation, keyPath: unknown, key: unknown): Key {
  if (typeof key === 'string') {
    // '' alone means "the whole object", so inside a path it would be ambiguous.
    if (key === '') throw keyPathError(operation, keyPath, 'an empty string is not a key');
    if (FORBIDDEN_KEYS.has(key)) throw keyPathError(operation, keyPath, `key "${key}" is forbidden (it reaches a prototype, not data)`);
    return key;
  }
  if (typeof key === 'number' && Number.isSafeInteger(key) && key >= 0) return key;
  throw keyPathError(operation, keyPath, `a key must be a string or a non-negative integer, got ${describe(key)}`);
}

/** The array index `key` names (an integer or its canonical string, '3' but not '03'), or null. */
export function toArrayIndex(key: Key): number | null {
  if (typeof key === 'number') return key;
  if (!/^(0|[1-9]\d*)$/.test(key)) return null;
  const index = Number(key);
  return Number.isSafeInteger(index) ? index : null;
}

/**
 * Path of the first forbidden key inside a JSON-safe value (`value.a.__proto__`), or null.
 * Written values are checked too, so the store never holds a key that no key path may name and
 * Object.assign never meets an own `__proto__` (it would replace the global object's prototype).
 */
export function findForbiddenKey(value: unknown, path: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenKey(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
