/**
 * The global object's store (R-GLOBAL-1..5): the master applies every operation here, one at a
 * time. `GlobalObjectStore` is the seam for a later Redis-backed store (hence `Awaitable`);
 * `MemoryGlobalObjectStore` is the in-process one: get/set/remove are synchronous; query and
 * update run their function in the sandbox process (sandbox.ts) against a replica of the store
 * that every applied write is forwarded to, in order. A query is ordered when it is called (the
 * replica runs it before any later write) and answers later (`Later`); an update answers with a
 * promise, so the server holds later operations until its result is merged.
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
import { MAX_GLOBAL_OBJECT_DEPTH, dataDepth } from './data-depth';
import { Sandbox, type SandboxOptions } from './sandbox';

/** A value, or a promise of it: memory stores answer at once, remote ones later. */
export type Awaitable<T> = T | Promise<T>;

/**
 * The result of an operation the store has already put in its place in the order (a query sent
 * to the sandbox); only the value comes later. The server does not hold later operations for it.
 */
export class Later<T> {
  constructor(
    /** Settles with the operation's result. */
    readonly promise: Promise<T>,
  ) {}
}

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
  query(fnSource: string | undefined, context: unknown): Awaitable<unknown> | Later<unknown>;
  /** updateGlobalObject: merges what the function returns into the global object. */
  update(fnSource: string, context: unknown): Awaitable<GlobalObject>;
  /**
   * True when query and update calls are ordered the moment they are made (the store runs them in
   * call order), so the server may start one before the previous one answered.
   */
  readonly ordersFunctions?: boolean;
  /** Gets ready for query/update functions in the background (starts the sandbox), if the store has anything to start. */
  prepare?(): void;
}

/** Options of a MemoryGlobalObjectStore. */
export interface MemoryGlobalObjectStoreOptions {
  /** Starting content (copied); must be a JSON-safe plain object. */
  initial?: GlobalObject;
  /** The sandbox for query/update, or options for a new one. */
  sandbox?: Sandbox | SandboxOptions;
  /**
   * Take `initial` as it is, unchecked and uncopied, and keep no replica in the sandbox: for a view
   * over a version of the store that was checked already (the Redis store applies each operation on
   * one it just parsed; the sandbox process holds its replica in one). Query and update functions of
   * such a store get its object with each run. Internal.
   */
  adopt?: boolean;
}

/** The in-process global object, held by the master. */
export class MemoryGlobalObjectStore implements GlobalObjectStore {
  /** Query and update functions run in call order in the sandbox's replica. */
  readonly ordersFunctions = true;
  /** Runs query and update functions. */
  readonly sandbox: Sandbox;
  private readonly root: GlobalObject;
  /** True when the sandbox keeps a replica of this store (every store but an adopted view). */
  private replicated = false;

  constructor(options: MemoryGlobalObjectStoreOptions = {}) {
    const { initial = {}, sandbox, adopt = false } = options;
    this.sandbox = sandbox instanceof Sandbox ? sandbox : new Sandbox(sandbox);
    if (adopt) {
      this.root = initial;
      return;
    }
    if (!isPlainObject(initial)) throw new GlobalObjectError(`MemoryGlobalObjectStore: option initial must be a plain object, got ${describe(initial)}`);
    if (dataDepth(initial, MAX_GLOBAL_OBJECT_DEPTH) > MAX_GLOBAL_OBJECT_DEPTH) {
      throw new GlobalObjectError(`MemoryGlobalObjectStore: option initial is nested deeper than ${MAX_GLOBAL_OBJECT_DEPTH} levels`);
    }
    const problem = findJsonUnsafe(initial, 'initial') ?? findForbiddenKey(initial, 'initial');
    if (problem) throw new GlobalObjectError(`MemoryGlobalObjectStore: option initial must be JSON-safe without forbidden keys: ${problem}`);
    this.root = cloneJson(initial);
    this.replicated = true;
    this.sandbox.useReplica(() => this.root);
  }

  /** Starts the sandbox process in the background (the master's server calls this on the first request of a child). */
  prepare(): void {
    if (this.replicated) this.sandbox.warm();
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
    // A command's values become elements of the array at the path, one level below it.
    const level = command ? keys.length + 1 : keys.length;
    values.forEach((value, i) => checkWritable(op, keyPath, value, `value[${i}]`, level));
    if (command) {
      if (!command.writes) throw keyPathError(op, keyPath, `${command.name} only reads; use getGlobalObject for it`);
      const problem = checkArrayCommandArgs(command, values);
      if (problem) throw keyPathError(op, keyPath, problem);
      const commandResult = applyArrayCommand(command, this.arrayAt(op, keyPath, keys), values);
      this.sandbox.replicate({ op: 'set', keyPath, values });
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
    this.sandbox.replicate({ op: 'set', keyPath, values: [value] });
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
    this.sandbox.replicate({ op: 'remove', keyPath });
    return this.root;
  }

  /**
   * queryGlobalObject (R-GLOBAL-4): runs the function on a copy; the store never changes. The
   * function sees the store as it is now, whatever is written while it runs.
   */
  query(fnSource: string | undefined, context: unknown): unknown {
    const op = 'queryGlobalObject';
    if (fnSource === undefined) return this.root;
    this.checkFunction(op, fnSource, context);
    const caller = `${op}: queryFn`;
    return new Later(this.replicated ? this.sandbox.runOnReplica(fnSource, context, caller) : this.sandbox.run(fnSource, this.root, context, caller));
  }

  /**
   * updateGlobalObject (R-GLOBAL-4): merges the result with Object.assign; null or undefined change
   * nothing. The sandbox merges it into its replica too, right after the run, so updates can be
   * sent one after another without waiting for each other (`ordersFunctions`). Answers with a
   * copy of the global object as it is right after this merge.
   */
  update(fnSource: string, context: unknown): Promise<GlobalObject> {
    const op = 'updateGlobalObject';
    try {
      this.checkFunction(op, fnSource, context);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const caller = `${op}: updateFn`;
    const ran = this.replicated ? this.sandbox.runOnReplica(fnSource, context, caller, true) : this.sandbox.run(fnSource, this.root, context, caller);
    return ran.then((result) => {
      this.mergeResult(result);
      // A copy taken now: the next pipelined update may be merged before the caller looks.
      return cloneJson(this.root);
    });
  }

  /**
   * Object.assign of an update function's result into the store, after the checks every write
   * gets (a plain object, no forbidden key, not nested past MAX_GLOBAL_OBJECT_DEPTH); null or
   * undefined change nothing, and nothing changes when a check fails. The caller replicates it.
   */
  mergeResult(result: unknown): void {
    const op = 'updateGlobalObject';
    if (result === undefined || result === null) return;
    if (!isPlainObject(result)) {
      throw new GlobalObjectError(`${op}: updateFn must return a plain object to merge (or nothing), got ${describe(result)}`);
    }
    if (dataDepth(result, MAX_GLOBAL_OBJECT_DEPTH) > MAX_GLOBAL_OBJECT_DEPTH) {
      throw new GlobalObjectError(`${op}: updateFn returned a value that would nest the global object deeper than ${MAX_GLOBAL_OBJECT_DEPTH} levels; nothing was changed`);
    }
    const forbidden = findForbiddenKey(result, 'result');
    if (forbidden) throw new GlobalObjectError(`${op}: updateFn returned ${forbidden}; keys __proto__, prototype and constructor are forbidden`);
    Object.assign(this.root, result);
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

// Values entering the store: not nested past the limit once written `level` keys below the root
// (checked first: the other checks recurse), JSON-safe (what IPC would carry unchanged) and free of
// forbidden keys.
function checkWritable(op: GlobalObjectOperation, keyPath: unknown, value: unknown, label: string, level: number): void {
  const room = MAX_GLOBAL_OBJECT_DEPTH - level;
  if (dataDepth(value, room) > room) {
    // Too deep, or a cycle (the master's own calls can pass one): say which, when it can be told.
    let cycle: string | null = null;
    try {
      cycle = findJsonUnsafe(value, label);
    } catch {
      // Nested too deep for the recursive check: it is the depth.
    }
    if (cycle) throw keyPathError(op, keyPath, `values must be JSON-safe (Array, Object, Number, String, Boolean, null): ${cycle}`);
    throw keyPathError(op, keyPath, `${label} would nest the global object deeper than ${MAX_GLOBAL_OBJECT_DEPTH} levels (the limit that keeps it transferable); nothing was changed`);
  }
  const unsafe = findJsonUnsafe(value, label);
  if (unsafe) throw keyPathError(op, keyPath, `values must be JSON-safe (Array, Object, Number, String, Boolean, null): ${unsafe}`);
  const forbidden = findForbiddenKey(value, label);
  if (forbidden) throw keyPathError(op, keyPath, `${forbidden}: keys __proto__, prototype and constructor are forbidden`);
}

