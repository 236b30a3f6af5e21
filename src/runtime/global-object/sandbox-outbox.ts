/**
 * What the master's Sandbox sends its sandbox process, gathered into batches (R-GLOBAL-4): runs
 * wait for the end of the current moment (a microtask) and leave together as one IPC message;
 * anything else (a seed, a replica write: they hold references to the store, which the next
 * operation may change) leaves at once, after the runs queued before it, so order is kept.
 */
import type { ToHost, ToHostBatch } from './sandbox-protocol';

/** Queues messages for one channel and sends them in batches, in order. */
export class SandboxOutbox {
  private queued: ToHostBatch = [];
  private flushQueued = false;

  constructor(
    /** Writes one batch to the channel (the sandbox process of the moment, if any). */
    private readonly write: (batch: ToHostBatch) => void,
  ) {}

  /** Queues `message`; a run waits for the end of this moment, anything else flushes now. */
  post(message: ToHost): void {
    this.queued.push(message);
    if (message.t !== 'run') this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }

  /** Drops what is queued (it was meant for a sandbox process that is gone). */
  clear(): void {
    this.queued = [];
  }

  private flush(): void {
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    this.write(batch);
  }
}
