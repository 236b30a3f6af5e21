/**
 * Channel over Node's IPC (`process.send`, `worker.send`, `child.send`).
 *
 * Coalescing: the first envelope written in a tick goes out at once (no added latency); the ones
 * written after it in the same tick are queued and sent as one array frame in a microtask, before
 * the event loop yields. One `send()` of N small envelopes costs far less than N sends, because each
 * send is one serialization and one syscall. The receiver unpacks frames with `forEachEnvelope`.
 */
import type { Envelope } from '../protocol/envelope';
import type { Channel, IpcEndpoint, WriteCallback } from './channel';

const IGNORE = (): void => {};

/** Channel over one Node IPC endpoint, coalescing writes made in the same tick. */
export class IpcChannel implements Channel {
  private queue: Envelope[] = [];
  private callbacks: WriteCallback[] = [];
  private batching = false;
  private readonly flushBound = () => this.flush();

  constructor(
    readonly peerId: string,
    private readonly endpoint: IpcEndpoint,
  ) {}

  /** True while the endpoint's IPC channel is open. */
  get connected(): boolean {
    return this.endpoint.connected !== false && typeof this.endpoint.send === 'function';
  }

  /** Writes at once when nothing is batching this tick; otherwise joins the tick's batch. */
  write(envelope: Envelope, cb?: WriteCallback): void {
    if (this.batching) {
      this.queue.push(envelope);
      if (cb) this.callbacks.push(cb);
      return;
    }
    this.batching = true;
    queueMicrotask(this.flushBound);
    this.rawSend(envelope, cb);
  }

  private flush(): void {
    this.batching = false;
    const n = this.queue.length;
    if (n === 0) return;
    const frame: Envelope | Envelope[] = n === 1 ? this.queue[0] : this.queue;
    const cbs = this.callbacks;
    this.queue = [];
    this.callbacks = [];
    if (cbs.length === 0) this.rawSend(frame);
    else this.rawSend(frame, (err) => { for (const cb of cbs) cb(err); });
  }

  private rawSend(frame: Envelope | Envelope[], cb?: WriteCallback): void {
    if (!this.connected) {
      if (cb) queueMicrotask(() => cb(new Error(`IPC channel to ${this.peerId} is closed`)));
      return;
    }
    try {
      // Node calls back with null once the message is written to the pipe.
      // A callback is always passed: without one, a send failing on a closing channel emits 'error',
      // which would crash the process.
      this.endpoint.send!(frame, undefined, undefined, cb ? (e) => cb(e ?? null) : IGNORE);
    } catch (err) {
      // A channel closing under us (ERR_IPC_CHANNEL_CLOSED) is reported, never thrown into user code.
      if (cb) queueMicrotask(() => cb(err as Error));
    }
  }
}

/** Calls `fn` for each envelope of a frame (one envelope or an array of them). */
export function forEachEnvelope(frame: unknown, fn: (message: unknown) => void): void {
  if (Array.isArray(frame)) for (let i = 0; i < frame.length; i++) fn(frame[i]);
  else fn(frame);
}
