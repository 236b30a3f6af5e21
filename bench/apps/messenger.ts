/**
 * Scenario e: map, then broadcast, over `workers` workers, both called from W:1 (the sender is one
 * of the workers it reaches, as in think-cluster).
 * - map: `nMapWarm` maps unmeasured, then `nMap` maps with `window` in flight; maps/s measured by W:1.
 * - broadcast: W:1 broadcasts `nBcWarm` messages unmeasured; once every worker got them, the master
 *   starts its clock and W:1 broadcasts `nBc` more as fast as it can; the master reports
 *   broadcasts/s until every worker received all of them. The warm-ups (as b, c and d have) keep V8's
 *   compilation of each implementation out of the figure, for every implementation alike.
 * Three implementations: a hand-rolled raw relay, think-cluster's messenger, clustercore.
 * Params: workers, nMap, window, nBc, bytes, nMapWarm and nBcWarm (0 when absent).
 */
import cluster, { type Worker } from 'node:cluster';
import { emitResult, makePayload, nowUs, param, readAppArgs } from '../lib/app-kit';
import { runWindow, type StartOp } from '../lib/drivers';
import { forkRaw, rawReady, rawWorkerId } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const workers = param(params, 'workers');
const nMap = param(params, 'nMap');
const window = param(params, 'window');
const nBc = param(params, 'nBc');
const nMapWarm = params.nMapWarm ?? 0;
const nBcWarm = params.nBcWarm ?? 0;
const payload = makePayload(params.bytes);

/** W:1's map phase: maps/s. */
async function mapPhase(map: StartOp): Promise<number> {
  if (nMapWarm > 0) await runWindow(nMapWarm, window, map);
  return (await runWindow(nMap, window, map)).opsPerSec;
}

/** W:1's broadcast phase: `n` broadcasts, awaiting only what `broadcast` returns. */
async function broadcastPhase(n: number, broadcast: () => void | Promise<void>): Promise<void> {
  for (let i = 0; i < n; i++) {
    const wait = broadcast();
    if (wait) await wait;
  }
}

/** A worker counts broadcasts: `warm` once the warm-up arrived, `all` once every broadcast did. */
function broadcastCounter(warm: () => void, all: () => void): () => void {
  let received = 0;
  return () => {
    received++;
    if (received === nBcWarm && nBcWarm > 0) warm();
    if (received === nBcWarm + nBc) all();
  };
}

/**
 * Master: after the map result, the broadcast warm-up (`startWarm`), then, once every worker got it,
 * the broadcast clock starts (`startBroadcast`); reports once every worker got all.
 */
function masterClock(startWarm: () => void, startBroadcast: () => void): { mapDone(mapPerSec: number): void; bcWarmDone(): void; bcDone(): void } {
  let mapPerSec = 0;
  let warmed = 0;
  let done = 0;
  let t0 = 0;
  const start = () => {
    t0 = nowUs();
    startBroadcast();
  };
  return {
    mapDone(v) {
      mapPerSec = v;
      if (nBcWarm > 0) startWarm();
      else start();
    },
    bcWarmDone() {
      if (++warmed === workers) start();
    },
    bcDone() {
      if (++done === workers) emitResult({ mapPerSec, bcPerSec: (nBc / (nowUs() - t0)) * 1e6 });
    },
  };
}

interface RawMsg {
  go?: boolean; goBcWarm?: boolean; goBc?: boolean; mapDone?: number; bcWarmDone?: boolean; bcDone?: boolean;
  map?: number; run?: number; mapRes?: number; answer?: number; k?: number; data?: unknown; results?: unknown[];
  bc?: unknown; bcMsg?: unknown;
}

/** Master side shared by raw and think-cluster: GO, then the map result, GO_BC, the broadcast counts. */
function startMaster(onMessage?: (w: Worker, all: Worker[], m: RawMsg) => void): void {
  void forkRaw(workers).then((all) => {
    const clock = masterClock(() => all[0].send({ goBcWarm: true }), () => all[0].send({ goBc: true }));
    for (const w of all) {
      w.on('message', (m: RawMsg) => {
        if (m.mapDone !== undefined) clock.mapDone(m.mapDone);
        else if (m.bcWarmDone) clock.bcWarmDone();
        else if (m.bcDone) clock.bcDone();
        else onMessage?.(w, all, m);
      });
    }
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
          e.caller.send({ answer: m.mapRes, results: e.results });
        }
      } else if (m.bc !== undefined) {
        for (const x of all) x.send({ bcMsg: m.bc });
      }
    });
    return;
  }
  const pending = new Map<number, (ok: boolean) => void>();
  let seq = 0;
  const count = broadcastCounter(() => process.send!({ bcWarmDone: true }), () => process.send!({ bcDone: true }));
  process.on('message', (m: RawMsg) => {
    if (m.run !== undefined) process.send!({ mapRes: m.run, k: m.k, data: 1 });
    else if (m.answer !== undefined) {
      const done = pending.get(m.answer);
      pending.delete(m.answer);
      done?.(true);
    } else if (m.bcMsg !== undefined) {
      count();
    } else if (m.go && rawWorkerId() === 1) {
      void mapPhase((_i, done) => {
        const id = ++seq;
        pending.set(id, done);
        process.send!({ map: id, data: payload });
      }).then((v) => process.send!({ mapDone: v }));
    } else if (m.goBcWarm || m.goBc) {
      void broadcastPhase(m.goBc ? nBc : nBcWarm, () => { process.send!({ bc: payload }); });
    }
  });
  rawReady();
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
  const count = broadcastCounter(() => process.send!({ bcWarmDone: true }), () => process.send!({ bcDone: true }));
  messenger.on('MAPACT', () => 1);
  messenger.on('BC', () => count());
  process.on('message', (m: RawMsg) => {
    if (m?.go && rawWorkerId() === 1) {
      void mapPhase((_i, done) => {
        messenger.map('MAPACT', payload).then(() => done(true), () => done(false));
      }).then((v) => process.send!({ mapDone: v }));
    } else if (m?.goBcWarm || m?.goBc) {
      void broadcastPhase(m.goBc ? nBc : nBcWarm, () => messenger.broadcast('BC', payload));
    }
  });
  rawReady();
}

function clustercore(): void {
  let clock: ReturnType<typeof masterClock> | null = null;
  let count: (() => void) | null = null;
  startClusterCore({
    workers,
    ready(core) {
      clock = masterClock(() => void core.send('W:1', 'GO_BC_WARM'), () => void core.send('W:1', 'GO_BC'));
      void core.send('W:1', 'GO');
    },
    onMaster(_core, _from, data) {
      if (data.action === 'MAP_DONE') clock!.mapDone(data.payload as number);
      else if (data.action === 'BC_WARM_DONE') clock!.bcWarmDone();
      else if (data.action === 'BC_DONE') clock!.bcDone();
    },
    onWorker(core, _from, data) {
      if (data.action === 'MAPACT') data.getTraceDetail().resTrace({ action: 'MAPACT', payload: 1 });
      else if (data.action === 'BC') {
        count ??= broadcastCounter(() => void core.send('M', 'BC_WARM_DONE'), () => void core.send('M', 'BC_DONE'));
        count();
      } else if (data.action === 'GO') {
        void mapPhase((_i, done) => {
          core.map('MAPACT', payload).then(() => done(true), () => done(false));
        }).then((v) => core.send('M', 'MAP_DONE', v));
      } else if (data.action === 'GO_BC_WARM' || data.action === 'GO_BC') {
        void broadcastPhase(data.action === 'GO_BC' ? nBc : nBcWarm, () => {
          void core.broadcast('BC', payload);
          if (core.needsDrain('M')) return core.drain('M');
        });
      }
    },
  });
}

if (mode === 'raw') raw();
else if (mode === 'think-cluster') thinkCluster();
else clustercore();
