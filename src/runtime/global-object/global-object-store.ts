/**
 * The global object's store (R-GLOBAL-1..5): the master applies every operation here, one at a
 * time. `GlobalObjectStore` is the seam for a later Redis-backed store (hence `Awaitable`);
 * `MemoryGlobalObjectStore` is the in-process one and is fully synchronous.
 *
 * Every operation validates everything first and mutates last, so a failing operation leaves the
 * store exactly as it was. Results are references to the store's own data: a caller that hands
 * them to user code or keeps them copies them first.
 */
import { GlobalObjectError, describe } from '../../protocol/errors';
import { cloneJson, findJsonUnsafe, isPlainObject } from '../../protocol/json-safe';
import { applyArrayCommand, checkArrayCommandArgs } from './array-commands';
import {
  findForbiddenKey,
  keyPathError,
  parseKeyPath,
  toArrayIndex,
  type GlobalObjectOperation,
  type Key,
} from './key-path';
import { Sandbox, type SandboxOptions } from './sandbox';

/** A value, or a promise of it: memory stores answer at once, remote ones later. */
export type Awaitable<T> = T | Promise<T>;

/** The global object: a plain object of JSON-safe values. */
export type GlobalObject = Record<string, unknown>;

/** What setGlobalObject reports (seed 000: `{ globalObject, commandResult }`). */
export interface SetGlobalObjectResult {
  /** The whole global object after the write. */
  globalObject: GlobalObject;
  /** What the array command returned; undefined without a command. */
  commandResult: unknown;
}

/** The operations of the global object, as the master's message handlers call them. */
export interface GlobalObjectStore {
  /** getGlobalObject: the value at `keyPath`; with a trailing SLICE, `array.slice(...sliceRange)`. */
  get(keyPath: unknown, sliceRange?: readonly unknown[]): Awaitable<unknown>;
  /** setGlobalObject: writes the last of `values`, or applies the trailing array command with them. */
  set(keyPath: unknown, values: readonly unknown[]): Awaitable<SetGlobalObjectResult>;
  /** removeGlobalObject: deletes the field at `keyPath` (splices it out of an array). */
  remove(keyPath: unknown): Awaitable<GlobalObject>;
  /** queryGlobalObject: the whole object without `fnSource`, else what the function returns. */
  query(fnSource: string | undefined, context: unknown): Awaitable<unknown>;
  /** updateGlobalObject: merges what the function returns into the global object. */
  update(fnSource: string, context: unknown): Awaitable<GlobalObject>;
}

/** Options of a MemoryGlobalObjectStore. */
export interface MemoryGlobalObjectStoreOptions {
  /** Starting content (copied); must be a JSON-safe plain object. */
  initial?: GlobalObject;
  /** The sandbox for query/update, or options for a new one. */
  sandbox?: Sandbox | SandboxOptions;
  /**
   * Take `initial` as the store's own object, unchecked and uncopied: for a store that just parsed
   * it from its own JSON (the Redis store applies each operation on such a view).
   */
  adopt?: boolean;
}

/** The in-process global object, held by the master; every method returns synchronously. */
export class MemoryGlobalObjectStore implements GlobalObjectStore {
  /** Runs query and update functions. */
  readonly sandbox: Sandbox;
  private readonly root: GlobalObject;

  constructor(options: MemoryGlobalObjectStoreOptions = {}) {
    const { initial = {}, sandbox, adopt = false } = options;
    this.sandbox = sandbox instanceof Sandbox ? sandbox : new Sandbox(sandbox);
    if (adopt) {
      this.root = initial;
      return;
    }
    if (!isPlainObject(initial)) throw new GlobalObjectError(`MemoryGlobalObjectStore: option initial must be a plain object, got ${describe(initial)}`);
    const problem = findJsonUnsafe(initial, 'initial') ?? findForbiddenKey(initial, 'initial');
    if (problem) throw new GlobalObjectError(`MemoryGlobalObjectStore: option initial must be JSON-safe without forbidden keys: ${problem}`);
    this.root = cloneJson(initial);
  }

  /** getGlobalObject (R-GLOBAL-1). */
  get(keyPath: unknown, sliceRange: readonly unknown[] = []): unknown {
    const op = 'getGlobalObject';
    const { keys, command } = parseKeyPath(op, keyPath, true);
    if (command) {
      if (command.writes) throw keyPathError(op, keyPath, `${command.name} changes the array; use setGlobalObject for it`);
      const problem = checkArrayCommandArgs(command, sliceRange);
      if (problem) throw keyPathError(op, keyPath, `sliceRange: ${problem}`);
      return applyArrayCommand(command, this.arrayAt(op, keyPath, keys), sliceRange);
    }
    if (sliceRange.length > 0) {
      throw keyPathError(op, keyPath, `a sliceRange was given but the key path does not end with CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE`);
    }
    if (keys.length === 0) return this.root;
    const last = keys[keys.length - 1];
    return ownValue(this.walk(op, keyPath, keys.slice(0, -1), `cannot read key ${JSON.stringify(last)}`), last);
  }

  /** setGlobalObject (R-GLOBAL-2). */
  set(keyPath: unknown, values: readonly unknown[]): SetGlobalObjectResult {
    const op = 'setGlobalObject';
    const { keys, command } = parseKeyPath(op, keyPath, false);
    values.forEach((value, i) => checkWritable(op, keyPath, value, `value[${i}]`));
    if (command) {
      if (!command.writes) throw keyPathError(op, keyPath, `${command.name} only reads; use getGlobalObject for it`);
      const problem = checkArrayCommandArgs(command, values);
      if (problem) throw keyPathError(op, keyPath, problem);
      const commandResult = applyArrayCommand(command, this.arrayAt(op, keyPath, keys), values);
      return { globalObject: this.root, commandResult };
    }
    if (values.length === 0) throw keyPathError(op, keyPath, 'no value to write (to delete a field use removeGlobalObject)');
    const key = keys[keys.length - 1];
    const parent = this.walk(op, keyPath, keys.slice(0, -1), `cannot create key ${JSON.stringify(key)}`);
    const value = cloneJson(values[values.length - 1]);
    if (Array.isArray(parent)) {
      const index = toArrayIndex(key);
      if (index === null) throw keyPathError(op, keyPath, `key ${JSON.stringify(key)} is not an index; an array holds only index keys`);
      if (index > parent.length) {
        throw keyPathError(op, keyPath, `index ${index} is past the end of the array (length ${parent.length}) and would leave a hole`);
      }
      parent[index] = value;
    } else {
      (parent as Record<string, unknown>)[String(key)] = value;
    }
    return { globalObject: this.root, commandResult: undefined };
  }

  /** removeGlobalObject (R-GLOBAL-3); removing a field that does not exist changes nothing. */
  remove(keyPath: unknown): GlobalObject {
    const op = 'removeGlobalObject';
    const { keys, command } = parseKeyPath(op, keyPath, false);
    if (command) throw keyPathError(op, keyPath, `array command ${command.name} cannot be used with removeGlobalObject`);
    const key = keys[keys.length - 1];
    const parent = this.walk(op, keyPath, keys.slice(0, -1), `cannot remove key ${JSON.stringify(key)}`);
    if (Array.isArray(parent)) {
      const index = toArrayIndex(key);
      // `delete` would leave a hole (and fails on 'length'); an array only loses elements by splice.
      if (index === null) throw keyPathError(op, keyPath, `key ${JSON.stringify(key)} is not an index; an array holds only index keys`);
      if (index < parent.length) parent.splice(index, 1);
    } else {
      delete (parent as Record<string, unknown>)[String(key)];
    }
    return this.root;
  }

  /** queryGlobalObject (R-GLOBAL-4): runs the function on a copy; the store never changes. */
  query(fnSource: string | undefined, context: unknown): unknown {
    const op = 'queryGlobalObject';
    if (fnSource === undefined) return this.root;
    this.checkFunction(op, fnSource, context);
    return this.sandbox.run(fnSource, this.root, context, `${op}: queryFn`);
  }

  /** updateGlobalObject (R-GLOBAL-4): merges the result with Object.assign; null or undefined change nothing. */
  update(fnSource: string, context: unknown): GlobalObject {
    const op = 'updateGlobalObject';
    this.checkFunction(op, fnSource, context);
    const result = this.sandbox.run(fnSource, this.root, context, `${op}: updateFn`);
    if (result === undefined || result === null) return this.root;
    if (!isPlainObject(result)) {
      throw new GlobalObjectError(`${op}: updateFn must return a plain object to merge (or nothing), got ${describe(result)}`);
    }
    const forbidden = findForbiddenKey(result, 'result');
    if (forbidden) throw new GlobalObjectError(`${op}: updateFn returned ${forbidden}; keys __proto__, prototype and constructor are forbidden`);
    Object.assign(this.root, result);
    return this.root;
  }

  private checkFunction(op: GlobalObjectOperation, fnSource: unknown, context: unknown): void {
    if (typeof fnSource !== 'string' || fnSource.trim() === '') {
      throw new GlobalObjectError(`${op}: the function must be given as its source text, got ${describe(fnSource)}`);
    }
    if (context === undefined) return;
    const unsafe = findJsonUnsafe(context, 'context');
    if (unsafe) throw new GlobalObjectError(`${op}: context must be JSON-safe (Array, Object, Number, String, Boolean, null): ${unsafe}`);
  }

  // Follows `keys` from the root; every step must exist and hold an object or array. `purpose`
  // says what the walk was for, so the message reads "cannot create key "b" under a missing parent".
  private walk(op: GlobalObjectOperation, keyPath: unknown, keys: readonly Key[], purpose: string): object {
    let node: object = this.root;
    for (let i = 0; i < keys.length; i++) {
      const next = ownValue(node, keys[i]);
      if (next === undefined) throw keyPathError(op, keyPath, `${purpose} under a missing parent: ${describeStep(keys, i)} does not exist`);
      if (typeof next !== 'object' || next === null) {
        throw keyPathError(op, keyPath, `${purpose} under a parent that is not an object or array: ${describeStep(keys, i)} holds ${describe(next)}`);
      }
      node = next;
    }
    return node;
  }

  // The array a command applies to: the whole path must lead to an existing array.
  private arrayAt(op: GlobalObjectOperation, keyPath: unknown, keys: readonly Key[]): unknown[] {
    const last = keys[keys.length - 1];
    const target = keys.length === 0 ? this.root : ownValue(this.walk(op, keyPath, keys.slice(0, -1), 'cannot reach the array'), last);
    if (!Array.isArray(target)) throw keyPathError(op, keyPath, `an array command needs an array, found ${describe(target)}`);
    return target;
  }
}

// Own properties only: an inherited name ('toString') is as missing as any other absent key.
function ownValue(node: object, key: Key): unknown {
  const name = String(key);
  return Object.hasOwn(node, name) ? (node as Record<string, unknown>)[name] : undefined;
}

// `key "b" under ["a"]`: which step of the path failed.
function describeStep(keys: readonly Key[], i: number): string {
  return `key ${JSON.stringify(keys[i])}${i === 0 ? '' : ` under ${JSON.stringify(keys.slice(0, i))}`}`;
}

// Values entering the store: JSON-safe (what IPC would carry unchanged) and free of forbidden keys.
function checkWritable(op: GlobalObjectOperation, keyPath: unknown, value: unknown, label: string): void {
  const unsafe = findJsonUnsafe(value, label);
  if (unsafe) throw keyPathError(op, keyPath, `values must be JSON-safe (Array, Object, Number, String, Boolean, null): ${unsafe}`);
  const forbidden = findForbiddenKey(value, label);
  if (forbidden) throw keyPathError(op, keyPath, `${forbidden}: keys __proto__, prototype and constructor are forbidden`);
}

