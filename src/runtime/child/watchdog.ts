/**
 * The child's watchdog (R-SUP-7, R-SUP-8): a small worker thread that keeps working when the main
 * event loop does not.
 * - Orphans: it polls the parent pid every ORPHAN_POLL_MS; once the master is gone it lets the
 *   child exit by itself (the 'disconnect' path) and SIGKILLs it if it did not within
 *   ORPHAN_GRACE_MS — at once when the main loop is stuck. A `for (;;) {}` never sees 'disconnect'
 *   (only the event loop watches the IPC channel) and Node has no PR_SET_PDEATHSIG, so a thread is
 *   the one means that needs neither the loop nor a native addon.
 * - Stuck loops: the main thread bumps a shared counter every `beatMs` (and on each heartbeat);
 *   when it has not moved for `stallMs`, the thread pauses the main thread through
 *   `inspector.Session.connectToMainThread()`, reads its top frames, resumes it, and leaves them in
 *   the stall report the master reads when it gives up on the child (see stall-report.ts).
 * Cost, measured (docs/readme/reload-and-health.md): ~10 MB RSS and a few ms of main-thread time
 * per child; the inspector is loaded only when a stall is seen.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { WatchdogSettings } from '../process-role';
import { stallReportPath } from '../stall-report';

/** The main thread's side of the watchdog. */
export class Watchdog {
  private readonly counter = new Int32Array(new SharedArrayBuffer(4));
  private readonly thread: Worker;
  private readonly beat: NodeJS.Timeout;

  constructor(settings: WatchdogSettings, processId: string, logger: Logger) {
    this.thread = new Worker(path.join(__dirname, 'watchdog-thread.js'), {
      workerData: { ...settings, counter: this.counter, processId, reportFile: stallReportPath(process.pid) },
      stdout: false,
      stderr: false,
    });
    // Neither the thread nor the beat keeps the process alive.
    this.thread.unref();
    this.thread.on('error', (err) => logger.warn(`watchdog thread failed (no stuck-loop report, no orphan guard): ${err.message}`));
    this.beat = setInterval(() => this.alive(), settings.beatMs);
    this.beat.unref();
  }

  /** Proves that the main event loop runs. */
  alive(): void {
    Atomics.add(this.counter, 0, 1);
  }
}
