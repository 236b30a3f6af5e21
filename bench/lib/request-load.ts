/**
 * The load of the request scenarios (b, c, d, b-cold, i), shared by every app and every mode so
 * each half is driven exactly alike: `nLatency` requests one at a time after `warmup` (p50/p99
 * round trip, µs), then `n` with `window` in flight (requests/s), after `warmupWindow` unmeasured
 * ones; either phase is skipped when its count is 0.
 */
import { param, type AppParams } from './app-kit';
import { runSerial, runWindow, type StartOp } from './drivers';

/** Runs the load with `start`; resolves with the result fields the scenarios read. */
export async function driveRequests(params: AppParams, start: StartOp): Promise<Record<string, number>> {
  const nLatency = param(params, 'nLatency');
  const n = param(params, 'n');
  const out: Record<string, number> = { failed: 0 };
  if (nLatency > 0) {
    const r = await runSerial(nLatency, params.warmup ?? 0, start);
    Object.assign(out, { p50: r.p50, p99: r.p99, failed: r.failed });
  }
  if (n > 0) {
    const window = param(params, 'window');
    // Not measured: lets V8 compile the throughput path of both halves alike.
    if (params.warmupWindow) await runWindow(params.warmupWindow, window, start);
    const r = await runWindow(n, window, start);
    Object.assign(out, { opsPerSec: r.opsPerSec, failed: out.failed + r.failed });
  }
  return out;
}
