/**
 * Turns an arrived envelope into the `data` user code sees (R-IPC-4, R-TRACE-5): the same object,
 * with two non-enumerable methods, so JSON.stringify(data) and spreading show only the user's fields.
 */
import { ClusterCoreError } from '../protocol/errors';
import { cloneJson } from '../protocol/json-safe';
import type { Envelope, MessageData, Meta } from '../protocol/envelope';
import type { ReceivedData, TraceDetail } from './hooks';

/** What resTrace needs from the engine: a way to send the answer. */
export interface Responder {
  /** Sends a reply for `traceId` to `toProcessId`; returns the argument error instead of sending, if any. */
  reply(toProcessId: string, traceId: string, data: MessageData, cb?: (error: Error | null) => void): Error | null;
  /** Answers `traceId` with a RemoteError built from `error` (the handler threw). */
  replyError?(toProcessId: string, traceId: string, error: unknown): void;
}

/**
 * Per-message state, kept on `data` under a module-private symbol as a non-enumerable property (so
 * spreading data or JSON.stringify never copies it). The two methods are shared functions reading it:
 * no closure per message; the answering closure is made only when getTraceDetail() is called.
 */
const STATE = Symbol('clustercore.received-data');

class Received {
  /** True while an answer can still be sent. */
  responsive: boolean;
  /** `{ meta, data }` of getOriginData(), built on first call around the snapshot taken on receipt. */
  private origin: { meta: Meta; data: MessageData } | null = null;

  constructor(
    private readonly meta: Meta,
    /** Deep copy of `data` taken on receipt (R-IPC-4). */
    private readonly snapshot: MessageData,
    /** The live data (error messages name its current action, as a hook may have changed it). */
    private readonly data: MessageData,
    private readonly responder: Responder,
  ) {
    this.responsive = meta.traceId !== null && !meta.isRes;
  }

  originData(): { meta: Meta; data: MessageData } {
    return (this.origin ??= { meta: this.meta, data: this.snapshot });
  }

  detail(): TraceDetail {
    const self = this;
    return {
      traceId: this.meta.traceId,
      get responsive() { return self.responsive; },
      resTrace: (resData: MessageData, cb?: (error: Error | null) => void) => self.resTrace(resData, cb),
    };
  }

  resTrace(resData: MessageData, cb?: (error: Error | null) => void): void {
    const { traceId, fromProcessId: from } = this.meta;
    if (!this.responsive) {
      const err = new ClusterCoreError(
        traceId === null || this.meta.isRes
          ? `resTrace: message '${this.data.action}' from ${from} is not a request; there is nothing to answer`
          : `resTrace: request '${this.data.action}' (trace ${traceId}) from ${from} was already answered`,
      );
      if (cb) cb(err);
      else throw err;
      return;
    }
    const bad = this.responder.reply(from, traceId as string, resData, cb);
    if (bad) {
      if (cb) cb(bad);
      else throw bad;
      return;
    }
    this.responsive = false;
  }

  fail(error: unknown): void {
    if (!this.responsive || !this.responder.replyError) return;
    this.responsive = false;
    this.responder.replyError(this.meta.fromProcessId, this.meta.traceId as string, error);
  }
}

function stateOf(data: object): Received {
  const s = (data as { [STATE]?: Received })[STATE];
  if (!s) throw new ClusterCoreError('getOriginData/getTraceDetail: called without the received data as `this`');
  return s;
}

/** data.getOriginData(): shared by every message. */
function getOriginData(this: object): { meta: Meta; data: MessageData } {
  return stateOf(this).originData();
}

/** data.getTraceDetail(): shared by every message. */
function getTraceDetail(this: object): TraceDetail {
  return stateOf(this).detail();
}

// Descriptors built once: defining a property from a shared descriptor allocates nothing.
const ORIGIN_DESC: PropertyDescriptor = { value: getOriginData, enumerable: false, configurable: true, writable: true };
const DETAIL_DESC: PropertyDescriptor = { value: getTraceDetail, enumerable: false, configurable: true, writable: true };
const STATE_DESC: PropertyDescriptor = { value: undefined, enumerable: false, configurable: true, writable: true };

/**
 * Answers a still unanswered request with a RemoteError (R-TRACE-6: the handler threw), so the
 * requester fails at once instead of at its time-out. Does nothing for one-way or answered messages.
 */
export function answerWithError(data: ReceivedData, error: unknown): void {
  (data as { [STATE]?: Received })[STATE]?.fail(error);
}

/**
 * Decorates `env.data` in place. The snapshot copies only `data`: `meta` is never handed to user
 * code except inside the snapshot itself, so it cannot have been changed before.
 */
export function toReceivedData(env: Envelope, responder: Responder): ReceivedData {
  const data = env.data;
  STATE_DESC.value = new Received(env.meta, cloneJson(data), data, responder);
  Object.defineProperty(data, STATE, STATE_DESC);
  STATE_DESC.value = undefined;
  Object.defineProperty(data, 'getOriginData', ORIGIN_DESC);
  Object.defineProperty(data, 'getTraceDetail', DETAIL_DESC);
  return data as ReceivedData;
}
