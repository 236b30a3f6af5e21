/**
 * Argument rules of the Corejs callback-style global-object methods (seed 000, SLICE from seed 001;
 * R-GLOBAL-1..4). Pure: each parser turns the raw argument list into a request, returns null when
 * Corejs says "no callback, do nothing", or throws InvalidArgumentError naming the method, the
 * argument and the value. Only what must hold before anything is sent is checked here (shape, and
 * that values survive JSON); what a key path means is the store's business, in the master.
 */
import { InvalidArgumentError } from './errors';
import { findJsonUnsafe } from './json-safe';

/** A Corejs cps callback: `(error, value)`; error is null on success. */
export type GlobalObjectCallback = (error: Error | null, value?: unknown) => void;

/** getGlobalObject([keyPath][, ...sliceRange], callBack). */
export interface GetGlobalObjectRequest {
  /** The key path as given (undefined when absent). */
  readonly keyPath: unknown;
  /** Arguments between keyPath and callBack (used with a trailing SLICE). */
  readonly sliceRange: unknown[];
  /** Receives `(error, value)`. */
  readonly callBack: GlobalObjectCallback;
}

/** setGlobalObject(keyPath[, ...value][, callBack]). */
export interface SetGlobalObjectRequest {
  /** The key path as given. */
  readonly keyPath: unknown;
  /** Every argument between keyPath and a trailing function. */
  readonly values: unknown[];
  /** Receives `(error, { globalObject, commandResult })`, or null. */
  readonly callBack: GlobalObjectCallback | null;
}

/** removeGlobalObject(keyPath[, callBack]). */
export interface RemoveGlobalObjectRequest {
  /** The key path as given. */
  readonly keyPath: unknown;
  /** Receives `(error, globalObject)`, or null. */
  readonly callBack: GlobalObjectCallback | null;
}

/** queryGlobalObject([context,] [queryFn,] callBack). */
export interface QueryGlobalObjectRequest {
  /** JSON-safe context, undefined when absent. */
  readonly context: unknown;
  /** Source text of queryFn; undefined means "the whole object". */
  readonly queryFnSource: string | undefined;
  /** Receives `(error, value)`. */
  readonly callBack: GlobalObjectCallback;
}

/** updateGlobalObject([context,] updateFn[, callBack]). */
export interface UpdateGlobalObjectRequest {
  /** JSON-safe context, undefined when absent. */
  readonly context: unknown;
  /** Source text of updateFn. */
  readonly updateFnSource: string;
  /** Receives `(error, globalObject)`, or null. */
  readonly callBack: GlobalObjectCallback | null;
}

const GET = 'getGlobalObject';
const SET = 'setGlobalObject';
const REMOVE = 'removeGlobalObject';
const QUERY = 'queryGlobalObject';
const UPDATE = 'updateGlobalObject';

type AnyFunction = (...args: never[]) => unknown;

function isFunction(value: unknown): value is AnyFunction {
  return typeof value === 'function';
}

/** Parses getGlobalObject's arguments; null when no argument is a function (Corejs then does nothing). */
export function parseGetGlobalObjectArgs(args: readonly unknown[]): GetGlobalObjectRequest | null {
  const callBack = trailingCallBack(GET, args);
  if (!callBack) return null;
  const [keyPath, ...sliceRange] = args.slice(0, -1);
  return { keyPath: checkKeyPath(GET, keyPath), sliceRange: checkValues(GET, 'sliceRange', sliceRange), callBack };
}

/** Parses setGlobalObject's arguments. */
export function parseSetGlobalObjectArgs(args: readonly unknown[]): SetGlobalObjectRequest {
  const callBack = isFunction(args[args.length - 1]) ? (args[args.length - 1] as GlobalObjectCallback) : null;
  const rest = callBack ? args.slice(0, -1) : args.slice();
  if (rest.length === 0) throw new InvalidArgumentError(SET, 'keyPath', undefined, 'a key or an array of keys (it is required)');
  const [keyPath, ...values] = rest;
  return { keyPath: checkKeyPath(SET, keyPath), values: checkValues(SET, 'value', values), callBack };
}

/** Parses removeGlobalObject's arguments. */
export function parseRemoveGlobalObjectArgs(args: readonly unknown[]): RemoveGlobalObjectRequest {
  if (args.length === 0 || isFunction(args[0])) {
    throw new InvalidArgumentError(REMOVE, 'keyPath', args[0], 'a key or an array of keys (it is required)');
  }
  if (args.length > 2) throw tooMany(REMOVE, args, 2, 'keyPath[, callBack]');
  return { keyPath: checkKeyPath(REMOVE, args[0]), callBack: optionalCallBack(REMOVE, args[1]) };
}

/**
 * Parses queryGlobalObject's arguments: `(cb)`, `(queryFn, cb)`, `(context, queryFn, cb)`; the
 * grammar also allows `(context, cb)`, where context has no function to serve and is ignored.
 * Null when no argument is a function (no callback: Corejs does nothing).
 */
export function parseQueryGlobalObjectArgs(args: readonly unknown[]): QueryGlobalObjectRequest | null {
  const callBack = trailingCallBack(QUERY, args);
  if (!callBack) return null;
  const before = args.slice(0, -1);
  if (before.length > 2) throw tooMany(QUERY, args, 3, '[context,] [queryFn,] callBack');
  let context: unknown;
  let queryFn: unknown;
  if (before.length === 2) [context, queryFn] = before;
  else if (before.length === 1 && isFunction(before[0])) queryFn = before[0];
  else context = before[0];
  if (queryFn !== undefined && queryFn !== null && !isFunction(queryFn)) {
    throw new InvalidArgumentError(QUERY, 'queryFn', queryFn, 'a function (globalObject, context) or nothing');
  }
  return {
    context: checkContext(QUERY, context),
    queryFnSource: isFunction(queryFn) ? toSource(QUERY, 'queryFn', queryFn) : undefined,
    callBack,
  };
}

/**
 * Parses updateGlobalObject's arguments: `(fn)`, `(context, fn)`, `(context, fn, cb)`, and
 * `(fn, cb)` (two functions: a context is never a function, so the first is updateFn).
 */
export function parseUpdateGlobalObjectArgs(args: readonly unknown[]): UpdateGlobalObjectRequest {
  if (args.length > 3) throw tooMany(UPDATE, args, 3, '[context,] updateFn[, callBack]');
  let context: unknown;
  let updateFn: unknown;
  let callBack: unknown;
  if (args.length === 3) [context, updateFn, callBack] = args;
  else if (args.length === 2 && isFunction(args[0])) [updateFn, callBack] = args;
  else if (args.length === 2) [context, updateFn] = args;
  else updateFn = args[0];
  if (!isFunction(updateFn)) {
    throw new InvalidArgumentError(UPDATE, 'updateFn', updateFn, 'a function (globalObject, context) (usage: [context,] updateFn[, callBack])');
  }
  return {
    context: checkContext(UPDATE, context),
    updateFnSource: toSource(UPDATE, 'updateFn', updateFn),
    callBack: optionalCallBack(UPDATE, callBack),
  };
}

// The last argument when it is a function. Without one, a method whose callback is required does
// nothing (null); a function elsewhere (`queryGlobalObject(fn, context)`) is a mistake worth saying.
function trailingCallBack(method: string, args: readonly unknown[]): GlobalObjectCallback | null {
  const last = args[args.length - 1];
  if (isFunction(last)) return last as GlobalObjectCallback;
  if (args.some(isFunction)) {
    throw new InvalidArgumentError(method, 'callBack', last, 'a function, given as the last argument');
  }
  return null;
}

function optionalCallBack(method: string, value: unknown): GlobalObjectCallback | null {
  if (value === undefined || value === null) return null;
  if (!isFunction(value)) throw new InvalidArgumentError(method, 'callBack', value, 'a function (error, value) or nothing');
  return value as GlobalObjectCallback;
}

/** Checks a key path can cross IPC (NaN, an empty form, becomes null); throws InvalidArgumentError. */
// A key path crosses IPC as JSON; NaN (an empty form, like null) would become null anyway.
export function checkKeyPath(method: string, keyPath: unknown): unknown {
  if (typeof keyPath === 'number' && Number.isNaN(keyPath)) return null;
  const unsafe = findJsonUnsafe(keyPath, 'keyPath');
  if (keyPath !== undefined && unsafe) {
    throw new InvalidArgumentError(method, 'keyPath', keyPath, `a key (string or integer) or an array of keys (${unsafe})`);
  }
  return keyPath;
}

/** Checks every value is JSON-safe; throws InvalidArgumentError naming the first bad one. */
export function checkValues(method: string, argument: string, values: unknown[]): unknown[] {
  const unsafe = findJsonUnsafe(values, argument);
  if (unsafe) {
    throw new InvalidArgumentError(method, argument, values[firstIndex(unsafe, argument)], `JSON-safe (Array, Object, Number, String, Boolean, null): ${unsafe}`);
  }
  return values;
}

// Index of the offending argument in a path such as "value[2].a".
function firstIndex(path: string, argument: string): number {
  const match = new RegExp(`^${argument}\\[(\\d+)\\]`).exec(path);
  return match ? Number(match[1]) : 0;
}

/** Checks a query/update context is JSON-safe (undefined: none); throws InvalidArgumentError. */
export function checkContext(method: string, context: unknown): unknown {
  if (context === undefined) return undefined;
  const unsafe = findJsonUnsafe(context, 'context');
  if (unsafe) throw new InvalidArgumentError(method, 'context', context, `JSON-safe (Array, Object, Number, String, Boolean, null): ${unsafe}`);
  return context;
}

// The function travels as its source text; one without usable source is refused here, where the
// caller can see which function it was, rather than as a syntax error in the master.
/** Source text of a query/update function; throws InvalidArgumentError for a native, bound or class one. */
export function toSource(method: string, argument: string, fn: AnyFunction): string {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    throw new InvalidArgumentError(method, argument, fn, 'a function with source text (a native or bound function has none)');
  }
  if (/^class\b/.test(source)) throw new InvalidArgumentError(method, argument, fn, 'a function, not a class');
  return source;
}

function tooMany(method: string, args: readonly unknown[], max: number, usage: string): InvalidArgumentError {
  return new InvalidArgumentError(method, 'arguments', args.length, `at most ${max} (usage: ${method}(${usage}))`);
}
