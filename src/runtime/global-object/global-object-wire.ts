/**
 * What the global-object operations look like between a child and the master (R-GLOBAL): one
 * request shape for the five operations, the request/answer macros of each, and errors flattened
 * for IPC with their cause (a sandboxed `ReferenceError` stays a ReferenceError on the other side).
 */
import { ClusterCoreError, GlobalObjectError, InvalidArgumentError } from '../../protocol/errors';
import { Macros } from '../../protocol/macros';
import type { GlobalObjectOperation } from './key-path';

/** The five operations, short names. */
export type GlobalObjectOp = 'get' | 'set' | 'remove' | 'query' | 'update';

/** Macros and Corejs method name of one operation. */
export interface GlobalObjectOpInfo {
  /** Worker → master request action. */
  readonly req: string;
  /** Master → worker answer action. */
  readonly res: string;
  /** Corejs method name; every error message starts with it. */
  readonly operation: GlobalObjectOperation;
}

/** Every operation's macros and Corejs name. */
export const GLOBAL_OBJECT_OPS: Readonly<Record<GlobalObjectOp, GlobalObjectOpInfo>> = Object.freeze({
  get: {
    req: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_GET_GLOBAL_OBJECT,
    res: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_GET_GLOBAL_OBJECT,
    operation: 'getGlobalObject',
  },
  set: {
    req: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_SET_GLOBAL_OBJECT,
    res: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_SET_GLOBAL_OBJECT,
    operation: 'setGlobalObject',
  },
  remove: {
    req: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_REMOVE_GLOBAL_OBJECT,
    res: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_REMOVE_GLOBAL_OBJECT,
    operation: 'removeGlobalObject',
  },
  query: {
    req: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_QUERY_GLOBAL_OBJECT,
    res: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_QUERY_GLOBAL_OBJECT,
    operation: 'queryGlobalObject',
  },
  update: {
    req: Macros.CLUSTER_CORE_WORKER_TO_MASTER_ACTION_REQ_UPDATE_GLOBAL_OBJECT,
    res: Macros.CLUSTER_CORE_MASTER_TO_WORKER_ACTION_RES_UPDATE_GLOBAL_OBJECT,
    operation: 'updateGlobalObject',
  },
});

/**
 * One operation's request (the payload of its REQ_* message). Fields an operation does not use are
 * absent; a key path that is `undefined` (the whole object, for get) is simply absent after JSON.
 */
export interface GlobalObjectRequest {
  /** get / set / remove: the key path as the caller gave it. */
  keyPath?: unknown;
  /** get: arguments of a trailing SLICE. */
  sliceRange?: unknown[];
  /** set: the values (the last is written, or all go to the array command). */
  values?: unknown[];
  /** query / update: the function's source text (absent for a query of the whole object). */
  fnSource?: string;
  /** query / update: the function's context. */
  context?: unknown;
  /** set / remove / update without a callback: answer only failures, send no global object back. */
  silent?: boolean;
}

/** An error as it crosses IPC: name, message, and the name and message of its cause. */
export interface GlobalObjectWireError {
  /** `name` of the error (GlobalObjectError, InvalidArgumentError, …). */
  name: string;
  /** Its message (names the operation and the key path). */
  message: string;
  /** Its cause, when it had one (e.g. the ReferenceError a sandboxed function threw). */
  cause?: { name: string; message: string };
}

/** Flattens an error for IPC, keeping one level of cause. */
export function globalErrorToWire(err: unknown): GlobalObjectWireError {
  if (!(err instanceof Error)) return { name: 'GlobalObjectError', message: String(err) };
  const wire: GlobalObjectWireError = { name: err.name, message: err.message };
  const cause = err.cause;
  if (cause instanceof Error) wire.cause = { name: cause.name, message: cause.message };
  else if (cause !== undefined) wire.cause = { name: 'Error', message: String(cause) };
  return wire;
}

const STANDARD_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((E) => [E.name, E]),
);

/**
 * Rebuilds the error of the master in a child: same class for GlobalObjectError and
 * InvalidArgumentError (else ClusterCoreError carrying the name), same message, same cause class
 * for the standard errors (ReferenceError, TypeError, …).
 */
export function reviveGlobalError(wire: unknown): ClusterCoreError {
  const w = (typeof wire === 'object' && wire !== null ? wire : {}) as Partial<GlobalObjectWireError>;
  const name = typeof w.name === 'string' && w.name !== '' ? w.name : 'GlobalObjectError';
  const message = String(w.message ?? '');
  let cause: Error | undefined;
  if (w.cause && typeof w.cause === 'object') {
    const causeName = String(w.cause.name);
    cause = new (STANDARD_ERRORS.get(causeName) ?? Error)(String(w.cause.message ?? ''));
    if (!STANDARD_ERRORS.has(causeName)) cause.name = causeName;
  }
  const options = cause ? { cause } : undefined;
  let err: ClusterCoreError;
  if (name === 'GlobalObjectError') err = new GlobalObjectError(message, options);
  else if (name === 'InvalidArgumentError') {
    // Its constructor builds the message from parts; the master's text is the truth.
    err = new InvalidArgumentError('', '', undefined, '');
    if (cause) err.cause = cause;
  } else {
    err = new ClusterCoreError(message, options);
    err.name = name;
  }
  err.message = message;
  return err;
}
