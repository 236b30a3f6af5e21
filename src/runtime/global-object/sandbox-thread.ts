/**
 * Entry point of the sandbox thread, inside the sandbox process (sandbox-host.ts starts it). It
 * holds a replica of the global object and handles its messages strictly in order: `seed` and
 * `write` change the replica, `run` runs a function on a copy of it with a SandboxRunner (and, for
 * an update, merges the result). Runs follow each other without waiting for the host. It has no
 * time limit of its own: the host terminates the thread when a run is late (cheaper than
 * node:vm's per-call watchdog thread, and the same V8 mechanism).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { GlobalObjectError } from '../../protocol/errors';
import { MemoryGlobalObjectStore } from './global-object-store';
import type { HostError, ReplicaWrite, ToHost } from './sandbox-protocol';
import { SandboxRunner } from './sandbox-runner';

/**
 * Longest JSON text of a function's result, in characters (32 Mi). The result is copied to the
 * master and parsed there: this bounds what a function can make the master hold.
 */
export const SANDBOX_MAX_RESULT_CHARS = 32 * 1024 * 1024;

/**
 * What the thread answers for a run: `started` when timed work starts (compiling a new source,
 * calling the function), `paused` when untimed work follows (parsing the arguments), then `done`
 * or `failed`.
 */
export type ThreadReply =
  | { t: 'started'; id: number }
  | { t: 'paused'; id: number }
  | { t: 'done'; id: number; json?: string; compiled: number }
  | { t: 'failed'; id: number; error: HostError; compiled: number };

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
  const { timeoutMs, cacheSize } = workerData as { timeoutMs: number; cacheSize: number };
  const runner = new SandboxRunner({ timeoutMs, cacheSize, enforceTimeout: false });
  let replica: MemoryGlobalObjectStore | null = null;
  // JSON text of the replica, made once per version of it.
  let json: string | null = null;
  const reply = (m: ThreadReply) => port.postMessage(m);

  port.on('message', (m: ToHost) => {
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
      try {
        if (m.replica && !replica) throw new GlobalObjectError(`${m.caller}: the sandbox has no copy of the global object`);
        const input = m.replica ? (json ??= JSON.stringify(replica!.get(undefined))) : JSON.stringify(m.globalObject);
        const clock = { start: () => reply({ t: 'started', id: m.id }), pause: () => reply({ t: 'paused', id: m.id }) };
        const result = runner.runJson(m.source, input, m.context, m.caller, clock);
        const out = result === undefined ? undefined : JSON.stringify(result);
        if (out !== undefined && out.length > SANDBOX_MAX_RESULT_CHARS) {
          throw new GlobalObjectError(`${m.caller} returned ${out.length} characters of JSON; at most ${SANDBOX_MAX_RESULT_CHARS} come back from the sandbox`);
        }
        if (m.merge && replica && mergeJson(replica, out)) json = null;
        reply({ t: 'done', id: m.id, json: out, compiled: runner.compiledCount });
      } catch (err) {
        reply({ t: 'failed', id: m.id, error: toHostError(err), compiled: runner.compiledCount });
      }
    }
  });
}
