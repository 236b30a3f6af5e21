/**
 * A channel moves envelopes to one peer process. The runtime only sees this interface, so a
 * batching IPC channel today and a Redis channel for multi-host later plug in the same way.
 */
import type { Envelope } from '../protocol/envelope';

/** Called once a write reached the peer's pipe, or failed. */
export type WriteCallback = (error: Error | null) => void;

/** One peer, reached by writes. */
export interface Channel {
  /** Id of the process at the other end. */
  readonly peerId: string;
  /** True while writes can still reach the peer. */
  readonly connected: boolean;
  /** Queues one envelope for the peer; `cb` reports when it was written or why it could not be. */
  write(envelope: Envelope, cb?: WriteCallback): void;
  /** True while the channel holds writes back (back-pressure); absent means never. */
  readonly congested?: boolean;
  /** Resolves once the channel is no longer congested; absent means it never is. */
  drained?(): Promise<void>;
  /** The peer is gone: held writes fail now and later ones at once (absent: nothing is held). */
  close?(reason: string): void;
  /**
   * True for a channel to another node's master (multi-host): that master confirms delivery to
   * the target itself, so a relay must not confirm on write.
   */
  readonly gateway?: boolean;
}

/** What an IPC endpoint looks like: `process`, a `cluster.Worker` and a `ChildProcess` all have it. */
export interface IpcEndpoint {
  send?(message: unknown, sendHandle?: undefined, options?: undefined, callback?: (error: Error | null) => void): boolean;
  readonly connected?: boolean;
  /** Subscribes to 'disconnect' (all three have it), so held writes fail when the peer goes. */
  on?(event: 'disconnect', listener: () => void): unknown;
}
