/**
 * Body of the watchdog thread (see watchdog.ts). Runs in a worker thread of every child: it uses
 * only synchronous calls and its own event loop, never the main thread's.
 */
import fs from 'node:fs';
import { workerData } from 'node:worker_threads';
import type { Session } from 'node:inspector';

interface Data {
  masterPid: number;
  beatMs: number;
  stallMs: number;
  counter: Int32Array;
  processId: string;
  reportFile: string;
}

/** How often the thread looks, ms. */
const POLL_MS = 100;
/** Poll of the parent pid, ms. */
const ORPHAN_POLL_MS = 200;
/** Time an orphan with a live loop gets to exit by itself (its 'disconnect' path), ms. */
const ORPHAN_GRACE_MS = 500;
/** Time the main thread gets to pause for the stack capture (it may be in native code), ms. */
const CAPTURE_MS = 1000;
/** Frames recorded. */
const FRAMES = 8;

const data = workerData as Data;
let last = Atomics.load(data.counter, 0);
let lastMoved = Date.now();
let orphanSince = 0;
let lastParentCheck = 0;
let reported = false;
let capturing = false;

function tick(): void {
  const now = Date.now();
  const value = Atomics.load(data.counter, 0);
  const moved = value !== last;
  if (moved) {
    last = value;
    lastMoved = now;
    if (reported) {
      reported = false;
      try { fs.unlinkSync(data.reportFile); } catch { /* the master took it */ }
    }
  }
  if (now - lastParentCheck >= ORPHAN_POLL_MS) {
    lastParentCheck = now;
    if (process.ppid !== data.masterPid) {
      orphanSince ||= now;
      const stuck = now - lastMoved > Math.max(2 * data.beatMs, ORPHAN_POLL_MS);
      if (stuck || now - orphanSince >= ORPHAN_GRACE_MS) {
        writeLine(`[${data.processId}] the master (pid ${data.masterPid}) is gone${stuck ? ' and the event loop is stuck' : ''}: killing this process`);
        process.kill(process.pid, 'SIGKILL');
      }
    }
  }
  if (data.stallMs > 0 && !reported && !capturing && now - lastMoved >= data.stallMs) capture(now - lastMoved);
}

/** Pauses the main thread, reads its top frames, resumes it, and writes the stall report. */
function capture(silentMs: number): void {
  capturing = true;
  // Loaded only now: a child that never stalls never pays for the inspector.
  const inspector = require('node:inspector') as typeof import('node:inspector');
  const session: Session = new inspector.Session();
  let done = false;
  const finish = (frames: string[]) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    try { session.disconnect(); } catch { /* already gone */ }
    capturing = false;
    // Still stuck (or the report is still worth having): leave it for the master.
    try {
      const tmp = `${data.reportFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ processId: data.processId, silentMs, frames }));
      fs.renameSync(tmp, data.reportFile);
      reported = true;
    } catch (err) {
      writeLine(`[${data.processId}] watchdog: could not write the stall report: ${(err as Error).message}`);
    }
  };
  const timer = setTimeout(() => finish(['(not in JavaScript: native code or a blocking call)']), CAPTURE_MS);
  // Call frames name their script by id; Debugger.enable reports every script's url first.
  const urls = new Map<string, string>();
  try {
    session.connectToMainThread();
    session.on('Debugger.scriptParsed', (message) => { urls.set(message.params.scriptId, message.params.url); });
    session.on('Debugger.paused', (message) => {
      const frames = (message.params.callFrames as { functionName: string; url?: string; location: { scriptId: string; lineNumber: number; columnNumber: number } }[])
        .slice(0, FRAMES)
        .map((f) => {
          const url = (f.url || urls.get(f.location.scriptId) || '?').replace(/^file:\/\//, '');
          return `${f.functionName || '(anonymous)'} (${url}:${f.location.lineNumber + 1}:${f.location.columnNumber + 1})`;
        });
      session.post('Debugger.resume', () => finish(frames));
    });
    session.post('Debugger.enable', () => session.post('Debugger.pause'));
  } catch (err) {
    finish([`(stack not available: ${(err as Error).message})`]);
  }
}

/** Writes one line straight to fd 2: the thread's process.stderr would wait for the main loop. */
function writeLine(line: string): void {
  try { fs.writeSync(2, `${line}\n`); } catch { /* stderr closed */ }
}

setInterval(tick, POLL_MS);
