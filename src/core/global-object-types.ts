/**
 * Public types of the global object (R-GLOBAL): key paths, the Corejs callbacks, the sandboxed
 * query/update functions and what set() reports. Type-only: no runtime code.
 */

/** The global object: a plain object of JSON-safe values. */
export type GlobalObject = Record<string, unknown>;

/** One step of a key path: an object key (taken literally), an array index, or a trailing array command of `Macros`. */
export type GlobalKey = string | number;

/** A key, or an array of keys from the root; may end with an array command (`Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_*`). */
export type GlobalKeyPath = GlobalKey | readonly GlobalKey[];

/**
 * A query function: runs in the master's sandbox with `(globalObject, context)` and nothing else
 * (no closures, no `require`, no `process`); synchronous; its result comes back through JSON.
 */
export type GlobalQueryFn<G, C, R> = (globalObject: G, context: C) => R;

/**
 * An update function: runs like a query function; what it returns is merged into the global object
 * with `Object.assign` (nothing / null changes nothing); a throw changes nothing and is the error.
 */
export type GlobalUpdateFn<G, C> = (globalObject: G, context: C) => Partial<G> | null | undefined | void;

/** What setGlobalObject / `global.set` report: the global object after the write, and the array command's result. */
export interface GlobalSetResult<G = GlobalObject, R = unknown> {
  /** The whole global object after the write (a copy). */
  globalObject: G;
  /** What the array command returned (POP: the element, PUSH: the new length, …); undefined without a command. */
  commandResult: R;
}

/** setGlobalObject's detail: on failure both fields are undefined (seed 000). */
export interface SetGlobalObjectDetail {
  /** The whole global object after the write; undefined when the write failed. */
  globalObject: GlobalObject | undefined;
  /** The array command's result; undefined without a command or when the write failed. */
  commandResult: unknown;
}

/** Callback of getGlobalObject / queryGlobalObject: `value` is undefined when `error` is set. */
export type GlobalValueCallback = (error: Error | null, value?: unknown) => void;

/** Callback of setGlobalObject. */
export type SetGlobalObjectCallback = (error: Error | null, detail: SetGlobalObjectDetail) => void;

/** Callback of removeGlobalObject / updateGlobalObject: the global object afterwards, undefined on failure. */
export type GlobalObjectCallback = (error: Error | null, globalObject?: GlobalObject) => void;

/** `getGlobalObject([keyPath][, ...sliceRange], callBack)` (R-GLOBAL-1); without a callback nothing is done. */
export interface GetGlobalObjectMethod {
  (callBack: GlobalValueCallback): void;
  (keyPath: GlobalKeyPath | null | undefined, callBack: GlobalValueCallback): void;
  (keyPath: GlobalKeyPath | null | undefined, ...sliceRangeAndCallBack: [...sliceRange: number[], callBack: GlobalValueCallback]): void;
}

/** `setGlobalObject(keyPath[, ...value][, callBack])` (R-GLOBAL-2). */
export interface SetGlobalObjectMethod {
  (keyPath: GlobalKeyPath, ...valuesAndCallBack: [...values: unknown[], callBack: SetGlobalObjectCallback]): void;
  (keyPath: GlobalKeyPath, ...values: unknown[]): void;
}

/** `removeGlobalObject(keyPath[, callBack])` (R-GLOBAL-3). */
export type RemoveGlobalObjectMethod = (keyPath: GlobalKeyPath, callBack?: GlobalObjectCallback) => void;

/** `queryGlobalObject([context,] [queryFn,] callBack)` (R-GLOBAL-4); without a callback nothing is done. */
export interface QueryGlobalObjectMethod {
  (callBack: GlobalValueCallback): void;
  (queryFn: GlobalQueryFn<GlobalObject, undefined, unknown>, callBack: GlobalValueCallback): void;
  <C>(context: C, queryFn: GlobalQueryFn<GlobalObject, C, unknown>, callBack: GlobalValueCallback): void;
}

/** `updateGlobalObject([context,] updateFn[, callBack])` (R-GLOBAL-4). */
export interface UpdateGlobalObjectMethod {
  (updateFn: GlobalUpdateFn<GlobalObject, undefined>, callBack?: GlobalObjectCallback): void;
  <C>(context: C, updateFn: GlobalUpdateFn<GlobalObject, C>, callBack?: GlobalObjectCallback): void;
}
