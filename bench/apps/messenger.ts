/**
 * Scenario e: map and broadcast over `workers` workers, called from W:1 (the sender is one of the
 * workers it reaches, as in think-cluster). map: `window` in flight, maps/s measured by W:1.
 * broadcast: W:1 broadcasts `n` messages as fast as it can; every worker counts them; the master
 * reports broadcasts/s once every worker received all of them.
 * Three implementations: a hand-rolled raw relay, think-cluster's messenger, clustercore.
 * Params: workers, op (1 = map, 2 = broadcast), n, window, bytes.
 */
import cluster, { type Worker } from 'node:cluster';
import { emitResult, makePayload, nowUs, param, readAppArgs } from '../lib/app-kit';
import { runWindow, type StartOp } from '../lib/drivers';
import { forkRaw, rawWorkerId } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const workers = param(params, 'workers');
const isMap = param(params, 'op') === 1;
const n = param(params, 'n');
const window = param(params, 'window');
const payload = makePayload(params.bytes);

/** W:1's part: maps with `window` in flight, or `n` broadcasts; resolves with the map result. */
async function drive(map: StartOp, broadcast: () => void | Promise<void>): Promise<Record<string, number> | null> {
  if (isMap) {
    const r = await runWindow(n, window, map);
    return { opsPerSec: r.opsPerSec, failed: r.failed };
  }
  for (let i = 0; i < n; i++) {
    const wait = broadcast();
    if (wait) await wait;
  }
  return null;
}

/** Master's part for broadcasts: reports once every worker said it received all of them. */
function broadcastDone(): () => void {
  let done = 0;
  const t0 = nowUs();
  return () => {
    if (++done === workers) emitResult({ opsPerSec: (n / (nowUs() - t0)) * 1e6 });
  };
}

interface RawMsg {
  go?: boolean; done?: Record<string, number>; bcDone?: boolean;
  map?: number; run?: number; mapRes?: number; mapDone?: number; k?: number; data?: unknown; results?: unknown[];
  bc?: unknown; bcMsg?: unknown;
}

/** Master side shared by raw and think-cluster: GO to W:1, DONE / bcDone to the result. */
function startMaster(onMessage?: (w: Worker, all: Worker[], m: RawMsg) => void): void {
  void forkRaw(workers).then((all) => {
    let onBcDone: (() => void) | null = null;
    for (const w of all) {
      w.on('message', (m: RawMsg) => {
        if (m.done) emitResult(m.done);
        else if (m.bcDone) onBcDone!();
        else onMessage?.(w, all, m);
      });
    }
    if (!isMap) onBcDone = broadcastDone();
    all[0].send({ go: true });
  });
}

function raw(): void {
  if (cluster.isPrimary) {
    // Hand-rolled map: fan the request out, collect one answer per worker, answer the caller.
    const maps = new Map<number, { caller: Worker; left: number; results: unknown[] }>();
    startMaster((w, all, m) => {
      if (m.map !== undefined) {
        maps.set(m.map, { caller: w, left: all.length, results: new Array(all.length) });
        all.forEach((x, k) => x.send({ run: m.map, k, data: m.data }));
      } else if (m.mapRes !== undefined) {
        const e = maps.get(m.mapRes)!;
        e.results[m.k!] = m.data;
        if (--e.left === 0) {
          maps.delete(m.mapRes);
          e.caller.send({ mapDone: m.mapRes, results: e.results });
        }
      } else if (m.bc !== undefined) {
        for (const x of all) x.send({ bcMsg: m.bc });
      }
    });
    return;
  }
  const pending = new Map<number, (ok: boolean) => void>();
  let seq = 0;
  let received = 0;
  process.on('message', (m: RawMsg) => {
    if (m.run !== undefined) process.send!({ mapRes: m.run, k: m.k, data: 1 });
    else if (m.mapDone !== undefined) {
      const done = pending.get(m.mapDone);
      pending.delete(m.mapDone);
      done?.(true);
    } else if (m.bcMsg !== undefined) {
      if (++received === n) process.send!({ bcDone: true });
    } else if (m.go && rawWorkerId() === 1) {
      void drive((_i, done) => {
        const id = ++seq;
        pending.set(id, done);
        process.send!({ map: id, data: payload });
      }, () => { process.send!({ bc: payload }); }).then((r) => r && process.send!({ done: r }));
    }
  });
}

/** think-cluster's messenger (a devDependency of the bench only). */
interface ThinkMessenger {
  on(action: string, fn: (data: unknown) => unknown): void;
  map(action: string, data: unknown): Promise<unknown[]>;
  broadcast(action: string, data: unknown): void;
}

function thinkCluster(): void {
  // Loaded in every process: in the master it installs think-cluster's relay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { messenger } = require('think-cluster') as { messenger: ThinkMessenger };
  if (cluster.isPrimary) {
    startMaster();
    return;
  }
  let received = 0;
  messenger.on('MAPACT', () => 1);
  messenger.on('BC', () => {
    if (++received === n) process.send!({ bcDone: true });
  });
  process.on('message', (m: RawMsg) => {
    if (!m?.go || rawWorkerId() !== 1) return;
    void drive((_i, done) => {
      messenger.map('MAPACT', payload).then(() => done(true), () => done(false));
    }, () => messenger.broadcast('BC', payload)).then((r) => r && process.send!({ done: r }));
  });
}

function clustercore(): void {
  let received = 0;
  let onBcDone: (() => void) | null = null;
  startClusterCore({
    workers,
    ready(core) {
      if (!isMap) onBcDone = broadcastDone();
      void core.send('W:1', 'GO');
    },
    onMaster(_core, _from, data) {
      if (data.action === 'DONE') emitResult(data.payload as Record<string, number>);
      else if (data.action === 'BC_DONE') onBcDone!();
    },
    onWorker(core, _from, data) {
      if (data.action === 'MAPACT') data.getTraceDetail().resTrace({ action: 'MAPACT', payload: 1 });
      else if (data.action === 'BC') {
        if (++received === n) void core.send('M', 'BC_DONE');
      } else if (data.action === 'GO') {
        void drive((_i, done) => {
          core.map('MAPACT', payload).then(() => done(true), () => done(false));
        }, () => {
          void core.broadcast('BC', payload);
          if (core.needsDrain('M')) return core.drain('M');
        }).then((r) => r && core.send('M', 'DONE', r));
      }
    },
  });
}

if (mode === 'raw') raw();
else if (mode === 'think-cluster') thinkCluster();
else clustercore();
