/**
 * Scenarios b, c, i: requests worker → master. window = 1: one at a time, p50/p99 round trip (µs);
 * window > 1: that many in flight, requests/s. The master answers each with a small reply.
 * Params: n, window, warmup (latency only), bytes (request payload size).
 */
import cluster from 'node:cluster';
import { emitResult, makePayload, param, readAppArgs } from '../lib/app-kit';
import { runSerial, runWindow, type StartOp } from '../lib/drivers';
import { forkRaw } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const n = param(params, 'n');
const window = param(params, 'window');
const payload = makePayload(params.bytes);

/** Runs the load with `start` and resolves with the result fields. */
async function drive(start: StartOp): Promise<Record<string, number>> {
  if (window === 1) {
    const r = await runSerial(n, params.warmup ?? 0, start);
    return { p50: r.p50, p99: r.p99, failed: r.failed };
  }
  const r = await runWindow(n, window, start);
  return { opsPerSec: r.opsPerSec, failed: r.failed };
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
