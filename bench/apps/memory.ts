/**
 * Scenario h: memory under a long run of requests worker → master, of which one in `every` is
 * never answered and times out. Heap and RSS of both processes are taken after a warm-up and
 * after the run (each after the last time-out fired, with a full GC); the growth is reported, with
 * what is still pending in the trace registries (it must be 0).
 * Params: n, warmup, window, timeoutMs, every, bytes.
 */
import cluster from 'node:cluster';
import { emitResult, makePayload, memoryMb, param, readAppArgs } from '../lib/app-kit';
import { runWindow, type StartOp } from '../lib/drivers';
import { forkRaw, rawReady } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const n = param(params, 'n');
const warmup = param(params, 'warmup');
const window = param(params, 'window');
const timeoutMs = param(params, 'timeoutMs');
const every = param(params, 'every');
const s = makePayload(params.bytes).s;

/** Memory of one process, plus its pending registrations. */
interface Snapshot { heap: number; rss: number; pending: number }

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Warm-up, snapshot, run, snapshot. `snapMaster` asks the master for its snapshot; `pending` counts
 * this worker's open requests. The sleeps let the last time-outs fire: that is what is measured.
 */
async function drive(start: StartOp, snapMaster: () => Promise<Snapshot>, pending: () => number): Promise<Record<string, number>> {
  await runWindow(warmup, window, start);
  await sleep(timeoutMs + 100);
  const m0 = await snapMaster();
  const w0 = memoryMb();
  const run = await runWindow(n, window, start);
  await sleep(timeoutMs + 100);
  const m1 = await snapMaster();
  const w1 = { ...memoryMb(), pending: pending() };
  return {
    opsPerSec: run.opsPerSec,
    timedOut: run.failed,
    workerHeapGrowth: w1.heap - w0.heap,
    workerRssGrowth: w1.rss - w0.rss,
    masterHeapGrowth: m1.heap - m0.heap,
    masterRssGrowth: m1.rss - m0.rss,
    workerRss: w1.rss,
    masterRss: m1.rss,
    pendingAtEnd: w1.pending + m1.pending,
  };
}

interface RawMsg { id?: number; re?: number; i?: number; go?: boolean; snap?: boolean; snapRes?: Snapshot; done?: Record<string, number> }

function raw(): void {
  if (cluster.isPrimary) {
    void forkRaw(1).then(([w]) => {
      w.on('message', (m: RawMsg) => {
        if (m.snap) w.send({ snapRes: { ...memoryMb(), pending: 0 } });
        else if (m.id !== undefined) {
          if (m.i! % every !== 0) w.send({ re: m.id, payload: 1 });
        } else if (m.done) emitResult(m.done);
      });
      w.send({ go: true });
    });
    return;
  }
  // Hand-written id matching with a time-out per request.
  const pending = new Map<number, { done: (ok: boolean) => void; timer: NodeJS.Timeout }>();
  let seq = 0;
  let onSnap: ((s: Snapshot) => void) | null = null;
  process.on('message', (m: RawMsg) => {
    if (m.re !== undefined) {
      const p = pending.get(m.re);
      if (!p) return;
      pending.delete(m.re);
      clearTimeout(p.timer);
      p.done(true);
    } else if (m.snapRes) {
      onSnap?.(m.snapRes);
    } else if (m.go) {
      const start: StartOp = (i, done) => {
        const id = ++seq;
        const timer = setTimeout(() => {
          pending.delete(id);
          done(false);
        }, timeoutMs);
        pending.set(id, { done, timer });
        process.send!({ id, i, action: 'ECHO', payload: { i, s } });
      };
      const snapMaster = () => new Promise<Snapshot>((resolve) => {
        onSnap = resolve;
        process.send!({ snap: true });
      });
      void drive(start, snapMaster, () => pending.size).then((result) => process.send!({ done: result }));
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
    onMaster(core, _from, data) {
      if (data.action === 'ECHO') {
        if ((data.payload as { i: number }).i % every !== 0) data.getTraceDetail().resTrace({ action: 'ECHO', payload: 1 });
      } else if (data.action === 'SNAP') {
        data.getTraceDetail().resTrace({ action: 'SNAP', payload: { ...memoryMb(), pending: core.engine.registry.size } });
      } else if (data.action === 'DONE') emitResult(data.payload as Record<string, number>);
    },
    onWorker(core, _from, data) {
      if (data.action !== 'GO') return;
      const start: StartOp = (i, done) => {
        core.request('M', 'ECHO', { i, s }, { timeout: timeoutMs }).then(() => done(true), () => done(false));
      };
      const snapMaster = () => core.request<Snapshot>('M', 'SNAP');
      void drive(start, snapMaster, () => core.engine.registry.size).then((result) => core.send('M', 'DONE', result));
    },
  });
}

if (mode === 'raw') raw();
else clustercore();
