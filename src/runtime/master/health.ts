/**
 * Health checks of the master's children (R-SUP-8), on one tick every `heartbeatInterval`:
 * - every child gets a HEARTBEAT and answers from its main event loop with its memory (RSS);
 *   a child silent for `heartbeatTimeout` (a not-ready one: for startupTimeout, when longer) is
 *   reported with the frames where its loop is stuck (left by its watchdog thread, see
 *   child/watchdog.ts), killed, and replaced through the normal refork path;
 * - a live child above `maxMemory` is replaced gracefully (new one first);
 * - then the 'tick' event lets the supervisor compare the live workers with the expected ones.
 */
import { createEnvelope } from '../../protocol/envelope';
import { InternalActions } from '../../protocol/macros';
import { MASTER_ID } from '../../protocol/process-id';
import { takeStallReport } from '../stall-report';
import type { ChildEntry } from './process-table';
import type { MasterEngine } from './master-engine';

/** After a failed replacement above maxMemory, the next try waits this long, ms. */
const MEMORY_RETRY_MS = 10_000;

/** The heartbeat, the memory limit and the supervisor's tick. */
export class Health {
  private timer: NodeJS.Timeout | null = null;
  private readonly memoryBusy = new Map<string, number>();

  constructor(private readonly master: MasterEngine) {
    master.handleInternal(InternalActions.HEARTBEAT_ACK, (env) => {
      const entry = master.arrivingFrom;
      if (!entry) return;
      entry.lastBeat = Date.now();
      const rss = (env.data.payload as { rss?: unknown } | undefined)?.rss;
      if (typeof rss === 'number' && Number.isFinite(rss)) entry.rss = rss;
    });
  }

  /** Starts the tick (it never keeps the master alive by itself). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.master.health.heartbeatInterval);
    this.timer.unref();
  }

  /** Stops the tick. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round of checks. */
  tick(): void {
    const master = this.master;
    if (master.isStopping) return;
    const { heartbeatTimeout, maxMemory } = master.health;
    const ping = heartbeatTimeout > 0 || maxMemory !== null;
    const now = Date.now();
    for (const e of master.table.all()) {
      // Children already being ended are left to that (a retiring one has its own deadline).
      if (e.gone || e.exitReason !== undefined) continue;
      if (heartbeatTimeout > 0) {
        const limit = e.ready ? heartbeatTimeout : Math.max(heartbeatTimeout, master.options.startupTimeout);
        if (now - e.lastBeat > limit) {
          this.unresponsive(e, now - e.lastBeat);
          continue;
        }
      }
      if (ping) e.channel.write(createEnvelope(MASTER_ID, e.id, { action: InternalActions.HEARTBEAT }));
      if (maxMemory !== null && e.state === 'live' && e.ready && e.rss > maxMemory * 2 ** 20) this.overMemory(e, maxMemory);
    }
    master.events.emit('tick');
  }

  private unresponsive(e: ChildEntry, silentMs: number): void {
    const { logger } = this.master.options;
    const frames = takeStallReport(e.pid);
    if (frames) e.stack = frames;
    const where = frames && frames.length > 0
      ? `its event loop is stuck at ${frames.join(' < ')}`
      : 'no stack was recorded (its watchdog did not answer either)';
    const next = e.state === 'live' ? ' and replacing it' : '';
    logger.error(`${e.id} (pid ${e.pid}) missed its heartbeat for ${silentMs} ms (heartbeatTimeout ${this.master.health.heartbeatTimeout} ms): ${where}; killing it (SIGKILL)${next}`);
    void this.master.end(e, 'unresponsive');
  }

  private overMemory(e: ChildEntry, maxMemory: number): void {
    const retryAt = this.memoryBusy.get(e.id);
    if (retryAt !== undefined && (retryAt === 0 || Date.now() < retryAt)) return;
    const { logger } = this.master.options;
    this.memoryBusy.set(e.id, 0);
    logger.warn(`${e.id} (pid ${e.pid}) uses ${Math.round(e.rss / 2 ** 20)} MB of memory (RSS), above maxMemory (${maxMemory} MB): replacing it gracefully`);
    this.master.replace(e.id, 'memory').then(
      () => this.memoryBusy.delete(e.id),
      (err: Error) => {
        logger.error(`replacing ${e.id} above maxMemory failed: ${err.message}; trying again in ${MEMORY_RETRY_MS} ms at the earliest`);
        this.memoryBusy.set(e.id, Date.now() + MEMORY_RETRY_MS);
      },
    );
  }
}
