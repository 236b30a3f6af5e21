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
 * Per-message state is one Received object, kept on `data` as a private field (see Stamp): no
 * key, symbol or descriptor a user could see, spread or serialize. The two methods are shared
 * functions reading it: no closure per message; the answering closure is made only when
 * getTraceDetail() is called.
 */

/** A base class whose constructor returns its argument, so a subclass can add a private field to an existing object. */
class ReturnsTarget {
  constructor(target: object) {
    return target as ReturnsTarget;
  }
}

/** Hangs a Received on a data object (a private field: ~free, where a defineProperty costs ~0.1 µs). */
class Stamp extends ReturnsTarget {
  #received: Received;

  private constructor(data: object, received: Received) {
    super(data);
    this.#received = received;
  }

  /** Stamps `data` (again, if it was received before: the newest state wins, as a redefinition did). */
  static attach(data: object, received: Received): void {
    if (#received in data) (data as Stamp).#received = received;
    else new Stamp(data, received);
  }

  /** The state of a received data object, if it is one. */
  static of(data: unknown): Received | undefined {
    return typeof data === 'object' && data !== null && #received in data ? (data as Stamp).#received : undefined;
  }
}

/**
 * getTraceDetail()'s result: own enumerable `traceId`, `responsive` (a live getter) and `resTrace`,
 * in that order, as the object literal it replaces — but built from a shared getter (a literal with
 * a getter costs ~0.6 µs, this ~0.1 µs).
 */
class Detail {
  // `declare`: no class-field definitions, so the constructor alone sets the keys, in the literal's order.
  declare readonly traceId: string | null;
  declare readonly responsive: boolean;
  declare readonly resTrace: (data: MessageData, callBack?: (error: Error | null) => void) => void;
  #received: Received;

  constructor(received: Received, traceId: string | null) {
    (this as { traceId: string | null }).traceId = traceId;
    Object.defineProperty(this, 'responsive', Detail.RESPONSIVE);
    (this as { resTrace: TraceDetail['resTrace'] }).resTrace = (resData, cb) => received.resTrace(resData, cb);
    this.#received = received;
  }

  private static readonly RESPONSIVE: PropertyDescriptor = {
    get(this: Detail): boolean {
      return this.#received.responsive;
    },
    enumerable: true,
    configurable: true,
  };
}

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
    return new Detail(this, this.meta.traceId);
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

function stateOf(data: unknown): Received {
  const s = Stamp.of(data);
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

/**
 * Answers a still unanswered request with a RemoteError (R-TRACE-6: the handler threw), so the
 * requester fails at once instead of at its time-out. Does nothing for one-way or answered messages.
 */
export function answerWithError(data: ReceivedData, error: unknown): void {
  Stamp.of(data)?.fail(error);
}

/**
 * Decorates `env.data` in place. The snapshot copies only `data`: `meta` is never handed to user
 * code except inside the snapshot itself, so it cannot have been changed before. A caller that
 * already copied `data` while checking it (Engine.acceptUserData) passes its copy as `snapshot`.
 */
export function toReceivedData(env: Envelope, responder: Responder, snapshot: MessageData = cloneJson(env.data)): ReceivedData {
  const data = env.data;
  Stamp.attach(data, new Received(env.meta, snapshot, data, responder));
  Object.defineProperty(data, 'getOriginData', ORIGIN_DESC);
  Object.defineProperty(data, 'getTraceDetail', DETAIL_DESC);
  return data as ReceivedData;
}
