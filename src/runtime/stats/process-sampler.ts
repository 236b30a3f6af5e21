/**
 * One process's view of itself for the status table (R-OBS-1). The counters are kept by the
 * engine, the trace registry and the IPC channels as plain increments; this sampler adds what
 * needs a time base — CPU %, requests per second, recent latency quantiles, event-loop delay —
 * from one unref'd 1 Hz timer, and builds the snapshot only when someone asks.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ProcessSnapshot } from '../../protocol/process-status';
import type { Engine } from '../engine';
import { cumulativeBuckets, quantileMs } from './latency-histogram';

/** How long the master waits for one child's counters, ms (a child asking for the table waits longer). */
export const STATS_TIMEOUT_MS = 2000;

/** Interval of the event-loop delay monitor's native timer, ms. */
const LOOP_RESOLUTION_MS = 20;

/** Seconds over which requests per second are measured. */
const RATE_WINDOW = 5;
/** Seconds over which the table's latency quantiles are taken. */
const LATENCY_WINDOW = 10;

/** Samples of one process; `snapshot()` answers status requests. */
export class ProcessSampler {
  /** Process start, epoch ms. */
  readonly startedAt = Date.now() - process.uptime() * 1000;
  private readonly timer: NodeJS.Timeout;
  private readonly loopDelay: IntervalHistogram | null;
  private lastLoopDelay = { p50: 0, p99: 0, max: 0 };
  private cpuMark = { at: performance.now(), usage: process.cpuUsage() };
  private cpuPercent = 0;
  /** Oldest first: request totals (made + served) a second apart. */
  private readonly requestTotals: { at: number; total: number }[] = [];
  /** Oldest first: copies of the latency buckets a second apart. */
  private readonly latencyCopies: Float64Array[] = [];

  constructor(private readonly engine: Engine) {
    this.loopDelay = startLoopDelay();
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  /** Stops the timer and the event-loop monitor. */
  stop(): void {
    clearInterval(this.timer);
    this.loopDelay?.disable();
  }

  private tick(): void {
    const now = performance.now();
    const usage = process.cpuUsage();
    const elapsedUs = (now - this.cpuMark.at) * 1000;
    const usedUs = usage.user - this.cpuMark.usage.user + usage.system - this.cpuMark.usage.system;
    this.cpuPercent = elapsedUs > 0 ? (usedUs / elapsedUs) * 100 : 0;
    this.cpuMark = { at: now, usage };
    push(this.requestTotals, { at: now, total: this.requestTotal() }, RATE_WINDOW);
    push(this.latencyCopies, this.engine.registry.counters.latency.copyCounts(), LATENCY_WINDOW);
    if (this.loopDelay) {
      const h = this.loopDelay;
      // An idle second has no sample: report 0 rather than NaN.
      // The histogram holds whole timer intervals: less the resolution, what is left is how late the loop was.
      const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
      this.lastLoopDelay = h.count > 0 ? { p50: late(h.percentile(50)), p99: late(h.percentile(99)), max: late(h.max) } : { p50: 0, p99: 0, max: 0 };
      h.reset();
    }
  }

  private requestTotal(): number {
    return this.engine.registry.counters.started + this.engine.stats.served;
  }

  /** This process's counters and gauges now. */
  snapshot(): ProcessSnapshot {
    const now = performance.now();
    const { stats, registry, ipc } = this.engine;
    const c = registry.counters;
    const oldest = this.requestTotals[0];
    // Before the first tick: the average since start (performance.now() counts from process start).
    const base = oldest ?? { at: 0, total: 0 };
    const seconds = (now - base.at) / 1000;
    const perSecond = seconds > 0 ? (this.requestTotal() - base.total) / seconds : 0;
    const since = this.latencyCopies[0];
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    const bytes = this.engine.ipcBytes();
    const buckets = cumulativeBuckets(c.latency.counts);
    return {
      pid: process.pid,
      startedAt: Math.round(this.startedAt),
      uptime: process.uptime(),
      cpu: round(this.cpuPercent, 1),
      cpuSeconds: { user: cpu.user / 1e6, system: cpu.system / 1e6 },
      memory: { rss: mem.rss, heapTotal: mem.heapTotal, heapUsed: mem.heapUsed, external: mem.external },
      eventLoopDelay: { p50: round(this.lastLoopDelay.p50, 3), p99: round(this.lastLoopDelay.p99, 3), max: round(this.lastLoopDelay.max, 3) },
      messages: { in: stats.received + stats.malformed, out: ipc.messagesOut },
      bytes: bytes && { in: bytes.read, out: bytes.written },
      requests: { started: c.started, answered: c.answered, failed: c.failed, timedOut: c.timedOut, served: stats.served, perSecond: round(perSecond, 2) },
      latency: { p50: quantileMs(c.latency.counts, 0.5, since), p99: quantileMs(c.latency.counts, 0.99, since) },
      histogram: { le: buckets.le, counts: buckets.counts, sum: c.latency.sumMs / 1000, count: c.latency.count },
      activeResources: process.getActiveResourcesInfo().length,
      openFds: openFds(),
    };
  }
}

/** Appends `item`, keeping the newest `max`. */
function push<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.shift();
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** A native timer sampling event-loop delay every LOOP_RESOLUTION_MS (no JS runs for it); null where unsupported. */
function startLoopDelay(): IntervalHistogram | null {
  try {
    const h = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    h.enable();
    return h;
  } catch {
    return null;
  }
}

/** Open file descriptors of this process (Linux /proc), else null. */
function openFds(): number | null {
  try {
    // The directory listing itself holds one descriptor while it runs.
    return fs.readdirSync('/proc/self/fd').length - 1;
  } catch {
    return null;
  }
}
