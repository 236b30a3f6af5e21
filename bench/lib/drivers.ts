/**
 * The load drivers, shared by the raw and the clustercore halves so both are driven exactly alike:
 * one operation at a time (latency), or a fixed number in flight (throughput). An operation is
 * started with `start(i, done)` and calls `done(ok)` once, whatever its API (callback or promise).
 */
import { nowUs } from './app-kit';
import { percentile } from './stats';

/** Starts operation `i`; calls `done(ok)` when it finished. */
export type StartOp = (i: number, done: (ok: boolean) => void) => void;

/** Result of a throughput run. */
export interface ThroughputResult {
  /** Operations per second. */
  opsPerSec: number;
  /** Operations that failed (timed out, rejected). */
  failed: number;
  /** Wall time, ms. */
  ms: number;
}

/** Runs `total` operations keeping `window` in flight; resolves when the last one finished. */
export function runWindow(total: number, window: number, start: StartOp): Promise<ThroughputResult> {
  return new Promise((resolve) => {
    const t0 = nowUs();
    let started = 0;
    let finished = 0;
    let failed = 0;
    const done = (ok: boolean): void => {
      finished++;
      if (!ok) failed++;
      if (started < total) start(started++, done);
      else if (finished === total) {
        const ms = (nowUs() - t0) / 1000;
        resolve({ opsPerSec: (total / ms) * 1000, failed, ms });
      }
    };
    const first = Math.min(window, total);
    for (let i = 0; i < first; i++) start(started++, done);
  });
}

/** Result of a latency run. */
export interface LatencyResult {
  /** Median round trip, µs. */
  p50: number;
  /** 99th percentile round trip, µs. */
  p99: number;
  /** Operations that failed. */
  failed: number;
}

/** Runs `warmup` then `total` operations one at a time; percentiles of the measured ones. */
export function runSerial(total: number, warmup: number, start: StartOp): Promise<LatencyResult> {
  return new Promise((resolve) => {
    const samples: number[] = [];
    let i = 0;
    let failed = 0;
    let t0 = 0;
    const next = (): void => {
      t0 = nowUs();
      start(i, done);
    };
    const done = (ok: boolean): void => {
      const dt = nowUs() - t0;
      if (!ok) failed++;
      if (i >= warmup) samples.push(dt);
      i++;
      // setImmediate, not a direct call: each round trip starts from an idle loop, as a real
      // request would, and the stack never grows.
      if (i < warmup + total) setImmediate(next);
      else resolve({ p50: percentile(samples, 50), p99: percentile(samples, 99), failed });
    };
    next();
  });
}
