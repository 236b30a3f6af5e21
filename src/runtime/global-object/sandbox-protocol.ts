/**
 * Messages between the master's Sandbox (sandbox.ts) and its sandbox process (sandbox-host.ts).
 * One channel, in order: the host handles each message before the next, so a write forwarded
 * after a run was sent is applied to the replica after that run, as the master applied it.
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
  | { t: 'run'; id: number; source: string; context: unknown; caller: string; replica: boolean; merge: boolean; globalObject?: unknown };

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
