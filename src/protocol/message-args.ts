/**
 * Argument checks of the messaging methods (R-IPC-2, R-IPC-3, R-IPC-5, R-TRACE-1). Pure: each
 * returns an error for the caller to hand to its callback or throw, and nothing is sent.
 */
import { ClusterCoreError, InvalidArgumentError, describe } from './errors';
import { findJsonUnsafe, isPlainObject } from './json-safe';
import { Macros, isInternalAction } from './macros';
import { isProcessId } from './process-id';
import type { MessageData } from './envelope';

/** Checks a target id; `self` is the caller's own id (a send to oneself is refused). */
export function checkTarget(method: string, toProcessId: unknown, self: string, argument = 'processId'): ClusterCoreError | null {
  if (!isProcessId(toProcessId)) {
    return new InvalidArgumentError(method, argument, toProcessId, "a process id ('M', 'W:<n>', 'A' or '<node>/<id>')");
  }
  if (toProcessId === self) {
    return new ClusterCoreError(`${method}: argument '${argument}' is ${describe(toProcessId)}, the sender's own id; a process cannot send a message to itself`);
  }
  return null;
}

/** Checks user message data: a plain object, a non-empty string action that is not internal, JSON-safe values. */
export function checkUserData(method: string, data: unknown): ClusterCoreError | null {
  if (!isPlainObject(data)) return new InvalidArgumentError(method, 'data', data, 'a plain object with a string action');
  const action = data.action;
  if (typeof action !== 'string' || action === '') {
    return new InvalidArgumentError(method, 'data.action', action, 'a non-empty string');
  }
  if (isInternalAction(action)) {
    return new ClusterCoreError(`${method}: argument 'data.action' is ${describe(action)}, an action reserved to clustercore (Macros); choose another action name`);
  }
  const unsafe = findJsonUnsafe(data, 'data');
  if (unsafe) return new InvalidArgumentError(method, 'data', data, `JSON-safe (Array, Object, Number, String, Boolean, null): ${unsafe}`);
  return null;
}

/** Checks an action name alone (promise API: `send(to, action, payload)`). */
export function checkAction(method: string, action: unknown): ClusterCoreError | null {
  if (typeof action !== 'string' || action === '') return new InvalidArgumentError(method, 'action', action, 'a non-empty string');
  if (isInternalAction(action)) {
    return new ClusterCoreError(`${method}: argument 'action' is ${describe(action)}, an action reserved to clustercore (Macros); choose another action name`);
  }
  return null;
}

/** Checks a payload alone (JSON-safe, within the limits of R-IPC-2 once inside `{ action, payload }`). */
export function checkPayload(method: string, payload: unknown): ClusterCoreError | null {
  if (payload === undefined) return null;
  // The payload travels inside the message data, one level down: the depth limit counts from there.
  const unsafe = findJsonUnsafe(payload, 'payload', 2);
  return unsafe ? new InvalidArgumentError(method, 'payload', payload, `JSON-safe: ${unsafe}`) : null;
}

/** Checks a time-out in ms. */
export function checkTimeout(method: string, timeout: unknown, argument = 'timeout'): ClusterCoreError | null {
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > 0x7fffffff) {
    return new InvalidArgumentError(method, argument, timeout, 'a positive number of milliseconds (at most 2147483647)');
  }
  return null;
}

/** Reply callback of a TraceIPC: `(resData, next)`. */
export type TraceCallBack = (resData: MessageData, next: () => void) => void;

/** Normalised options of sendDataWithTraceCallBack. */
export interface TraceOptions {
  /** Time-out in ms. */
  timeout: number;
  /** Reply callback. */
  traceCallBack: TraceCallBack;
}

/** Parses `options` of sendDataWithTraceCallBack: `{ timeout = 10000, traceCallBack }` or a function. */
export function parseTraceOptions(method: string, options: unknown): TraceOptions | ClusterCoreError {
  if (typeof options === 'function') return { timeout: Macros.CLUSTER_CORE_MESSAGE_TRANSIT_TIMEOUT, traceCallBack: options as TraceCallBack };
  if (!isPlainObject(options)) {
    return new InvalidArgumentError(method, 'options', options, 'a function or { timeout?, traceCallBack }');
  }
  const { timeout = Macros.CLUSTER_CORE_MESSAGE_TRANSIT_TIMEOUT, traceCallBack } = options;
  if (typeof traceCallBack !== 'function') {
    return new InvalidArgumentError(method, 'options.traceCallBack', traceCallBack, 'a function (resData, next)');
  }
  const bad = checkTimeout(method, timeout, 'options.timeout');
  if (bad) return bad;
  return { timeout: timeout as number, traceCallBack: traceCallBack as TraceCallBack };
}
