/**
 * Every error clustercore raises, in one place (piscina's `errors.ts` idea, as classes):
 * each has a stable `name`, and its message says which method, which value, and what to do.
 */

/** Base class of every clustercore error; `name` is stable and safe to switch on. */
export class ClusterCoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClusterCoreError';
  }
}

/** A request got no reply within its time-out. */
export class TraceTimeoutError extends ClusterCoreError {
  /** The process the request went to. */
  readonly toProcessId: string;
  /** The action of the request. */
  readonly action: string;
  /** The time-out that passed, ms. */
  readonly timeout: number;
  constructor(toProcessId: string, action: string, timeout: number) {
    super(`request '${action}' to ${toProcessId} got no reply within ${timeout} ms`);
    this.name = 'TraceTimeoutError';
    this.toProcessId = toProcessId;
    this.action = action;
    this.timeout = timeout;
  }
}

/** The remote handler threw, or no handler for the action exists in the target process. */
export class RemoteError extends ClusterCoreError {
  /** `name` of the error thrown over there (e.g. 'TypeError'). */
  readonly remoteName: string;
  /** The process that answered with the error. */
  readonly fromProcessId: string;
  /** `message` of the error thrown over there. */
  readonly remoteMessage: string;
  constructor(fromProcessId: string, remoteName: string, message: string, remoteStack?: string) {
    super(`${fromProcessId} answered with ${remoteName}: ${message}`);
    this.name = 'RemoteError';
    this.remoteName = remoteName;
    this.fromProcessId = fromProcessId;
    this.remoteMessage = message;
    if (remoteStack) this.stack = `${this.stack}\n    --- remote stack (${fromProcessId}) ---\n${remoteStack}`;
  }
}

/** The target of a message or request is unknown, has exited, or exited before answering. */
export class TargetUnavailableError extends ClusterCoreError {
  /** The process that could not be reached. */
  readonly toProcessId: string;
  constructor(toProcessId: string, reason: string) {
    super(`process ${toProcessId} ${reason}`);
    this.name = 'TargetUnavailableError';
    this.toProcessId = toProcessId;
  }
}

/** An argument of a public method has the wrong type or value. */
export class InvalidArgumentError extends ClusterCoreError {
  constructor(method: string, argument: string, value: unknown, expected: string) {
    super(`${method}: argument '${argument}' must be ${expected}, got ${describe(value)}`);
    this.name = 'InvalidArgumentError';
  }
}

/** A global-object operation failed; the store is left exactly as it was. */
export class GlobalObjectError extends ClusterCoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GlobalObjectError';
  }
}

/**
 * Data that arrived on a channel breaks a limit of R-IPC-2 (MAX_DATA_DEPTH, MAX_DATA_VALUES) or
 * carries an own `__proto__` key: the message is dropped and counted; a request whose reply it was
 * fails with this error. The message names the limit and the path of the offender.
 */
export class DataLimitError extends ClusterCoreError {
  constructor(message: string) {
    super(message);
    this.name = 'DataLimitError';
  }
}

/** A messenger operation (consume, sendRandom) found no live worker to run it. */
export class NoWorkerError extends ClusterCoreError {
  /** The action that could not be placed. */
  readonly action: string;
  constructor(method: string, action: string) {
    super(`${method}: no live worker to run '${action}' (workers that reported ready); try again once a worker is up`);
    this.name = 'NoWorkerError';
    this.action = action;
  }
}

/** One worker's failure inside a map(). */
export interface MapFailure {
  /** The worker that failed or timed out. */
  processId: string;
  /** Why: TraceTimeoutError, RemoteError, TargetUnavailableError, … */
  error: Error;
}

/** One worker's answer inside a map(). */
export interface MapResult {
  /** The worker that answered. */
  processId: string;
  /** Its answer. */
  value: unknown;
}

/** map() did not get an answer from every worker: lists who failed and why, and who answered. */
export class MapError extends ClusterCoreError {
  /** The action of the map. */
  readonly action: string;
  /** The workers that failed or timed out, in worker order. */
  readonly failures: MapFailure[];
  /** The workers that answered, in worker order (partial results). */
  readonly results: MapResult[];
  constructor(action: string, failures: MapFailure[], results: MapResult[]) {
    const total = failures.length + results.length;
    const list = failures.map((f) => `${f.processId} (${f.error.name}: ${f.error.message})`).join('; ');
    super(`map '${action}': ${failures.length} of ${total} workers failed: ${list}`);
    this.name = 'MapError';
    this.action = action;
    this.failures = failures;
    this.results = results;
  }
}

/**
 * A rolling reload stopped: the replacement of `processId` did not start (its onProcessDidInit threw
 * or rejected, it was not ready within startupTimeout, or it exited while starting). The replacement
 * was killed; the workers not replaced yet keep serving.
 */
export class ReloadError extends ClusterCoreError {
  /** The process whose replacement failed. */
  readonly processId: string;
  /** Why the replacement failed: its own error message when it reported one. */
  readonly reason: string;
  constructor(processId: string, reason: string) {
    super(`reload: the replacement of ${processId} failed to start: ${reason}; the rollout stopped and the processes not replaced yet keep serving`);
    this.name = 'ReloadError';
    this.processId = processId;
    this.reason = reason;
  }
}

/** Short, bounded description of a value for error messages (never the whole payload). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `array(${value.length})`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = proto?.constructor?.name;
  return name && name !== 'Object' ? `instance of ${name}` : 'object';
}

/** Plain wire form of an error (what crosses IPC). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** For TargetUnavailableError: the process that could not be reached. */
  toProcessId?: string;
  /** For ReloadError: the process whose replacement failed, and why. */
  processId?: string;
  reason?: string;
}

/** Turns anything thrown into its wire form. */
export function toWireError(err: unknown): WireError {
  if (err instanceof TargetUnavailableError) return { name: err.name, message: err.message, toProcessId: err.toProcessId };
  if (err instanceof ReloadError) return { name: err.name, message: err.message, processId: err.processId, reason: err.reason };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

/** Rebuilds a local error of the same name and message from its wire form (used for callback errors). */
export function fromWireError(wire: WireError): ClusterCoreError {
  const w = (typeof wire === 'object' && wire !== null ? wire : {}) as Partial<WireError>;
  if (w.name === 'ReloadError') return new ReloadError(textOf(w.processId), textOf(w.reason));
  const e = w.name === 'TargetUnavailableError' ? new TargetUnavailableError(textOf(w.toProcessId), '') : new ClusterCoreError('');
  e.message = textOf(w.message);
  e.name = textOf(w.name) || 'ClusterCoreError';
  return e;
}

/**
 * A field of an error that arrived over IPC, as text. Never throws: `String()` of a parsed
 * `{ "toString": 1 }` would, and a reply is handled after its trace left the registry, so a throw
 * there would leave the request pending forever.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : describe(value);
}
