/**
 * Messages between the master's Sandbox (sandbox.ts) and its sandbox process (sandbox-host.ts).
 * One channel, in order: the host handles each message before the next, so a write forwarded
 * after a run was sent is applied to the replica after that run, as the master applied it.
 * Every channel message is a batch (an array): the runs queued in one moment of the master travel
 * as one IPC message, the host forwards them to its thread as one, and their answers come back as
 * one (per-message costs dominated a small update: R-GLOBAL-4, docs/perf/global-update.md).
 */

/** A write the master applied to its store, replayed on the host's replica in the same order. */
export type ReplicaWrite =
  | { op: 'set'; keyPath: unknown; values: readonly unknown[] }
  | { op: 'remove'; keyPath: unknown };

/** Master → host. A `run` on the replica with `merge` is an update: its result is merged into the replica. */
export type ToHost =
  | { t: 'init'; timeoutMs: number; cacheSize: number; maxHeapMb: number }
  | { t: 'seed'; root: Record<string, unknown> }
  | { t: 'write'; write: ReplicaWrite }
  | {
    t: 'run';
    id: number;
    source: string;
    /** JSON text of the context (absent: undefined), taken when the run was asked for. */
    contextJson?: string;
    caller: string;
    replica: boolean;
    merge: boolean;
    /** JSON text of the object to run on, when not on the replica. */
    globalJson?: string;
  };

/** An error as it crosses the channel; `cause` is the function's own error, when there is one. */
export interface HostError {
  message: string;
  cause?: { name: string; message: string; stack?: string };
}

/** Host → master. `late`: run `id` passed its time limit and its thread is being stopped. */
export type FromHost =
  | { t: 'late'; id: number }
  | { t: 'done'; id: number; json?: string; compiled?: number }
  | { t: 'failed'; id: number; error: HostError; compiled?: number };

/** What the master sends in one channel message: messages handled in their order. */
export type ToHostBatch = ToHost[];
/** What the host sends in one channel message: answers in the order of their runs. */
export type FromHostBatch = FromHost[];
