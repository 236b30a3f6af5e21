/**
 * The last minutes of each process, for the status page's charts: requests per second and resident
 * memory, one point per sample, kept per process id (a replaced process continues its id's line).
 */
import type { GroupStatus } from '../../protocol/process-status';

/** One sample of one process. */
export interface HistoryPoint {
  /** Epoch ms. */
  t: number;
  /** OS pid at that time. */
  pid: number;
  /** Requests (made + served) per second. */
  rps: number;
  /** Resident memory, bytes. */
  rss: number;
}

/** A bounded series of points per process id. */
export class StatusHistory {
  private readonly series = new Map<string, HistoryPoint[]>();

  constructor(
    /** Points kept per process. */
    private readonly maxPoints: number,
  ) {}

  /** Adds one point per process of `table` that reported counters; forgets ids that left. */
  add(table: GroupStatus): void {
    const live = new Set<string>();
    for (const p of table.processes) {
      live.add(p.id);
      if (!p.counters) continue;
      let points = this.series.get(p.id);
      if (!points) this.series.set(p.id, (points = []));
      points.push({ t: table.at, pid: p.counters.pid, rps: p.counters.requests.perSecond, rss: p.counters.memory.rss });
      if (points.length > this.maxPoints) points.splice(0, points.length - this.maxPoints);
    }
    for (const id of this.series.keys()) if (!live.has(id)) this.series.delete(id);
  }

  /** Every series, by process id. */
  toJSON(): Record<string, HistoryPoint[]> {
    return Object.fromEntries(this.series);
  }
}
