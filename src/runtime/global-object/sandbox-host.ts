/**
 * Entry point of the sandbox process (a child of the master, started by sandbox.ts). It forwards
 * the master's messages to a thread (sandbox-thread.ts) that keeps a replica of the global object
 * and runs query/update functions on copies of it, in messages' order, back to back:
 *
 *   master ──seed / write / run──► host (clock, replay log) ──same, in order──► thread (replica, realm)
 *
 * - Time limit: the host terminates the thread when a run is `timeoutMs` late, unless the process
 *   used under half of that in CPU (starved on a loaded machine: up to STARVED_RUN_RETRIES more
 *   periods), and the master is told (`late`). A run stuck in a long built-in call ignores
 *   termination; the master, hearing nothing more, kills this whole process.
 * - A stopped thread is replaced without losing order: the host keeps `base` (the replica as it
 *   was before the oldest unfinished run) and `log` (what the thread was sent after it); the new
 *   thread gets `base`, then `log` without the stopped run.
 * - Memory: the thread has a V8 heap limit (`maxHeapMb`, so does this process); typed arrays are
 *   capped in the realm. A thread that runs out is replaced and its run fails.
 * - Nothing here is part of the master: when the master is gone this process ends.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { MemoryGlobalObjectStore } from './global-object-store';
import type { FromHost, ToHost } from './sandbox-protocol';
import { STARVED_RUN_RETRIES } from './sandbox-runner';
import { mergeJson, replay, type ThreadReply } from './sandbox-thread';

type Run = Extract<ToHost, { t: 'run' }>;
type Logged = Exclude<ToHost, { t: 'init' | 'seed' }>;

let settings = { timeoutMs: 100, cacheSize: 256, maxHeapMb: 512 };
let base: MemoryGlobalObjectStore | null = null;
const log: Logged[] = [];
let thread: Worker | null = null;
let timer: NodeJS.Timeout | null = null;
let timed: Run | null = null;
let cpuAtStart: NodeJS.CpuUsage | null = null;
let extensions = 0;
// Why the thread is being terminated (its run was late); reported once it has really stopped.
let stopping: string | null = null;

function send(message: FromHost): void {
  process.send!(message);
}

function startThread(): Worker {
  const worker = new Worker(path.join(__dirname, 'sandbox-thread.js'), {
    workerData: settings,
    resourceLimits: { maxOldGenerationSizeMb: settings.maxHeapMb, maxYoungGenerationSizeMb: 32 },
  });
  worker.on('message', (m: ThreadReply) => onThreadReply(worker, m));
  worker.on('error', (err) => onThreadGone(worker, `the sandbox thread failed: ${err.message}`));
  worker.on('exit', () => onThreadGone(worker, 'the sandbox thread ended'));
  if (base) worker.postMessage({ t: 'seed', root: base.get(undefined) as Record<string, unknown> } satisfies ToHost);
  for (const m of log) worker.postMessage(m);
  return worker;
}

function onMasterMessage(m: ToHost): void {
  if (m.t === 'init') {
    settings = { timeoutMs: m.timeoutMs, cacheSize: m.cacheSize, maxHeapMb: m.maxHeapMb };
    return;
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
  thread.postMessage(m);
}

// The oldest unfinished run answered: pass it on and move `base` past it and the writes after it.
function settle(id: number, answer: FromHost, mergedJson?: string): void {
  if (timed?.id === id) disarm();
  const i = log.findIndex((m) => m.t === 'run' && m.id === id);
  if (i < 0) return;
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
  send(answer);
}

function onThreadReply(worker: Worker, m: ThreadReply): void {
  if (worker !== thread) return;
  if (m.t === 'paused') {
    if (timed?.id === m.id) disarm();
    return;
  }
  if (m.t === 'started') {
    const run = log.find((x): x is Run => x.t === 'run' && x.id === m.id);
    if (!run) return;
    timed = run;
    extensions = 0;
    cpuAtStart = process.cpuUsage();
    arm();
    return;
  }
  const run = log.find((x): x is Run => x.t === 'run' && x.id === m.id);
  settle(m.id, m, m.t === 'done' && run?.merge ? m.json : undefined);
}

function arm(): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(onLate, settings.timeoutMs);
}

function disarm(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  timed = null;
}

// The run reached its time limit: starved (little CPU used) gets another period, else it stops.
function onLate(): void {
  timer = null;
  const run = timed;
  if (!run) return;
  const cpu = process.cpuUsage(cpuAtStart ?? undefined);
  if (extensions < STARVED_RUN_RETRIES && (cpu.user + cpu.system) / 1000 < settings.timeoutMs / 2) {
    extensions++;
    cpuAtStart = process.cpuUsage();
    arm();
    return;
  }
  // Reported when the thread has stopped: one stuck in a built-in ignores termination, and the
  // master, told it is late and not hearing back, kills this process (nothing runs on behind its back).
  send({ t: 'late', id: run.id });
  stopping = `${run.caller} ran past the time limit of ${settings.timeoutMs} ms and was stopped; keep it short and synchronous`;
  void thread?.terminate();
}

// The thread ended (terminated when late, or out of memory): its current run fails, the rest is
// sent again to a new thread.
function onThreadGone(worker: Worker, reason: string): void {
  if (worker !== thread) return;
  thread = null;
  const run = timed ?? log.find((x): x is Run => x.t === 'run');
  const message = stopping ?? (run ? `${run.caller} failed: ${reason}` : reason);
  stopping = null;
  disarm();
  if (run) settle(run.id, { t: 'failed', id: run.id, error: { message } });
  if (log.length > 0) thread = startThread();
}

if (process.send) {
  process.on('message', (m) => onMasterMessage(m as ToHost));
  // When the master is gone this process follows at once (no orphans, R-SUP-7). Not exit(): it
  // would wait for a thread stuck in a built-in call.
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  // Signals to the group (Ctrl-C in a terminal) are the master's to handle; the master ends us.
  process.on('SIGINT', () => {});
}
