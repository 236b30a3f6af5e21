/**
 * What the messenger's internal messages carry, and how its errors cross IPC: a dispatch request
 * (child → master), a run order (master → worker), and errors flattened to plain JSON that the
 * requesting process turns back into the same error classes (so `instanceof MapError` works in a
 * worker as in the master).
 */
import {
  ClusterCoreError,
  DataLimitError,
  MapError,
  NoWorkerError,
  RemoteError,
  TargetUnavailableError,
  TraceTimeoutError,
  textOf,
  type MapFailure,
  type MapResult,
} from '../protocol/errors';

/** The messenger operations the master runs over its workers. */
export type MessengerOp = 'broadcast' | 'consume' | 'map' | 'sendRandom';

/** Every op, for validation of what arrives. */
export const MESSENGER_OPS: ReadonlySet<string> = new Set<MessengerOp>(['broadcast', 'consume', 'map', 'sendRandom']);

/** How far a messenger operation reaches: the whole cluster (default) or this node only (R-NODE-3). */
export type MessengerScope = 'cluster' | 'node';

/** Payload of MESSENGER_DISPATCH: what the sender asks the master to do. */
export interface DispatchOrder {
  /** 'node' limits the operation to the sender's node; absent means the whole cluster. */
  scope?: MessengerScope;
  /** Set by another node's master only: the local id of the process that called, on that node. */
  origin?: string;
  /** Set by another node's master only: map answers as `{ processId, value }` (to merge them). */
  detail?: boolean;
  /** The operation. */
  op: MessengerOp;
  /** The user action. */
  action: string;
  /** The user payload (absent when the sender gave none). */
  payload?: unknown;
  /** Time-out of consume's acknowledgement / of each map answer, ms. */
  timeout: number;
}

/**
 * Payload of MESSENGER_CAST: a child's broadcast. One-way, numbered by the child (1, 2, 3 …), so
 * the master answers many of them with one MESSENGER_CAST_ACK instead of one reply each.
 */
export interface CastOrder {
  /** The child's number for this broadcast. */
  seq: number;
  /** The user action. */
  action: string;
  /** The user payload (absent when the sender gave none). */
  payload?: unknown;
  /** 'node' limits it to the sender's node. */
  scope?: MessengerScope;
}

/**
 * One entry of a MESSENGER_CAST_ACK's payload (an array of them): broadcasts `to - n + 1 … to` of
 * the child all ended alike — reached `reached`, or failed with `error`.
 */
export interface CastAck {
  /** Number of the last broadcast of the range. */
  to: number;
  /** How many consecutive broadcasts the range holds. */
  n: number;
  /** The worker ids they reached (absent with `error`). */
  reached?: string[];
  /** Why they failed. */
  error?: MessengerWireError;
}

/** Payload of MESSENGER_RUN: what the master asks one worker to run. */
export interface RunOrder {
  /** 'consume' (acknowledged once handed to the handler) or 'map' (answered by the handler). */
  op: 'consume' | 'map';
  /** The user action. */
  action: string;
  /** The user payload. */
  payload?: unknown;
  /** The process that called consume()/map(): the handler sees it as the sender. */
  from: string;
}

/** An error as the messenger sends it: enough fields to rebuild the same class. */
export interface MessengerWireError {
  name: string;
  message: string;
  processId?: string;
  action?: string;
  timeout?: number;
  remoteName?: string;
  remoteMessage?: string;
  failures?: { processId: string; error: MessengerWireError }[];
  results?: MapResult[];
}

/** Flattens a messenger error for IPC. */
export function errorToWire(err: unknown): MessengerWireError {
  if (err instanceof MapError) {
    return {
      name: err.name,
      message: err.message,
      action: err.action,
      failures: err.failures.map((f) => ({ processId: f.processId, error: errorToWire(f.error) })),
      results: err.results,
    };
  }
  if (err instanceof TraceTimeoutError) return { name: err.name, message: err.message, processId: err.toProcessId, action: err.action, timeout: err.timeout };
  if (err instanceof RemoteError) return { name: err.name, message: err.message, processId: err.fromProcessId, remoteName: err.remoteName, remoteMessage: err.remoteMessage };
  if (err instanceof TargetUnavailableError) return { name: err.name, message: err.message, processId: err.toProcessId };
  if (err instanceof NoWorkerError) return { name: err.name, message: err.message, action: err.action };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** Rebuilds the error class a MessengerWireError came from (anything unknown: ClusterCoreError with its name). */
export function reviveError(wire: MessengerWireError): ClusterCoreError {
  const str = textOf;
  let err: ClusterCoreError;
  switch (wire.name) {
    case 'MapError': {
      const failures: MapFailure[] = (wire.failures ?? []).map((f) => ({ processId: str(f.processId), error: reviveError(f.error) }));
      err = new MapError(str(wire.action), failures, wire.results ?? []);
      break;
    }
    case 'TraceTimeoutError':
      err = new TraceTimeoutError(str(wire.processId), str(wire.action), Number(wire.timeout));
      break;
    case 'RemoteError':
      err = new RemoteError(str(wire.processId), str(wire.remoteName), str(wire.remoteMessage));
      break;
    case 'TargetUnavailableError':
      err = new TargetUnavailableError(str(wire.processId), '');
      break;
    case 'NoWorkerError':
      err = new NoWorkerError('', str(wire.action));
      break;
    case 'DataLimitError':
      err = new DataLimitError('');
      break;
    default:
      err = new ClusterCoreError('');
      err.name = str(wire.name) || 'ClusterCoreError';
  }
  // The sender's message is the truth (it may carry context the constructor does not rebuild).
  err.message = str(wire.message);
  return err;
}
