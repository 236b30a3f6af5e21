/**
 * Channel over Node's IPC (`process.send`, `worker.send`, `child.send`).
 *
 * Coalescing: the first envelope written in a tick goes out at once (no added latency); the ones
 * written after it in the same tick are queued and sent as array frames (at most
 * MAX_FRAME_ENVELOPES each) in a microtask, before the event loop yields. One `send()` of N small
 * envelopes costs far less than N sends, because each send is one serialization and one syscall.
 * The receiver unpacks frames with `forEachEnvelope`.
 *
 * Back-pressure: envelopes handed to Node but not yet confirmed written are counted; past
 * `highWaterMark` of them, or once Node's `send()` returned false (its own backlog passed 128 KiB)
 * and a second frame is in flight behind that one, further writes are held in this channel's queue —
 * not serialized, not handed to Node — until Node confirms the writes in flight. (One frame may wait
 * behind a full backlog so the pipe never idles while the next frame is serialized.) Their callbacks
 * fire when they are finally written, so a caller that awaits them (or `drained()`) is slowed to the
 * pace of the peer instead of growing memory.
 *
 * Frame size adapts to payload size without counting bytes on the hot path: one envelope of every
 * 64th frame, and of a frame after which Node reports a backlog, is measured, and the frame size is
 * capped to what fits in FRAME_BYTES (big payloads end up one per send, like plain `process.send`);
 * each frame written without a backlog grows it back by one, up to that cap.
 */
import type { Envelope } from '../protocol/envelope';
import { toWire, type WireEnvelope } from '../protocol/wire';
import type { Channel, IpcEndpoint, WriteCallback } from './channel';
import { IpcTotals, bytesOf, pipeHandleOf, type IpcBytes } from './ipc-totals';

/** Envelopes per array frame: measured, the per-envelope gain flattens past ~16–64, and it bounds a frame's size. */
export const MAX_FRAME_ENVELOPES = 64;

/**
 * Target size of a frame once payloads are known to be big: one Node pipe buffer. Measured against
 * 16 KiB (the size Node writes from its stack in one try): with 10 KB payloads, 16 KiB frames (one
 * envelope each) ran at 16.3–16.5 k requests/s, 64 KiB frames at 19.5–20.1 k (raw 16–22 k).
 */
const FRAME_BYTES = 65536;

/** Every this many frames one envelope is measured (a frame number's low bits are 0). */
const SAMPLE_MASK = 63;

/**
 * Default high-water mark: envelopes written to Node but not yet confirmed, per channel. Measured
 * (scenario a): lower marks keep fewer pending sends alive across young-generation GCs; 256 sent
 * ~15 % more messages/s than 8 192, and a full 256-request window still fits.
 */
export const DEFAULT_HIGH_WATER_MARK = 256;

/** Settings of one IPC channel. */
export interface IpcChannelOptions {
  /** Envelopes in flight (handed to Node, not yet written) past which further writes are held. */
  highWaterMark?: number;
  /** Where this channel counts its writes and leaves its byte counts when it closes (one per process). */
  totals?: IpcTotals;
}

/** Callback of a frame: the callbacks of its envelopes (sparse). */
type FrameCallbacks = (WriteCallback | undefined)[] | null;

/** Channel over one Node IPC endpoint, coalescing writes made in the same tick. */
export class IpcChannel implements Channel {
  /** Envelopes not yet handed to Node: this tick's batch, or writes held back by back-pressure. */
  private queue: Envelope[] = [];
  /** Callbacks aligned with `queue` (undefined where an envelope has none). */
  private callbacks: (WriteCallback | undefined)[] = [];
  /** Index of the first envelope of `queue` not yet handed to Node. */
  private head = 0;
  /** True once a write went out at once this tick and the flush microtask is queued. */
  private batching = false;
  /** Envelopes handed to Node whose write is not confirmed yet. */
  private inFlight = 0;
  /** Frames handed to Node whose write is not confirmed yet. */
  private framesInFlight = 0;
  /** Current frame size limit (adapts to payload size, see above). */
  private maxFrame = MAX_FRAME_ENVELOPES;
  /** What the last measured envelope says fits in FRAME_BYTES: maxFrame grows back up to it. */
  private sizeCap = MAX_FRAME_ENVELOPES;
  /** Sequence number of the last frame, and of the frame for which Node's send() returned false (0: none). */
  private seq = 0;
  private fullAt = 0;
  private drainWaiters: (() => void)[] = [];
  private readonly highWaterMark: number;
  private readonly totals: IpcTotals;
  /** Node's pipe handle under the endpoint, kept so its byte counters can be read (and read one last time at disconnect). */
  private readonly handle: ReturnType<typeof pipeHandleOf>;
  private bytesClosed = false;
  private readonly flushBound = () => {
    this.batching = false;
    this.flush();
  };

  constructor(
    readonly peerId: string,
    private readonly endpoint: IpcEndpoint,
    options: IpcChannelOptions = {},
  ) {
    this.highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    this.totals = options.totals ?? new IpcTotals();
    this.handle = pipeHandleOf(endpoint);
    endpoint.on?.('disconnect', () => {
      // The handle still holds its counts now, not after the exit: hand them to the process's totals.
      const last = this.bytesClosed ? null : bytesOf(this.handle);
      this.bytesClosed = true;
      if (last) {
        this.totals.retired.read += last.read;
        this.totals.retired.written += last.written;
      }
      // Held writes would otherwise wait forever for a peer that is gone.
      this.flush();
    });
  }

  /** Bytes read from and written to the pipe so far (0 once closed: they moved to the totals); null if unknown. */
  bytes(): IpcBytes | null {
    if (!this.handle) return null;
    return this.bytesClosed ? { read: 0, written: 0 } : bytesOf(this.handle);
  }

  /** Set by close(): the peer is gone, whatever the endpoint still says. */
  private closedReason: string | null = null;

  /** True while the endpoint's IPC channel is open. */
  get connected(): boolean {
    return this.closedReason === null && this.endpoint.connected !== false && typeof this.endpoint.send === 'function';
  }

  /** The peer is gone (its process exited): held writes fail now, later writes fail at once. */
  close(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.failQueued(new Error(reason));
  }

  /** True while writes are held back: too much is in flight, or Node reported a large backlog. */
  get congested(): boolean {
    // A closed channel holds nothing back: its writes fail at once instead.
    return ((this.fullAt !== 0 && this.framesInFlight > 1) || this.inFlight >= this.highWaterMark) && this.connected;
  }

  /** Number of envelopes written to this channel whose write Node has not confirmed yet (held + in flight). */
  get pending(): number {
    return this.inFlight + this.queue.length - this.head;
  }

  /** Resolves once the channel is no longer congested (at once when it is not). */
  drained(): Promise<void> {
    if (!this.congested) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Writes at once when nothing is batching or held; otherwise joins the queue. */
  write(envelope: Envelope, cb?: WriteCallback): void {
    this.totals.messagesOut++;
    if (this.batching || this.head < this.queue.length || this.congested) {
      this.queue.push(envelope);
      this.callbacks.push(cb);
      // A long same-tick burst goes out frame by frame instead of as one huge frame at the end.
      if (this.queue.length - this.head >= this.maxFrame && !this.congested) this.flush();
      return;
    }
    this.batching = true;
    queueMicrotask(this.flushBound);
    this.sendFrame(envelope, 1, cb ? [cb] : null);
  }

  /** Hands queued envelopes to Node, frame by frame, until the queue is empty or the channel congested. */
  private flush(): void {
    if (!this.connected) {
      this.failQueued(new Error(this.closedReason ?? `IPC channel to ${this.peerId} is closed`));
      return;
    }
    while (this.head < this.queue.length && !this.congested) {
      const start = this.head;
      const n = Math.min(this.maxFrame, this.queue.length - start);
      let frame: Envelope | Envelope[];
      let cbs: FrameCallbacks;
      if (start === 0 && n === this.queue.length) {
        // The whole queue is one frame: hand it over without copying.
        frame = n === 1 ? this.queue[0] : this.queue;
        cbs = hasAny(this.callbacks) ? this.callbacks : null;
        this.queue = [];
        this.callbacks = [];
        this.head = 0;
      } else {
        frame = n === 1 ? this.queue[start] : this.queue.slice(start, start + n);
        const slice = this.callbacks.slice(start, start + n);
        cbs = hasAny(slice) ? slice : null;
        this.head = start + n;
        this.compact();
      }
      this.sendFrame(frame, n, cbs);
    }
  }

  /** Drops the sent prefix of the queue once it is most of it, so holding stays O(1) per envelope. */
  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.callbacks = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.callbacks = this.callbacks.slice(this.head);
      this.head = 0;
    }
  }

  private sendFrame(frame: Envelope | Envelope[], n: number, cbs: FrameCallbacks): void {
    if (!this.connected) {
      if (cbs) callAll(cbs, new Error(this.closedReason ?? `IPC channel to ${this.peerId} is closed`));
      return;
    }
    const seq = ++this.seq;
    // Nothing unconfirmed before this frame: a backlog after it is this frame's own size.
    const idle = this.framesInFlight === 0;
    this.inFlight += n;
    this.framesInFlight++;
    let ok: boolean;
    try {
      // A callback is always passed: it is how back-pressure learns that the write is done, and
      // without one a send failing on a closing channel emits 'error', which would crash the process.
      ok = this.endpoint.send!(encode(frame), undefined, undefined, (err) => this.onWritten(seq, n, cbs, err ?? null));
    } catch (err) {
      // A channel closing under us (ERR_IPC_CHANNEL_CLOSED) is reported, never thrown into user code.
      this.inFlight -= n;
      this.framesInFlight--;
      if (cbs) queueMicrotask(() => callAll(cbs, err as Error));
      return;
    }
    if (ok === false) {
      this.fullAt = seq;
      // A sample of one envelope, only when Node reports a backlog: are the envelopes big?
      if (n > 1) {
        this.measure((frame as Envelope[])[0]);
      } else if (idle) {
        // One envelope from an idle channel filled Node's backlog: it is big (> 128 KiB) and the
        // writes queued behind it in this tick go one per frame, not as one frame of dozens.
        this.measure(frame as Envelope);
      }
    } else if ((seq & SAMPLE_MASK) === 0) {
      // Now and then, so that frames follow payloads that grow, or shrink again.
      this.measure(n > 1 ? (frame as Envelope[])[0] : (frame as Envelope));
    }
  }

  /** Caps the frame size by the size of one envelope (a sample of the ones being written). */
  private measure(envelope: Envelope): void {
    const bytes = JSON.stringify(toWire(envelope)).length;
    this.sizeCap = Math.max(1, Math.min(MAX_FRAME_ENVELOPES, Math.floor(FRAME_BYTES / bytes)));
    if (this.maxFrame > this.sizeCap) this.maxFrame = this.sizeCap;
  }

  private onWritten(seq: number, n: number, cbs: FrameCallbacks, err: Error | null): void {
    this.inFlight -= n;
    this.framesInFlight--;
    // Writes complete in order: once the frame Node found too many is written, its backlog is gone.
    if (this.fullAt !== 0 && seq >= this.fullAt) this.fullAt = 0;
    else if (this.fullAt === 0 && this.maxFrame < this.sizeCap) this.maxFrame++;
    if (cbs) callAll(cbs, err);
    if (this.head < this.queue.length && !this.congested) this.flush();
    if (!this.congested && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** The peer is gone: every held write fails, and whoever waits for a drain is released. */
  private failQueued(err: Error): void {
    const cbs = this.callbacks.slice(this.head);
    this.queue = [];
    this.callbacks = [];
    this.head = 0;
    this.fullAt = 0;
    if (hasAny(cbs)) queueMicrotask(() => callAll(cbs, err));
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}

/** A frame in its wire form (protocol/wire.ts). */
function encode(frame: Envelope | Envelope[]): WireEnvelope | WireEnvelope[] {
  if (!Array.isArray(frame)) return toWire(frame);
  const out = new Array<WireEnvelope>(frame.length);
  for (let i = 0; i < frame.length; i++) out[i] = toWire(frame[i]);
  return out;
}

function hasAny(cbs: (WriteCallback | undefined)[]): boolean {
  for (let i = 0; i < cbs.length; i++) if (cbs[i] !== undefined) return true;
  return false;
}

function callAll(cbs: (WriteCallback | undefined)[], err: Error | null): void {
  for (let i = 0; i < cbs.length; i++) {
    const cb = cbs[i];
    if (cb !== undefined) cb(err);
  }
}

/**
 * Calls `fn` for each envelope of a frame (one envelope or an array of them). An array no channel
 * writes — empty, or longer than MAX_FRAME_ENVELOPES — is not ours: it goes to `unframed` whole,
 * once, so a hostile frame of 300 000 entries costs one test instead of 300 000 drops, and an empty
 * one is counted instead of vanishing.
 */
export function forEachEnvelope(frame: unknown, fn: (message: unknown) => void, unframed?: (length: number) => void): void {
  if (!Array.isArray(frame)) fn(frame);
  else if ((frame.length === 0 || frame.length > MAX_FRAME_ENVELOPES) && unframed) unframed(frame.length);
  else for (let i = 0; i < frame.length; i++) fn(frame[i]);
}
