/**
 * Entry point of the sandbox thread, inside the sandbox process (sandbox-host.ts starts it). It
 * holds a replica of the global object and handles its messages strictly in order: `seed` and
 * `write` change the replica, `run` runs a function on a copy of it with a SandboxRunner (and, for
 * an update, merges the result). Messages come in batches; the runs of a batch follow each other
 * and are answered together, in one message. It has no time limit of its own: it marks in shared
 * memory (`RunWatch`) which run is in timed work since when, and the host, reading that on its own
 * clock, terminates the thread when a run is late (cheaper than node:vm's per-call watchdog
 * thread, and the same V8 mechanism; no message per run).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GlobalObjectError } from '../../protocol/errors';
import { MemoryGlobalObjectStore } from './global-object-store';
import type { HostError, ReplicaWrite, ToHost, ToHostBatch } from './sandbox-protocol';
import { SandboxRunner } from './sandbox-runner';

/**
 * Longest JSON text of a function's result, in characters (32 Mi). The result is copied to the
 * master and parsed there: this bounds what a function can make the master hold.
 */
export const SANDBOX_MAX_RESULT_CHARS = 32 * 1024 * 1024;

/** What the thread answers for a run; a batch's answers travel as one array, in run order. */
export type ThreadReply =
  | { t: 'done'; id: number; json?: string; compiled: number }
  | { t: 'failed'; id: number; error: HostError; compiled: number };

/**
 * Shared memory between the thread and its host: the run being handled (0: none), whether it is in
 * timed work (compiling a new source, calling the function; not parsing its arguments), and since
 * when (Date.now() ms). The thread writes, the host reads.
 */
export class RunWatch {
  /** [run id, 1 when timed]. */
  private readonly state: Int32Array;
  private readonly since: Float64Array;

  constructor(
    /** The memory both sides see (16 bytes). */
    readonly shared: SharedArrayBuffer = new SharedArrayBuffer(16),
  ) {
    this.state = new Int32Array(shared, 0, 2);
    this.since = new Float64Array(shared, 8, 1);
  }

  /** Thread: run `id` starts (untimed) or ends (0). */
  enter(id: number): void {
    Atomics.store(this.state, 1, 0);
    Atomics.store(this.state, 0, id);
  }

  /** Thread: timed work of the current run starts now. */
  start(): void {
    this.since[0] = Date.now();
    Atomics.store(this.state, 1, 1);
  }

  /** Thread: timed work stopped. */
  pause(): void {
    Atomics.store(this.state, 1, 0);
  }

  /** Host: the run being handled (0: none). */
  current(): number {
    return Atomics.load(this.state, 0);
  }

  /** Host: the run in timed work and since when, or null; read twice so the pair belongs together. */
  timed(): { id: number; since: number } | null {
    const id = Atomics.load(this.state, 0);
    if (id === 0 || Atomics.load(this.state, 1) !== 1) return null;
    const since = this.since[0];
    return Atomics.load(this.state, 0) === id && Atomics.load(this.state, 1) === 1 ? { id, since } : null;
  }
}

/** The error form that crosses to the master, with the function's own error as `cause`. */
export function toHostError(err: unknown): HostError {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error ? err.cause : undefined;
  if (!(cause instanceof Error)) return { message };
  return { message, cause: { name: cause.name, message: cause.message, stack: cause.stack } };
}

/** Applies a write the master applied to its store (the checks are the same, so it succeeds). */
export function replay(store: MemoryGlobalObjectStore, write: ReplicaWrite): void {
  if (write.op === 'set') store.set(write.keyPath, write.values);
  else store.remove(write.keyPath);
}

/** Merges an update's result (JSON text) into a replica, with the checks the master's store makes. */
export function mergeJson(store: MemoryGlobalObjectStore, json: string | undefined): boolean {
  const result: unknown = json === undefined ? undefined : JSON.parse(json);
  store.mergeResult(result);
  return result !== undefined && result !== null;
}

if (parentPort) {
  const port = parentPort;
  const { timeoutMs, cacheSize, shared } = workerData as { timeoutMs: number; cacheSize: number; shared: SharedArrayBuffer };
  const runner = new SandboxRunner({ timeoutMs, cacheSize, enforceTimeout: false });
  const watch = new RunWatch(shared);
  let replica: MemoryGlobalObjectStore | null = null;
  // JSON text of the replica, made once per version of it.
  let json: string | null = null;

  const runOne = (m: Extract<ToHost, { t: 'run' }>): ThreadReply => {
    watch.enter(m.id);
    try {
      if (m.replica && !replica) throw new GlobalObjectError(`${m.caller}: the sandbox has no copy of the global object`);
      const input = m.replica ? (json ??= JSON.stringify(replica!.get(undefined))) : (m.globalJson ?? 'null');
      const result = runner.runText(m.source, input, m.contextJson, m.caller, watch);
      watch.pause();
      const out = result === undefined ? undefined : JSON.stringify(result);
      if (out !== undefined && out.length > SANDBOX_MAX_RESULT_CHARS) {
        throw new GlobalObjectError(`${m.caller} returned ${out.length} characters of JSON; at most ${SANDBOX_MAX_RESULT_CHARS} come back from the sandbox`);
      }
      if (m.merge && replica && mergeJson(replica, out)) json = null;
      return { t: 'done', id: m.id, json: out, compiled: runner.compiledCount };
    } catch (err) {
      return { t: 'failed', id: m.id, error: toHostError(err), compiled: runner.compiledCount };
    } finally {
      watch.enter(0);
    }
  };

  port.on('message', (batch: ToHostBatch) => {
    const answers: ThreadReply[] = [];
    for (const m of batch) {
      if (m.t === 'seed') {
        replica = new MemoryGlobalObjectStore({ initial: m.root, adopt: true });
        json = null;
      } else if (m.t === 'write') {
        // The host and master applied this write already; if the replica ever disagreed, dropping
        // it makes the next run fail loudly instead of reading stale data.
        try {
          if (replica) replay(replica, m.write);
        } catch {
          replica = null;
        }
        json = null;
      } else if (m.t === 'run') {
        answers.push(runOne(m));
      }
    }
    if (answers.length > 0) port.postMessage(answers);
  });
}
