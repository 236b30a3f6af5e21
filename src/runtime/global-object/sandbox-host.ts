/**
 * Entry point of the sandbox process (a child of the master, started by sandbox.ts). It forwards
 * the master's messages to a thread (sandbox-thread.ts) that keeps a replica of the global object
 * and runs query/update functions on copies of it, in messages' order, back to back:
 *
 *   master ──seed / write / run──► host (clock, replay log) ──same, in order──► thread (replica, realm)
 *
 * - Batches: each message of the master is a batch; what it holds for the thread goes on as one
 *   message, and the thread's answers (one message per batch) go back as one.
 * - Time limit: while runs are outstanding the host looks every quarter of `timeoutMs` at which run
 *   the thread is in and since when (shared memory, RunWatch), so each run has its own limit
 *   inside a batch. It terminates the thread when a run is `timeoutMs` late, unless the process
 *   used under half of that in CPU (starved on a loaded machine: up to STARVED_RUN_RETRIES more
 *   periods), and the master is told (`late`). A run stuck in a long built-in call ignores
 *   termination; the master, hearing nothing more, kills this whole process.
 * - A stopped thread is replaced without losing order: the host keeps `base` (the replica as it
 *   was before the oldest unfinished run) and `log` (what the thread was sent after it); the new
 *   thread gets `base`, then `log` without the stopped run. The runs of its batch that finished
 *   before it were not answered yet (a batch answers at its end): they run again in the new
 *   thread, invisibly, so only the stopped run fails.
 * - Memory: the thread has a V8 heap limit (`maxHeapMb`, so does this process); typed arrays are
 *   capped in the realm. A thread that runs out is replaced and its run fails.
 * - Nothing here is part of the master: when the master is gone this process ends.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MemoryGlobalObjectStore } from './global-object-store';
import type { FromHost, FromHostBatch, ToHost, ToHostBatch } from './sandbox-protocol';
import { STARVED_RUN_RETRIES } from './sandbox-runner';
import { RunWatch, mergeJson, replay, type ThreadReply } from './sandbox-thread';

type Run = Extract<ToHost, { t: 'run' }>;
type Logged = Exclude<ToHost, { t: 'init' | 'seed' }>;

let settings = { timeoutMs: 100, cacheSize: 256, maxHeapMb: 512 };
let base: MemoryGlobalObjectStore | null = null;
const log: Logged[] = [];
let thread: Worker | null = null;
let watch: RunWatch | null = null;
let timer: NodeJS.Timeout | null = null;
// The timed stretch of a run the clock has seen, with the CPU mark its starvation check uses.
let watched: { id: number; since: number; extensions: number; cpu: NodeJS.CpuUsage; at: number } | null = null;
// The run whose lateness is terminating the thread, and what it fails with once it has stopped.
let stopping: { id: number; message: string } | null = null;

function send(batch: FromHostBatch): void {
  process.send!(batch);
}

function findRun(id: number): Run | undefined {
  return id === 0 ? undefined : log.find((x): x is Run => x.t === 'run' && x.id === id);
}

function startThread(): Worker {
  watch = new RunWatch();
  const worker = new Worker(path.join(__dirname, 'sandbox-thread.js'), {
    workerData: { ...settings, shared: watch.shared },
    resourceLimits: { maxOldGenerationSizeMb: settings.maxHeapMb, maxYoungGenerationSizeMb: 32 },
  });
  worker.on('message', (m: ThreadReply[]) => onThreadReply(worker, m));
  worker.on('error', (err) => onThreadGone(worker, `the sandbox thread failed: ${err.message}`));
  worker.on('exit', () => onThreadGone(worker, 'the sandbox thread ended'));
  const first: ToHostBatch = base ? [{ t: 'seed', root: base.get(undefined) as Record<string, unknown> }, ...log] : [...log];
  if (first.length > 0) worker.postMessage(first);
  return worker;
}

function onMasterBatch(batch: ToHostBatch): void {
  const forward: ToHostBatch = [];
  for (const m of batch) {
    if (m.t === 'init') {
      settings = { timeoutMs: m.timeoutMs, cacheSize: m.cacheSize, maxHeapMb: m.maxHeapMb };
      continue;
    }
    // A new thread gets `base` and the log as they are before this message, then the message.
    thread ??= startThread();
    if (m.t === 'seed') {
      base = new MemoryGlobalObjectStore({ initial: m.root, adopt: true });
      // Runs already sent stay in the log and are answered; only writes before them were replaced.
    } else if (m.t === 'write' && log.length === 0) {
      if (base) replay(base, m.write);
    } else {
      log.push(m as Logged);
    }
    forward.push(m);
  }
  if (thread && forward.length > 0) thread.postMessage(forward);
  watchRuns();
}

// Run `id` answered: move `base` past it and the writes after it; returns the answer to pass on.
function settle(id: number, answer: FromHost, mergedJson?: string): FromHost | null {
  const i = log.findIndex((m) => m.t === 'run' && m.id === id);
  if (i < 0) return null;
  log.splice(i, 1);
  if (mergedJson !== undefined && base) {
    try {
      mergeJson(base, mergedJson);
    } catch {
      // Same checks as the thread's, which passed; cannot happen.
    }
  }
  while (log.length > 0 && log[0].t === 'write') {
    const w = log.shift() as Extract<ToHost, { t: 'write' }>;
    if (base) replay(base, w.write);
  }
  return answer;
}

function onThreadReply(worker: Worker, replies: ThreadReply[]): void {
  if (worker !== thread) return;
  const answers: FromHostBatch = [];
  for (const m of replies) {
    const run = findRun(m.id);
    const answer = settle(m.id, m, m.t === 'done' && run?.merge ? m.json : undefined);
    if (answer) answers.push(answer);
  }
  if (answers.length > 0) send(answers);
}

// The clock runs while runs are outstanding: a look every quarter of the limit.
function watchRuns(): void {
  if (timer || !thread || !log.some((m) => m.t === 'run')) return;
  timer = setTimeout(onTick, Math.max(1, settings.timeoutMs / 4));
}

function onTick(): void {
  timer = null;
  if (!thread || !watch || stopping) return;
  const timed = watch.timed();
  if (!timed) {
    watched = null;
  } else {
    const now = Date.now();
    if (watched?.id !== timed.id || watched.since !== timed.since) {
      watched = { ...timed, extensions: 0, cpu: process.cpuUsage(), at: now };
    }
    if (now >= watched.since + settings.timeoutMs * (1 + watched.extensions)) {
      // Starved (the process used under half of the time since the run was seen, in CPU): another period.
      const cpu = process.cpuUsage(watched.cpu);
      if (watched.extensions < STARVED_RUN_RETRIES && (cpu.user + cpu.system) / 1000 <= (now - watched.at) / 2) {
        watched.extensions++;
        watched.cpu = process.cpuUsage();
        watched.at = now;
      } else {
        late(watched.id);
        return;
      }
    }
  }
  watchRuns();
}

// Reported when the thread has stopped: one stuck in a built-in ignores termination, and the
// master, told it is late and not hearing back, kills this process (nothing runs on behind its back).
function late(id: number): void {
  const run = findRun(id);
  if (!run || !thread) return;
  send([{ t: 'late', id }]);
  stopping = { id, message: `${run.caller} ran past the time limit of ${settings.timeoutMs} ms and was stopped; keep it short and synchronous` };
  void thread.terminate();
}

// The thread ended (terminated when late, or out of memory): its current run fails, the rest is
// sent again to a new thread. A late run that answered before the thread stopped fails nothing.
function onThreadGone(worker: Worker, reason: string): void {
  if (worker !== thread) return;
  thread = null;
  if (timer) clearTimeout(timer);
  timer = null;
  watched = null;
  const run = stopping ? findRun(stopping.id) : (findRun(watch?.current() ?? 0) ?? log.find((x): x is Run => x.t === 'run'));
  const message = stopping?.message ?? (run ? `${run.caller} failed: ${reason}` : reason);
  stopping = null;
  const answer = run ? settle(run.id, { t: 'failed', id: run.id, error: { message } }) : null;
  if (answer) send([answer]);
  if (log.length > 0) {
    thread = startThread();
    watchRuns();
  }
}

if (process.send) {
  process.on('message', (m) => onMasterBatch(m as ToHostBatch));
  // When the master is gone this process follows at once (no orphans, R-SUP-7). Not exit(): it
  // would wait for a thread stuck in a built-in call.
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  // Signals to the group (Ctrl-C in a terminal) are the master's to handle; the master ends us.
  process.on('SIGINT', () => {});
}
