/**
 * Scenarios b, c, i: requests worker → master, in one run: first `nLatency` one at a time after
 * `warmup` (p50/p99 round trip, µs), then `n` with `window` in flight (requests/s); either phase is
 * skipped when its count is 0. The master answers each with a small reply.
 * Params: nLatency, warmup, n, window, warmupWindow (unmeasured requests before the throughput
 * phase), bytes (request payload size).
 */
import cluster from 'node:cluster';
import { emitResult, makePayload, readAppArgs } from '../lib/app-kit';
import { driveRequests } from '../lib/request-load';
import { forkRaw, rawReady } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const payload = makePayload(params.bytes);

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
      void driveRequests(params, (_i, done) => {
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
      void driveRequests(params, (_i, done) => {
        core.request('M', 'ECHO', payload).then(() => done(true), () => done(false));
      }).then((result) => core.send('M', 'DONE', result));
    },
  });
}

if (mode === 'raw') raw();
else clustercore();
