/**
 * Lifecycle hooks a role class may implement (Corejs names; all optional, sync or async). Declare them
 * with `implements OnProcessDidInit, OnApplicationReady` so the compiler checks the signatures.
 */
import type { MessageData } from '../protocol/envelope';
import type { ExitDetail, NextFunction, ReceivedData } from '../runtime/hooks';

/** The process started: called after the handshake, before it reports ready. */
export interface OnProcessDidInit {
  /** `processId` is this process's id, `launchParams` the master's process.argv. */
  onProcessDidInit(processId: string, launchParams: string[]): unknown;
}

/** Master only: every process of the group is constructed and initialised. */
export interface OnApplicationReady {
  /** Called once, after the alone process and every worker reported ready. */
  onApplicationReady(): unknown;
}

/** Master only: a worker exited. */
export interface OnWorkerProcessDidExit {
  /** `reboot()` starts a worker with the same id (with `refork` on, the master already does). */
  onWorkerProcessDidExit(exitedProcessId: string, exitedDetail: ExitDetail, reboot: () => void): unknown;
}

/** First stage of every user message (middleware: call `next()` to go on). */
export interface OnProcessWillReceiveMessage {
  /** `next()` accepts, `next(x)` replaces the payload, `next(Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD)` discards. */
  onProcessWillReceiveMessage(fromProcessId: string, data: ReceivedData, next: NextFunction): unknown;
}

/** A message whose action has no `@OnMessage` handler in this process. */
export interface OnProcessDidReceiveMessage {
  /** A request can still be answered with `data.getTraceDetail().resTrace(...)`. */
  onProcessDidReceiveMessage(fromProcessId: string, data: ReceivedData): unknown;
}

/** A discarded message, or a reply that arrived after its time-out. */
export interface OnProcessDidDiscardMessage {
  /** Called with the message as received. */
  onProcessDidDiscardMessage(fromProcessId: string, data: ReceivedData): unknown;
}

/** A request of this process got no reply in time. */
export interface OnProcessTraceMessageTimeout {
  /** `data` is the request as sent. */
  onProcessTraceMessageTimeout(toProcessId: string, data: MessageData): unknown;
}

/** The process is about to exit (shutdown); awaited up to `shutdownTimeout`. */
export interface OnProcessWillExit {
  /** Close servers and connections here. */
  onProcessWillExit(): unknown;
}
