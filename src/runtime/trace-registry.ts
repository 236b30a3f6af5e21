/**
 * The trace registry: one Map from trace id to what waits for the reply (Node cluster's
 * `callbacks` Map, with time-outs). Every entry leaves on exactly one path: reply, time-out,
 * or failure of its target — so nothing leaks however a request ends.
 *
 * Time-outs: instead of one `setTimeout` per request (a Timeout object, a closure and a timer-list
 * insert/remove each), every distinct time-out value has one FIFO of entries and one timer.
 * Entries of one FIFO share their time-out, so they are in deadline order: the timer only ever
 * waits for the head. An entry that ends early is left in its FIFO, marked done, and skipped when
 * reached (lazy removal); done entries at the head are dropped at once, and a FIFO mostly made of
 * done entries is compacted, so its length stays within twice the live entries (plus a constant).
 */
import { createTraceId } from '../protocol/trace-id';
import type { MessageData, Meta } from '../protocol/envelope';
import { RequestCounters } from './stats/request-counters';

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

/** One pending trace: the only object the registry allocates per request. */
class Pending {
  /** False once the entry left the registry (it may still sit in its FIFO until swept). */
  live = true;
  constructor(
    readonly id: string,
    readonly target: string,
    readonly deadline: number,
    readonly handlers: TraceHandlers,
    readonly queue: DeadlineQueue,
    /** False for bookkeeping traces (transit confirmations, status gathering) that are not user-visible requests. */
    readonly counted: boolean,
  ) {}
}

/** Below this length a FIFO is never compacted (a scan would cost more than it frees). */
const COMPACT_MIN = 64;

/** The entries that share one time-out value, in deadline order, and the one timer that serves them. */
class DeadlineQueue {
  private items: Pending[] = [];
  private head = 0;
  /** Entries of this FIFO still in the registry. */
  live = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly sweep = (): void => this.onTimer();

  constructor(private readonly registry: TraceRegistry, readonly timeoutMs: number) {}

  push(entry: Pending): void {
    this.items.push(entry);
    this.live++;
    if (this.timer === null) this.arm(entry.deadline, performance.now());
    else if (this.live === 1) this.timer.ref();
  }

  /** `entry` left the registry early (reply or failure). */
  done(entry: Pending): void {
    entry.live = false;
    this.live--;
    const items = this.items;
    // Replies mostly come in order: drop done entries from the head right away.
    if (items[this.head] === entry) {
      let h = this.head + 1;
      while (h < items.length && !items[h].live) h++;
      this.setHead(h);
    } else if (items.length - this.head > COMPACT_MIN && this.live * 2 < items.length - this.head) {
      this.items = items.slice(this.head).filter((e) => e.live);
      this.head = 0;
    }
    // Nothing left to wait for: the timer stays armed (re-arming costs more) but must not keep the process alive.
    if (this.live === 0 && this.timer !== null) this.timer.unref();
  }

  private setHead(h: number): void {
    if (h >= this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (h > 1024 && h * 2 > this.items.length) {
      // Keep the array from growing without bound when its head never reaches the end.
      this.items = this.items.slice(h);
      this.head = 0;
    } else {
      this.head = h;
    }
  }

  private arm(deadline: number, now: number): void {
    this.timer = setTimeout(this.sweep, Math.max(1, Math.ceil(deadline - now)));
  }

  private onTimer(): void {
    this.timer = null;
    const now = performance.now();
    const items = this.items;
    let h = this.head;
    // Time-outs run after the sweep of this FIFO so a handler that registers or ends traces sees a consistent FIFO.
    let due: Pending[] | null = null;
    while (h < items.length) {
      const e = items[h];
      if (e.live) {
        if (e.deadline > now) break;
        (due ??= []).push(e);
        e.live = false;
        this.live--;
      }
      h++;
    }
    this.setHead(h);
    // The sweep stops at a live entry, so whatever is left keeps the timer (and the process) alive.
    if (this.head < this.items.length && this.timer === null) this.arm(this.items[this.head].deadline, now);
    if (due) expireAll(this.registry, due, 0);
  }
}

/** Runs the time-outs of `due[from..]`; one that throws still lets the others leave, then propagates. */
function expireAll(registry: TraceRegistry, due: Pending[], from: number): void {
  for (let i = from; i < due.length; i++) {
    try {
      registry.expire(due[i]);
    } catch (err) {
      expireAll(registry, due, i + 1);
      throw err;
    }
  }
}

/** `frameNow` outside Engine.receive(): every reply reads the clock. */
export const NOT_IN_FRAME = -2;
/** `frameNow` inside a frame whose first reply has not read the clock yet. */
export const FRAME_UNREAD = -1;

/** Pending TraceIPC registrations of one process. */
export class TraceRegistry {
  private readonly pending = new Map<string, Pending>();
  private readonly queues = new Map<number, DeadlineQueue>();
  private readonly isTaken = (id: string) => this.pending.has(id);
  /** Requests by outcome and their latency (R-OBS-1): plain increments on the paths below. */
  readonly counters = new RequestCounters();
  /**
   * Arrival time of the frame being routed, for reply latencies: a clock read costs ~0.2 µs on
   * some machines, so the replies of one frame share one read. NOT_IN_FRAME outside receive()
   * (every reply reads the clock), UNREAD until the frame's first reply, then the time.
   */
  frameNow = NOT_IN_FRAME;

  /** Registers a trace to `target` (counted as a request unless `counted` is false); returns its new trace id. */
  register(target: string, timeoutMs: number, handlers: TraceHandlers, counted = true): string {
    const id = createTraceId(this.isTaken);
    let queue = this.queues.get(timeoutMs);
    if (queue === undefined) {
      queue = new DeadlineQueue(this, timeoutMs);
      this.queues.set(timeoutMs, queue);
    }
    const entry = new Pending(id, target, performance.now() + timeoutMs, handlers, queue, counted);
    if (counted) this.counters.started++;
    this.pending.set(id, entry);
    queue.push(entry);
    return id;
  }

  /**
   * Removes and returns the handlers of `traceId` when the reply comes from its target (R-TRACE-3);
   * `remoteError`: the reply carries a RemoteError (counted as failed, its latency still recorded).
   */
  take(traceId: string, fromProcessId: string, remoteError = false): TraceHandlers | undefined {
    const p = this.pending.get(traceId);
    if (!p || p.target !== fromProcessId) return undefined;
    this.pending.delete(traceId);
    p.queue.done(p);
    if (p.counted) {
      const c = this.counters;
      if (remoteError) c.failed++;
      else c.answered++;
      // The start time is the deadline less the time-out: no clock read when the request is sent.
      let now = this.frameNow;
      if (now < 0) {
        now = performance.now();
        if (this.frameNow === FRAME_UNREAD) this.frameNow = now;
      }
      c.latency.record(now - (p.deadline - p.queue.timeoutMs));
    }
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
    p.queue.done(p);
    if (p.counted) this.counters.failed++;
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

  /** Called by a FIFO for an entry whose deadline passed (already marked done there). */
  expire(entry: Pending): void {
    if (this.pending.get(entry.id) !== entry) return;
    this.pending.delete(entry.id);
    if (entry.counted) this.counters.timedOut++;
    entry.handlers.onTimeout();
  }
}
