/**
 * Scenarios b, c, i: requests worker → master, in one run: first `nLatency` one at a time after
 * `warmup` (p50/p99 round trip, µs), then `n` with `window` in flight (requests/s); either phase is
 * skipped when its count is 0. The master answers each with a small reply.
 * Params: nLatency, warmup, n, window, warmupWindow (unmeasured requests before the throughput
 * phase), bytes (request payload size).
 */
import cluster from 'node:cluster';
import { emitResult, makePayload, param, readAppArgs } from '../lib/app-kit';
import { runSerial, runWindow, type StartOp } from '../lib/drivers';
import { forkRaw, rawReady } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const nLatency = param(params, 'nLatency');
const n = param(params, 'n');
const window = param(params, 'window');
const payload = makePayload(params.bytes);

/** Runs the load with `start` and resolves with the result fields. */
async function drive(start: StartOp): Promise<Record<string, number>> {
  const out: Record<string, number> = { failed: 0 };
  if (nLatency > 0) {
    const r = await runSerial(nLatency, params.warmup ?? 0, start);
    Object.assign(out, { p50: r.p50, p99: r.p99, failed: r.failed });
  }
  if (n > 0) {
    // Not measured: lets V8 compile the throughput path of both halves alike.
    if (params.warmupWindow) await runWindow(params.warmupWindow, window, start);
    const r = await runWindow(n, window, start);
    Object.assign(out, { opsPerSec: r.opsPerSec, failed: out.failed + r.failed });
  }
  return out;
}

function raw(): void {
  if (cluster.isPrimary) {
    void forkRaw(1).then(([w]) => {
      w.on('message', (m: { id?: number; done?: Record<string, number> }) => {
        if (m.id !== undefined) w.send({ re: m.id, payload: 1 });
        else if (m.done) emitResult(m.done);
      });
      w.send({ go: true });
    });
    return;
  }
  // Hand-written id matching: the least a request/response over process.send needs.
  const pending = new Map<number, (ok: boolean) => void>();
  let seq = 0;
  process.on('message', (m: { re?: number; go?: boolean }) => {
    if (m.re !== undefined) {
      const done = pending.get(m.re);
      pending.delete(m.re);
      done?.(true);
    } else if (m.go) {
      void drive((_i, done) => {
        const id = ++seq;
        pending.set(id, done);
        process.send!({ id, action: 'ECHO', payload });
      }).then((result) => process.send!({ done: result }));
    }
  });
  rawReady();
}

function clustercore(): void {
  startClusterCore({
    workers: 1,
    ready(core, [w]) {
      void core.send(w, 'GO');
    },
    onMaster(_core, _from, data) {
      if (data.action === 'ECHO') data.getTraceDetail().resTrace({ action: 'ECHO', payload: 1 });
      else if (data.action === 'DONE') emitResult(data.payload as Record<string, number>);
    },
    onWorker(core, _from, data) {
      if (data.action !== 'GO') return;
      void drive((_i, done) => {
        core.request('M', 'ECHO', payload).then(() => done(true), () => done(false));
      }).then((result) => core.send('M', 'DONE', result));
    },
  });
}

if (mode === 'raw') raw();
else clustercore();
