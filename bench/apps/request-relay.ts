/**
 * Scenario d: requests worker → worker through the master (W:2 asks, W:1 answers). First one at a
 * time (p50/p99 µs), then `window` in flight (requests/s).
 * Params: nLatency, warmup, n, window, warmupWindow (unmeasured, before the throughput phase), bytes.
 */
import cluster, { type Worker } from 'node:cluster';
import { emitResult, makePayload, readAppArgs } from '../lib/app-kit';
import { driveRequests } from '../lib/request-load';
import { forkRaw, rawReady, rawWorkerId } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const payload = makePayload(params.bytes);

interface RawMsg { to?: number; from?: number; id?: number; re?: number; go?: boolean; done?: Record<string, number> }

function raw(): void {
  if (cluster.isPrimary) {
    void forkRaw(2).then((workers: Worker[]) => {
      // Hand-written relay: a message naming another worker is forwarded as it is.
      for (const w of workers) {
        w.on('message', (m: RawMsg) => {
          if (m.to !== undefined) workers[m.to - 1].send(m);
          else if (m.done) emitResult(m.done);
        });
      }
      workers[1].send({ go: true });
    });
    return;
  }
  const me = rawWorkerId();
  const pending = new Map<number, (ok: boolean) => void>();
  let seq = 0;
  process.on('message', (m: RawMsg) => {
    if (m.re !== undefined) {
      const done = pending.get(m.re);
      pending.delete(m.re);
      done?.(true);
    } else if (m.id !== undefined) {
      process.send!({ to: m.from, re: m.id, payload: 1 });
    } else if (m.go) {
      void driveRequests(params, (_i, done) => {
        const id = ++seq;
        pending.set(id, done);
        process.send!({ to: 1, from: me, id, action: 'ECHO', payload });
      }).then((result) => process.send!({ done: result }));
    }
  });
  rawReady();
}

function clustercore(): void {
  startClusterCore({
    workers: 2,
    ready(core) {
      void core.send('W:2', 'GO');
    },
    onMaster(_core, _from, data) {
      if (data.action === 'DONE') emitResult(data.payload as Record<string, number>);
    },
    onWorker(core, _from, data) {
      if (data.action === 'ECHO') {
        data.getTraceDetail().resTrace({ action: 'ECHO', payload: 1 });
      } else if (data.action === 'GO') {
        void driveRequests(params, (_i, done) => {
          core.request('W:1', 'ECHO', payload).then(() => done(true), () => done(false));
        }).then((result) => core.send('M', 'DONE', result));
      }
    },
  });
}

if (mode === 'raw') raw();
else clustercore();
