/**
 * The trace registry: one Map from trace id to what waits for the reply (Node cluster's
 * `callbacks` Map, with time-outs). Every entry leaves on exactly one path: reply, time-out,
 * or failure of its target — so nothing leaks however a request ends.
 */
import { createTraceId } from '../protocol/trace-id';
import type { MessageData, Meta } from '../protocol/envelope';

/** What a pending trace does when it ends. */
export interface TraceHandlers {
  /** The reply arrived from the target (`meta`: its envelope's meta, for getOriginData()). */
  onReply(data: MessageData, fromProcessId: string, meta?: Meta): void;
  /** No reply in time. */
  onTimeout(): void;
  /** The target is unknown or exited before answering. */
  onFail(error: Error): void;
  /** A relayed request reached its target (only when the sender asked for a transit result). */
  onDelivered?(): void;
}

interface Pending {
  readonly target: string;
  readonly timer: NodeJS.Timeout;
  readonly handlers: TraceHandlers;
}

/** Pending TraceIPC registrations of one process. */
export class TraceRegistry {
  private readonly pending = new Map<string, Pending>();
  private readonly isTaken = (id: string) => this.pending.has(id);

  /** Registers a trace to `target`; returns its new trace id. */
  register(target: string, timeoutMs: number, handlers: TraceHandlers): string {
    const id = createTraceId(this.isTaken);
    const timer = setTimeout(() => {
      if (this.pending.delete(id)) handlers.onTimeout();
    }, timeoutMs);
    this.pending.set(id, { target, timer, handlers });
    return id;
  }

  /** Removes and returns the handlers of `traceId` when the reply comes from its target (R-TRACE-3). */
  take(traceId: string, fromProcessId: string): TraceHandlers | undefined {
    const p = this.pending.get(traceId);
    if (!p || p.target !== fromProcessId) return undefined;
    this.pending.delete(traceId);
    clearTimeout(p.timer);
    return p.handlers;
  }

  /** Target of a pending trace, if any. */
  targetOf(traceId: string): string | undefined {
    return this.pending.get(traceId)?.target;
  }

  /** Handlers of a pending trace without removing it. */
  peek(traceId: string): TraceHandlers | undefined {
    return this.pending.get(traceId)?.handlers;
  }

  /** Fails one pending trace (e.g. the master reported its target unknown). */
  fail(traceId: string, error: Error): boolean {
    const p = this.pending.get(traceId);
    if (!p) return false;
    this.pending.delete(traceId);
    clearTimeout(p.timer);
    p.handlers.onFail(error);
    return true;
  }

  /**
   * Fails every trace pending on `target` (it exited). A scan, but only on a process exit,
   * which keeps the per-request path to one Map set and one delete.
   */
  failTarget(target: string, makeError: () => Error): number {
    const ids: string[] = [];
    for (const [id, p] of this.pending) if (p.target === target) ids.push(id);
    for (const id of ids) this.fail(id, makeError());
    return ids.length;
  }

  /** Number of pending traces (tests check it drains to 0). */
  get size(): number {
    return this.pending.size;
  }
}
