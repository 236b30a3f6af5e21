/**
 * Scenario f: the global object from `workers` workers at once, each keeping `window` operations in
 * flight: first `n` get, then `n` set, then `n` update (split over the workers); the master reports
 * operations/s of each phase, from its GO to the last worker's DONE.
 * Raw: a plain object in the primary, hand-written id matching; update ships the function's source
 * and runs it with `new Function` (cached per source) — no sandbox, no time limit, so it does less
 * than clustercore's sandboxed update.
 * Params: workers, n, window.
 */
import cluster from 'node:cluster';
import { emitResult, nowUs, param, readAppArgs } from '../lib/app-kit';
import { runWindow, type StartOp } from '../lib/drivers';
import { forkRaw, rawReady } from '../lib/raw-group';
import { startClusterCore } from '../lib/cc-group';

const { mode, params } = readAppArgs();
const workers = param(params, 'workers');
const n = param(params, 'n');
const window = param(params, 'window');
const PHASES = ['get', 'set', 'update'] as const;
type Phase = (typeof PHASES)[number];

/** The update every worker runs: it must be self-contained (it is shipped as source). */
const bump = (g: { counter?: number }, ctx: { by: number }) => ({ counter: (g.counter ?? 0) + ctx.by });

/** Master side: times each phase from GO to the last DONE, then starts the next one. */
function phaseClock(go: (phase: Phase) => void): (phase: Phase) => void {
  const result: Record<string, number> = {};
  let k = 0;
  let done = 0;
  let t0 = 0;
  const start = () => {
    done = 0;
    t0 = nowUs();
    go(PHASES[k]);
  };
  setImmediate(start);
  return (phase) => {
    if (phase !== PHASES[k] || ++done < workers) return;
    result[`${phase}PerSec`] = (n / (nowUs() - t0)) * 1e6;
    if (++k < PHASES.length) start();
    else emitResult(result);
  };
}

/** Worker side: its share of the phase's operations. */
function share(): number {
  return Math.ceil(n / workers);
}

interface RawMsg { id?: number; re?: number; op?: Phase; value?: unknown; src?: string; ctx?: unknown; go?: Phase; done?: Phase }

function raw(): void {
  if (cluster.isPrimary) {
    const g: Record<string, unknown> = {};
    const compiled = new Map<string, (g: unknown, ctx: unknown) => object>();
    void forkRaw(workers).then((all) => {
      const onDone = phaseClock((phase) => { for (const w of all) w.send({ go: phase }); });
      for (const w of all) {
        w.on('message', (m: RawMsg) => {
          if (m.done) return onDone(m.done);
          let value: unknown;
          if (m.op === 'get') value = g.counter;
          else if (m.op === 'set') {
            g.counter = m.value;
            value = { globalObject: g, commandResult: undefined };
          } else {
            let fn = compiled.get(m.src!);
            if (!fn) compiled.set(m.src!, (fn = new Function('g', 'ctx', `return (${m.src})(g, ctx);`) as (g: unknown, ctx: unknown) => object));
            Object.assign(g, fn(g, m.ctx));
            value = g;
          }
          w.send({ re: m.id, value });
        });
      }
    });
    return;
  }
  const pending = new Map<number, (ok: boolean) => void>();
  let seq = 0;
  const src = bump.toString();
  process.on('message', (m: RawMsg) => {
    if (m.re !== undefined) {
      const done = pending.get(m.re);
      pending.delete(m.re);
      done?.(true);
      return;
    }
    const phase = m.go;
    if (!phase) return;
    const start: StartOp = (i, done) => {
      const id = ++seq;
      pending.set(id, done);
      if (phase === 'get') process.send!({ id, op: 'get' });
      else if (phase === 'set') process.send!({ id, op: 'set', value: i });
      else process.send!({ id, op: 'update', src, ctx: { by: 1 } });
    };
    void runWindow(share(), window, start).then(() => process.send!({ done: phase }));
  });
  rawReady();
}

function clustercore(): void {
  let onDone: ((phase: Phase) => void) | null = null;
  startClusterCore({
    workers,
    ready(core, ids) {
      onDone = phaseClock((phase) => { for (const id of ids) void core.send(id, 'GO', phase); });
    },
    onMaster(_core, _from, data) {
      if (data.action === 'DONE') onDone!(data.payload as Phase);
    },
    onWorker(core, _from, data) {
      if (data.action !== 'GO') return;
      const phase = data.payload as Phase;
      const ok = () => true;
      const start: StartOp = (i, done) => {
        const p: Promise<unknown> = phase === 'get'
          ? core.global.get(['counter'])
          : phase === 'set' ? core.global.set(['counter'], i) : core.global.update(bump, { by: 1 });
        p.then(ok, () => false).then(done);
      };
      void runWindow(share(), window, start).then(() => core.send('M', 'DONE', phase));
    },
  });
}

if (mode === 'raw') raw();
else clustercore();
