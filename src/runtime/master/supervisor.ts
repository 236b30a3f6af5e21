/**
 * Supervision of a bootstrapped group (R-SUP-2, R-SUP-3, R-SUP-5), driven by the master engine's
 * 'ready' and 'exit' events:
 * - a worker that exits while the group is not shutting down is restarted with the same id (an
 *   automatic reboot()), when `refork` is on;
 * - the alone process is always restarted;
 * - restarts of a process that keeps failing back off exponentially (0, base, 2·base, … capped);
 *   a process that stayed up `stableMs` after it was ready starts again from an immediate restart;
 * - when no worker is alive (ready), the master waits `limit` seconds for one, then shuts the
 *   group down with exit code 1 and logs why;
 * - a process that retired (reload, maxMemory) or a replacement that did not start is never
 *   re-forked: its id lives on in another process (R-SUP-6);
 * - self-check (R-SUP-8), on every health tick: a worker id that was forked, has no live process
 *   and no restart pending (a failed fork, a lost exit event) is started again, with the same back-off.
 */
import { ALONE_ID } from '../../protocol/process-id';
import type { ExitDetail } from '../hooks';
import type { MasterEngine } from './master-engine';
import type { ChildEntry } from './process-table';

/** Back-off of restarts. */
export interface Backoff {
  /** Delay of the second restart in a row, ms (the first is immediate). */
  baseMs: number;
  /** Longest delay between restarts, ms. */
  maxMs: number;
  /** A process up this long after it was ready counts as healthy: its failure count starts over. */
  stableMs: number;
}

/** The defaults: 0, 0.5 s, 1 s, 2 s, 4 s, 8 s, 10 s, 10 s… */
export const DEFAULT_BACKOFF: Readonly<Backoff> = Object.freeze({ baseMs: 500, maxMs: 10_000, stableMs: 10_000 });

/** Settings of the supervisor (from the bootstrap options). */
export interface SupervisorOptions {
  /** Restart workers that exit unexpectedly. */
  refork: boolean;
  /** Seconds the master waits for a live worker before it shuts the group down. */
  limit: number;
  /** Restart back-off. Default DEFAULT_BACKOFF. */
  backoff?: Backoff;
}

/** Delay before the `failures`-th restart in a row (1 = first): 0, then base·2^(n-2), capped. */
export function restartDelay(failures: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  if (failures <= 1) return 0;
  return Math.min(backoff.baseMs * 2 ** (failures - 2), backoff.maxMs);
}

/** Restarts exited children of a master and enforces the `limit` rule. */
export class Supervisor {
  private readonly backoff: Backoff;
  private readonly readyAt = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private limitTimer: NodeJS.Timeout | null = null;
  /** True once the group had an alone process: it is then always expected. */
  private aloneExpected = false;

  constructor(
    private readonly master: MasterEngine,
    private readonly options: SupervisorOptions,
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Starts listening to the master's events. */
  start(): void {
    this.master.events.on('ready', this.onReady);
    this.master.events.on('exit', this.onExit);
    this.master.events.on('tick', this.selfCheck);
  }

  /** Stops listening and cancels pending restarts. */
  stop(): void {
    this.master.events.off('ready', this.onReady);
    this.master.events.off('exit', this.onExit);
    this.master.events.off('tick', this.selfCheck);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.clearLimit();
  }

  private readonly onReady = (id: string): void => {
    if (id === ALONE_ID) this.aloneExpected = true;
    this.readyAt.set(id, Date.now());
    if (id !== ALONE_ID) this.clearLimit();
  };

  private readonly onExit = (id: string, detail: ExitDetail, kind: 'worker' | 'alone', entry?: ChildEntry): void => {
    const { logger } = this.master.options;
    if (detail.reason === 'reload' || detail.reason === 'memory' || (entry !== undefined && entry.state !== 'live')) {
      logger.info(`${id} (pid ${entry?.pid}) exited (code ${detail.code}, signal ${detail.signal}, reason ${detail.reason}); not restarted: ${id} lives on in another process`);
      return;
    }
    if (kind === 'alone') this.aloneExpected = true;
    const readyAt = this.readyAt.get(id);
    this.readyAt.delete(id);
    if (this.master.isStopping) return;
    const healthy = readyAt !== undefined && Date.now() - readyAt >= this.backoff.stableMs;
    const failures = healthy ? 1 : (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, failures);
    const how = `exited (code ${detail.code}, signal ${detail.signal}, reason ${detail.reason})`;
    if (kind === 'alone' || this.options.refork) {
      const delay = restartDelay(failures, this.backoff);
      logger.warn(`${id} ${how}; restarting it ${delay === 0 ? 'now' : `in ${delay} ms (failure ${failures} in a row)`}`);
      this.schedule(id, kind, delay);
    } else {
      logger.warn(`${id} ${how}; not replaced (refork is off)`);
    }
    if (kind === 'worker') this.checkWorkersAlive();
  };

  private schedule(id: string, kind: 'worker' | 'alone', delay: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.set(id, setTimeout(() => {
      this.timers.delete(id);
      // reboot() from onWorkerProcessDidExit may have been faster; the group may be stopping.
      if (this.master.isStopping || this.master.table.get(id)) return;
      try {
        if (kind === 'alone') this.master.spawnAlone();
        else this.master.spawnWorker(id);
      } catch (err) {
        const failures = (this.failures.get(id) ?? 0) + 1;
        this.failures.set(id, failures);
        this.master.options.logger.error(`restarting ${id} failed:`, err);
        this.schedule(id, kind, restartDelay(failures, this.backoff));
      }
    }, delay));
  }

  /** R-SUP-8: starts the expected processes that have neither a live process nor a pending restart. */
  private readonly selfCheck = (): void => {
    if (this.master.isStopping) return;
    const missing: [string, 'worker' | 'alone'][] = [];
    if (this.options.refork) for (const id of this.master.forkedWorkerIds()) missing.push([id, 'worker']);
    if (this.aloneExpected) missing.push([ALONE_ID, 'alone']);
    for (const [id, kind] of missing) {
      if (this.master.table.get(id) || this.timers.has(id)) continue;
      const failures = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, failures);
      const delay = restartDelay(failures, this.backoff);
      this.master.options.logger.warn(`self-check: ${id} has no live process and no restart pending; starting it ${delay === 0 ? 'now' : `in ${delay} ms`}`);
      this.schedule(id, kind, delay);
    }
  };

  /** R-SUP-3: with no live worker, give the group `limit` seconds to get one back. */
  private checkWorkersAlive(): void {
    if (this.limitTimer || this.anyWorkerReady()) return;
    const { limit } = this.options;
    this.limitTimer = setTimeout(() => {
      this.limitTimer = null;
      if (this.anyWorkerReady() || this.master.isStopping) return;
      this.master.options.logger.error(`no worker has been alive for ${limit} s (option 'limit'): shutting the group down with exit code 1`);
      void this.master.shutdown(1);
    }, Math.min(limit * 1000, 0x7fffffff));
  }

  private anyWorkerReady(): boolean {
    for (const e of this.master.table.values()) if (e.kind === 'worker' && e.ready) return true;
    return false;
  }

  private clearLimit(): void {
    if (this.limitTimer) clearTimeout(this.limitTimer);
    this.limitTimer = null;
  }
}
