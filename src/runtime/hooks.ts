/**
 * The hooks a process host implements (Corejs names, R-PIPE, R-PROC-3/4). An AppMain instance is
 * one host; the decorator bootstrapper builds another over role classes and handlers.
 */
import type { MessageData } from '../protocol/envelope';

/**
 * Why a child exited (R-SUP-8): `crash` (by itself, or killed from outside), `unresponsive` (missed
 * its heartbeat), `memory` (replaced above maxMemory), `reload` (replaced by a reload, or a
 * replacement that failed to start), `shutdown` (the group is stopping).
 */
export type ExitReason = 'crash' | 'unresponsive' | 'memory' | 'reload' | 'shutdown';

/** Exit detail of a worker: `{ code, signal, reason }`. */
export interface ExitDetail {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** Signal name, or null on a normal exit. */
  signal: string | null;
  /** Why it exited. */
  reason: ExitReason;
  /** For `unresponsive`: the top JavaScript frames where its event loop was stuck ('fn (file:line:col)'). */
  stack?: string[];
}

/** Data as user code sees it: the message data plus getOriginData() and getTraceDetail(). */
export interface ReceivedData extends MessageData {
  /** Deep-copied snapshot of the whole envelope as received. */
  getOriginData(): { meta: import('../protocol/envelope').Meta; data: MessageData };
  /** Trace detail for answering a request. */
  getTraceDetail(): TraceDetail;
}

/** `data.getTraceDetail()` (R-TRACE-5). */
export interface TraceDetail {
  /** Trace id of the message (null for one-way messages). */
  traceId: string | null;
  /** True while an answer can still be sent: a request not answered yet. */
  responsive: boolean;
  /** Sends the answer; refused after the first one or for one-way messages. */
  resTrace(data: MessageData, callBack?: (error: Error | null) => void): void;
}

/** `next()` of onProcessWillReceiveMessage: no argument, a replacement payload, or the discard command. */
export type NextFunction = (payloadOrCommand?: unknown) => void;

/** Lifecycle and message hooks of a process; every one is optional. */
export interface ProcessHooks {
  /** The process finished starting (master: at once; children: after the handshake). */
  onProcessDidInit?(processId: string, launchParams: string[]): unknown;
  /** Master only: a worker exited; `reboot()` starts a worker with the same id. */
  onWorkerProcessDidExit?(exitedProcessId: string, exitedDetail: ExitDetail, reboot: () => void): unknown;
  /** First stage of every user message; call next() to accept, next(x) to replace the payload, or discard. */
  onProcessWillReceiveMessage?(fromProcessId: string, data: ReceivedData, next: NextFunction): unknown;
  /** An accepted user message (or a TraceIPC reply passed on with next()). */
  onProcessDidReceiveMessage?(fromProcessId: string, data: ReceivedData): unknown;
  /** A discarded message, or a reply that arrived after its time-out. */
  onProcessDidDiscardMessage?(fromProcessId: string, data: ReceivedData): unknown;
  /** A TraceIPC got no reply in time. */
  onProcessTraceMessageTimeout?(toProcessId: string, data: MessageData): unknown;
  /** The process is about to exit (shutdown); awaited up to shutdownTimeout. */
  onProcessWillExit?(): unknown;
}
