/**
 * The sandbox of the global object's query/update functions (R-GLOBAL-4, R-GLOBAL-5), as the
 * master sees it: an asynchronous `run(source, globalObject, context, caller)`, or `runOnReplica`
 * against a copy of the store that the sandbox keeps in step (`seed` + `replicate`).
 *
 * Functions run in a separate process (sandbox-host.ts; the hardened realm is sandbox-realm.ts),
 * never in the master, because nothing inside one V8 isolate can stop a long call into a
 * built-in: `node:vm`'s time limit and `Worker#terminate()` both use V8's TerminateExecution,
 * which `Array.prototype.indexOf` on a length-2**30 array or `sort` on 2**32-1 elements do not
 * check for seconds to minutes (measured: a terminated worker thread kept running indexOf 11 s
 * and held a 1.6 GB Float64Array 6.6 s). A process is killed at once, with its memory.
 * isolated-vm and quickjs-emscripten were weighed and not taken (docs/readme/sandbox.md):
 * isolated-vm 5.0.4 builds from source here (3 min 33 s, needs --no-node-snapshot on Node 20)
 * and is fast (~10-35 µs a call) but its timeout is the same TerminateExecution: the indexOf
 * attack ran 40.8 s inside it; quickjs-emscripten 0.32.0 installs in 4 s but runs on the calling
 * thread (~0.1-0.2 ms a call) and its interrupt handler is not polled inside that built-in either
 * (> 100 s). Only a process can be stopped at once, whatever it is doing.
 *
 * - The host enforces the time limit itself (a JS loop is stopped cleanly, the process stays) and
 *   says `late`; when the run is still not over a grace period later (a built-in call that ignores
 *   termination) the master kills the host and answers that run with a GlobalObjectError. Runs
 *   queued behind it are sent to a new host, seeded with the store as it is.
 * - Memory: the host has a V8 heap limit (`maxHeapMb`) and the realm caps typed-array memory per
 *   run; a host that dies of it fails the running function with a GlobalObjectError.
 * - The host is started on the first run and stays; it ends when the master does.
 * - Batches: runs asked for in one moment (one turn of the master's event loop, before its
 *   microtasks end) leave as one IPC message; a run carries only strings (its context as JSON
 *   text, taken when it was asked for), so sending it later sends what was asked. A seed or a
 *   write holds references to the store, which the next operation may change: it leaves at once,
 *   after the runs queued before it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GlobalObjectError } from '../../protocol/errors';
import type { FromHost, FromHostBatch, HostError, ReplicaWrite, ToHost, ToHostBatch } from './sandbox-protocol';
import { SandboxOutbox } from './sandbox-outbox';
import { SandboxRunner } from './sandbox-runner';

export { DEFAULT_SANDBOX_CACHE_SIZE, DEFAULT_SANDBOX_TIMEOUT_MS, STARVED_RUN_RETRIES } from './sandbox-runner';
export type { ReplicaWrite } from './sandbox-protocol';

/** Options of a Sandbox. */
export interface SandboxOptions {
  /** Longest a function may run, in ms (default 100). */
  timeoutMs?: number;
  /** Most compiled sources kept, least recently used dropped first (default 256). */
  cacheSize?: number;
  /** V8 heap limit of the sandbox process, in MB (default 512): it holds the replica too. */
  maxHeapMb?: number;
}

/** Default V8 heap limit of the sandbox process, in MB. */
export const DEFAULT_SANDBOX_HEAP_MB = 512;
/** How long after the host said a run is late the master waits for it to stop before killing the host. */
export const sandboxGraceMs = (timeoutMs: number): number => Math.max(100, timeoutMs);

const HOST_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((E) => [E.name, E]),
);

interface PendingRun {
  message: Extract<ToHost, { t: 'run' }>;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

// The compiled host; from TypeScript sources (unit tests) the one built into dist/.
function hostPath(): string {
  const here = path.join(__dirname, 'sandbox-host.js');
  return fs.existsSync(here) ? here : path.resolve(__dirname, '../../../dist/src/runtime/global-object/sandbox-host.js');
}

/** Runs function sources in the sandbox process; every method returns at once. */
export class Sandbox {
  /** Time limit of one run, in ms. */
  readonly timeoutMs: number;
  /** Most compiled sources kept by the host. */
  readonly cacheSize: number;
  /** V8 heap limit of the host, in MB. */
  readonly maxHeapMb: number;
  private host: ChildProcess | null = null;
  private readonly pending = new Map<number, PendingRun>();
  private nextId = 1;
  private timer: NodeJS.Timeout | null = null;
  private running = 0;
  private replicaSource: (() => Record<string, unknown>) | null = null;
  private stderrTail = '';
  private started = 0;
  private compiled = 0;
  // Runs waiting for the end of this moment to leave in one message (sent in order before anything else).
  private readonly outbox = new SandboxOutbox((batch) => this.write(batch));

  constructor(options: SandboxOptions = {}) {
    const { maxHeapMb = DEFAULT_SANDBOX_HEAP_MB, ...runnerOptions } = options;
    // Same checks and messages as the runner that will use them.
    const probe = new SandboxRunner(runnerOptions);
    if (!Number.isSafeInteger(maxHeapMb) || maxHeapMb < 16) {
      throw new GlobalObjectError(`Sandbox: option maxHeapMb must be an integer of at least 16, got ${String(maxHeapMb)}`);
    }
    this.timeoutMs = probe.timeoutMs;
    this.cacheSize = probe.cacheSize;
    this.maxHeapMb = maxHeapMb;
  }

  /** Sources compiled by the sandbox's current thread so far, as its last answer said (a cache hit does not count). */
  get compiledCount(): number {
    return this.compiled;
  }

  /** Process id of the sandbox process, when one runs. */
  get hostPid(): number | undefined {
    return this.host?.pid;
  }

  /** How many sandbox processes were started so far (a killed one is replaced on the next run). */
  get hostsStarted(): number {
    return this.started;
  }

  /** Runs `source` as `fn(globalObject, context)` on a copy of `globalObject` (JSON-safe); resolves with its result through JSON. */
  run(source: string, globalObject: unknown, context: unknown, caller: string): Promise<unknown> {
    return this.submit({ t: 'run', id: 0, source, contextJson: toJson(context), caller, replica: false, merge: false, globalJson: toJson(globalObject) ?? 'null' });
  }

  /** Makes this sandbox keep a replica of the store `source()` returns; a new host is seeded from it. */
  useReplica(source: () => Record<string, unknown>): void {
    this.replicaSource = source;
    if (this.host) this.post({ t: 'seed', root: source() });
  }

  /** Replays a write the store applied on the replica, after everything sent before it. */
  replicate(write: ReplicaWrite): void {
    // Without a host there is nothing to keep in step: a new one is seeded with the store as it is.
    if (this.host && this.replicaSource) this.post({ t: 'write', write });
  }

  /**
   * Runs `source` on a copy of the replica as it is after every write replicated and every run
   * made before this call. With `merge` (an update), a result that passes the store's
   * `mergeResult` checks is merged into the replica right away (a failing one fails the run), so
   * the next run sees it: the caller merges the same result into its store, in the same order.
   */
  runOnReplica(source: string, context: unknown, caller: string, merge = false): Promise<unknown> {
    if (!this.replicaSource) return Promise.reject(new GlobalObjectError(`${caller}: this sandbox keeps no replica (useReplica was not called)`));
    return this.submit({ t: 'run', id: 0, source, contextJson: toJson(context), caller, replica: true, merge });
  }

  /**
   * Starts the sandbox process now, in the background, when none runs: its start (a process, a
   * thread, a realm: ~0.1-0.5 s) then does not fall on the first query or update.
   */
  warm(): void {
    if (this.host) return;
    this.ensureHost();
    // Nothing waits on it yet: it must not keep the master alive.
    const host = this.host as ChildProcess | null;
    if (this.pending.size === 0) host?.channel?.unref();
  }

  /** Ends the sandbox process; pending runs fail. A later run starts a new one. */
  close(): void {
    this.failAll(new GlobalObjectError('the sandbox was closed'));
    this.kill();
  }

  private submit(message: Extract<ToHost, { t: 'run' }>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      message.id = this.nextId++;
      this.pending.set(message.id, { message, resolve, reject });
      // A new host is sent every pending run, this one included.
      if (this.host) this.post(message);
      else this.ensureHost();
      this.host?.channel?.ref();
    });
  }

  private ensureHost(): void {
    if (this.host) return;
    // Whatever was queued for a host that is gone: this one is sent every pending run below.
    this.outbox.clear();
    const host = fork(hostPath(), [], {
      execArgv: [`--max-old-space-size=${this.maxHeapMb}`],
      // JSON: everything sent is JSON-safe, and for small messages it is the faster of the two.
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.host = host;
    this.started++;
    this.stderrTail = '';
    host.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    host.on('message', (m) => this.onHostMessage(host, m as FromHostBatch));
    host.on('exit', (code, signal) => this.onHostExit(host, code, signal));
    // A send to a host that just died: the exit handler deals with its runs.
    host.on('error', () => {});
    host.unref();
    (host.stderr as unknown as { unref?: () => void }).unref?.();
    this.post({ t: 'init', timeoutMs: this.timeoutMs, cacheSize: this.cacheSize, maxHeapMb: this.maxHeapMb });
    if (this.replicaSource) this.post({ t: 'seed', root: this.replicaSource() });
    // Runs sent to a host that was replaced go to this one, in their order.
    for (const run of this.pending.values()) if (this.host === host) this.post(run.message);
  }

  private post(message: ToHost): void {
    if (this.host) this.outbox.post(message);
  }

  private write(batch: ToHostBatch): void {
    const host = this.host;
    if (!host || !host.connected) return;
    try {
      host.send(batch);
    } catch {
      // The channel closed under us: 'exit' follows and resends or fails what is pending.
    }
  }

  private onHostMessage(host: ChildProcess, batch: FromHostBatch): void {
    for (const m of batch) {
      if (host !== this.host) return;
      this.onHostAnswer(host, m);
    }
  }

  private onHostAnswer(host: ChildProcess, m: FromHost): void {
    if (m.t === 'late') {
      this.running = m.id;
      this.arm(m.id);
      return;
    }
    const run = this.pending.get(m.id);
    if (!run) return;
    this.pending.delete(m.id);
    if (this.running === m.id) this.disarm();
    if (this.pending.size === 0) host.channel?.unref();
    if (m.compiled !== undefined) this.compiled = m.compiled;
    if (m.t === 'failed') {
      run.reject(fromHostError(m.error));
      return;
    }
    try {
      run.resolve(m.json === undefined ? undefined : JSON.parse(m.json));
    } catch (err) {
      run.reject(new GlobalObjectError(`${run.message.caller}: its result could not be read back: ${String(err)}`, { cause: err }));
    }
  }

  private arm(id: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const run = this.pending.get(id);
      if (!run || this.running !== id) return;
      this.pending.delete(id);
      this.running = 0;
      this.kill();
      run.reject(new GlobalObjectError(
        `${run.message.caller} ran past the time limit of ${this.timeoutMs} ms and was stopped (its sandbox process was killed); keep it short and synchronous`,
      ));
      if (this.pending.size > 0) this.ensureHost();
    }, sandboxGraceMs(this.timeoutMs));
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = 0;
  }

  private kill(): void {
    const host = this.host;
    this.host = null;
    // Meant for the host being ended; a new one is sent every pending run anyway.
    this.outbox.clear();
    this.disarm();
    if (host && host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
  }

  // The host died on its own (out of memory, killed from outside): the run it was in (the oldest
  // pending one: it runs them in order) fails, the others go to a new host. Each death fails one
  // run, so a store too large to seed cannot make the master respawn forever.
  private onHostExit(host: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (host !== this.host) return;
    this.host = null;
    this.disarm();
    const how = signal ? `signal ${signal}` : `exit code ${String(code)}`;
    const detail = this.stderrTail.split('\n').find((line) => /FATAL|heap|memory/i.test(line))?.trim();
    const [first] = this.pending.keys();
    const victim = first === undefined ? undefined : this.pending.get(first);
    if (!victim) return;
    this.pending.delete(first!);
    victim.reject(new GlobalObjectError(`${victim.message.caller} failed: the sandbox process died (${how}${detail ? `: ${detail}` : ''})`));
    if (this.pending.size > 0) this.ensureHost();
  }

  private failAll(err: GlobalObjectError): void {
    const runs = [...this.pending.values()];
    this.pending.clear();
    for (const run of runs) run.reject(new GlobalObjectError(`${run.message.caller}: ${err.message}`, { cause: err }));
  }
}

// JSON text of a JSON-safe value (checked by the store); undefined stays undefined.
function toJson(value: unknown): string | undefined {
  return value === undefined ? undefined : JSON.stringify(value);
}

// The host's GlobalObjectError, with a host-realm copy of the function's own error as `cause`.
function fromHostError(e: HostError): GlobalObjectError {
  if (!e.cause) return new GlobalObjectError(e.message);
  const error = new (HOST_ERRORS.get(e.cause.name) ?? Error)(e.cause.message);
  if (!HOST_ERRORS.has(e.cause.name)) error.name = e.cause.name;
  if (e.cause.stack) error.stack = e.cause.stack;
  return new GlobalObjectError(e.message, { cause: error });
}
