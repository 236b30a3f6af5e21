/**
 * Turns an arrived envelope into the `data` user code sees (R-IPC-4, R-TRACE-5): the same object,
 * with two non-enumerable methods, so JSON.stringify(data) and spreading show only the user's fields.
 */
import { ClusterCoreError } from '../protocol/errors';
import { cloneJson } from '../protocol/json-safe';
import type { Envelope, MessageData } from '../protocol/envelope';
import type { ReceivedData, TraceDetail } from './hooks';

/** What resTrace needs from the engine: a way to send the answer. */
export interface Responder {
  /** Sends a reply for `traceId` to `toProcessId`; returns the argument error instead of sending, if any. */
  reply(toProcessId: string, traceId: string, data: MessageData, cb?: (error: Error | null) => void): Error | null;
  /** Answers `traceId` with a RemoteError built from `error` (the handler threw). */
  replyError?(toProcessId: string, traceId: string, error: unknown): void;
}

/** Passed to getTraceDetail() to reach the internal side; module-private, so user code cannot. */
const INTERNAL = Symbol('clustercore.received-data');

/**
 * Answers a still unanswered request with a RemoteError (R-TRACE-6: the handler threw), so the
 * requester fails at once instead of at its time-out. Does nothing for one-way or answered messages.
 */
export function answerWithError(data: ReceivedData, error: unknown): void {
  (data.getTraceDetail as unknown as (key: symbol) => ((e: unknown) => void) | undefined)(INTERNAL)?.(error);
}

/**
 * Decorates `env.data` in place. The snapshot copies only `data`: `meta` is never handed to user
 * code except inside the snapshot itself, so it cannot have been changed before.
 */
export function toReceivedData(env: Envelope, responder: Responder): ReceivedData {
  const data = env.data;
  const origin = { meta: env.meta, data: cloneJson(data) };
  const traceId = env.meta.traceId;
  const from = env.meta.fromProcessId;
  let responsive = traceId !== null && !env.meta.isRes;
  const resTrace = (resData: MessageData, cb?: (error: Error | null) => void): void => {
    if (!responsive) {
      const err = new ClusterCoreError(
        traceId === null || env.meta.isRes
          ? `resTrace: message '${data.action}' from ${from} is not a request; there is nothing to answer`
          : `resTrace: request '${data.action}' (trace ${traceId}) from ${from} was already answered`,
      );
      if (cb) cb(err);
      else throw err;
      return;
    }
    const bad = responder.reply(from, traceId as string, resData, cb);
    if (bad) {
      if (cb) cb(bad);
      else throw bad;
      return;
    }
    responsive = false;
  };
  const fail = (error: unknown): void => {
    if (!responsive || !responder.replyError) return;
    responsive = false;
    responder.replyError(from, traceId as string, error);
  };
  Object.defineProperty(data, 'getOriginData', { value: () => origin, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(data, 'getTraceDetail', {
    // Called with INTERNAL it hands out `fail` instead: no extra property per message.
    value: (key?: unknown): TraceDetail | typeof fail => (key === INTERNAL ? fail : { traceId, get responsive() { return responsive; }, resTrace }),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return data as ReceivedData;
}
