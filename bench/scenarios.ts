/**
 * The scenarios of issue 6, each with its app, its parameters (full and quick), the figures it
 * reports and the target of each figure. A scenario whose API has not landed yet carries `pending`
 * and is shown as "not measured yet".
 */
import type { AppParams, Mode } from './lib/app-kit';

/** How a figure is judged: a ratio clustercore / baseline, a difference, or an absolute bound. */
export type Target =
  | { kind: 'ratio-min'; value: number }
  | { kind: 'ratio-max'; value: number }
  | { kind: 'plus-max'; value: number }
  | { kind: 'abs-max'; value: number };

/** One figure a scenario reports. */
export interface Metric {
  /** Key in the app's result. */
  key: string;
  /** Label in the table. */
  label: string;
  /** Unit shown after the numbers. */
  unit: string;
  /** Whether more is better (throughput) or less (latency, time, memory). */
  better: 'higher' | 'lower';
  /** What it must meet. */
  target?: Target;
  /** A different target against one baseline (e: ≥ 1.5× think-cluster). */
  targetOf?: Partial<Record<Mode, Target>>;
  /** Table row id when it differs from the scenario's (one run can fill several rows). */
  row?: string;
}

/** One scenario of the bench. */
export interface Scenario {
  /** Id in the table ('a', 'b', 'i-10KB'…). */
  id: string;
  /** What it measures. */
  title: string;
  /** App under dist/bench/apps/ (without .js). */
  app: string;
  /** A different app for some modes (g: the clustercore half is the decorator app). */
  appOf?: Partial<Record<Mode, string>>;
  /** Implementations, baselines first, clustercore last. */
  modes: Mode[];
  /** Parameters of a full run. */
  full: AppParams;
  /** Parameters of a quick run (a few hundred operations). */
  quick: AppParams;
  /** Rounds of a full run (default 3); quick runs do one. */
  rounds?: number;
  /** Figures, with targets. */
  metrics: Metric[];
  /** Why it is not measured yet (its API has not landed). */
  pending?: string;
}

const RAW_CC: Mode[] = ['raw', 'clustercore'];
/** Raw, the decorator door, then the Corejs door: the decorator rows judge the two doors against each other. */
const RAW_DEC_CC: Mode[] = ['raw', 'decorators', 'clustercore'];
/** Issue 12 item 4: the decorator door within 10 % of the Corejs door (ratio is Corejs / decorators). */
const DOORS_RPS: Partial<Record<Mode, Target>> = { decorators: { kind: 'ratio-max', value: 1.1 } };
const DOORS_LATENCY: Partial<Record<Mode, Target>> = { decorators: { kind: 'ratio-min', value: 1 / 1.1 } };
const rps = (target?: Target): Metric => ({ key: 'opsPerSec', label: 'requests/s', unit: '/s', better: 'higher', target, targetOf: DOORS_RPS });
const p50 = (max: number): Metric => ({ key: 'p50', label: 'p50 round trip', unit: 'µs', better: 'lower', target: { kind: 'ratio-max', value: max }, targetOf: DOORS_LATENCY });
const p99 = (max: number): Metric => ({ key: 'p99', label: 'p99 round trip', unit: 'µs', better: 'lower', target: { kind: 'ratio-max', value: max }, targetOf: DOORS_LATENCY });
const sweep = (label: string, bytes: number, n: number, quickN: number): Scenario => ({
  id: `i-${label}`,
  title: `request worker → master, 256 in flight, ${label} payload`,
  app: 'request-master',
  modes: RAW_CC,
  // As many unmeasured requests first (as c has), so that V8's compilation stays out of the figure.
  full: { nLatency: 0, n, warmupWindow: n, window: 256, bytes },
  quick: { nLatency: 0, n: quickN, window: 256, bytes },
  metrics: [rps({ kind: 'ratio-min', value: 1.0 })],
});

/** Every scenario, in table order. */
export const SCENARIOS: Scenario[] = [
  {
    id: 'a',
    title: 'one-way send worker → master',
    app: 'one-way',
    modes: RAW_CC,
    full: { n: 200_000 },
    quick: { n: 500 },
    metrics: [{ key: 'msgsPerSec', label: 'messages/s', unit: '/s', better: 'higher', target: { kind: 'ratio-min', value: 2.0 } }],
  },
  {
    id: 'b+c',
    title: 'request worker → master: one at a time (b), then 256 in flight (c, = i-100B); Corejs and decorator doors',
    app: 'request-master',
    appOf: { decorators: 'request-decorators' },
    modes: RAW_DEC_CC,
    full: { nLatency: 8000, warmup: 4000, n: 40_000, warmupWindow: 20_000, window: 256 },
    quick: { nLatency: 200, warmup: 20, n: 600, window: 256 },
    metrics: [
      { ...p50(1.2), row: 'b' },
      { ...p99(1.5), row: 'b' },
      { ...rps({ kind: 'ratio-min', value: 1.0 }), row: 'c' },
      { ...rps(), row: 'i-100B', targetOf: undefined },
    ],
  },
  {
    id: 'b-cold',
    title: 'request worker → master one at a time, right after start-up: only 500 warm-up round trips (what a quiet service sees)',
    app: 'request-master',
    appOf: { decorators: 'request-decorators' },
    modes: RAW_DEC_CC,
    full: { nLatency: 2000, warmup: 500, n: 0 },
    quick: { nLatency: 200, warmup: 50, n: 0 },
    metrics: [p50(1.3), p99(2.0)],
  },
  {
    id: 'd',
    title: 'request worker → worker through the master; Corejs and decorator doors',
    app: 'request-relay',
    appOf: { decorators: 'request-decorators' },
    modes: RAW_DEC_CC,
    full: { nLatency: 4000, warmup: 2000, n: 15_000, warmupWindow: 10_000, window: 256, relay: 1 },
    quick: { nLatency: 200, warmup: 20, n: 600, window: 256, relay: 1 },
    metrics: [p50(1.2), p99(1.5), rps({ kind: 'ratio-min', value: 1.0 })],
  },
  ...[2, 4].map((workers): Scenario => ({
    id: `e-${workers}w`,
    title: `map (16 in flight), then broadcast (as fast as W:1 can), from W:1 over ${workers} workers`,
    app: 'messenger',
    modes: ['raw', 'think-cluster', 'clustercore'],
    full: { workers, nMapWarm: 4000, nMap: 4000, window: 16, nBcWarm: 20_000, nBc: 20_000 },
    quick: { workers, nMap: 200, window: 16, nBc: 300 },
    metrics: [
      {
        key: 'mapPerSec', label: 'maps/s', unit: '/s', better: 'higher', row: `e-map-${workers}w`,
        target: { kind: 'ratio-min', value: 1.0 }, targetOf: { 'think-cluster': { kind: 'ratio-min', value: 1.5 } },
      },
      {
        key: 'bcPerSec', label: 'broadcasts/s', unit: '/s', better: 'higher', row: `e-bc-${workers}w`,
        target: { kind: 'ratio-min', value: 1.0 }, targetOf: { 'think-cluster': { kind: 'ratio-min', value: 1.5 } },
      },
    ],
  })),
  ...[1, 2, 4].map((workers): Scenario => ({
    id: `f-${workers}w`,
    title: `global object get, then set, then update from ${workers} worker(s), 16 in flight each`,
    app: 'global-object',
    modes: RAW_CC,
    full: { workers, n: 1200, window: 16 },
    quick: { workers, n: 200, window: 16 },
    metrics: [
      { key: 'getPerSec', label: 'get/s', unit: '/s', better: 'higher' },
      { key: 'setPerSec', label: 'set/s', unit: '/s', better: 'higher' },
      { key: 'updatePerSec', label: 'update/s', unit: '/s', better: 'higher', target: { kind: 'ratio-min', value: 0.5 } },
    ],
  })),
  ...[2, 4].map((workers): Scenario => ({
    id: `g-${workers}w`,
    title: `start-up, ${workers} workers + the alone: bootstrap() to onApplicationReady vs cluster.fork to online`,
    app: 'startup',
    appOf: { clustercore: 'startup-bootstrap' },
    modes: RAW_CC,
    full: { workers, alone: 1 },
    quick: { workers, alone: 1 },
    metrics: [{ key: 'ms', label: 'start to all ready', unit: 'ms', better: 'lower', target: { kind: 'plus-max', value: 100 } }],
  })),
  {
    id: 'h',
    title: '1 000 000 requests, 1 % time out (50 ms): memory growth',
    app: 'memory',
    modes: RAW_CC,
    full: { n: 1_000_000, warmup: 10_000, window: 256, timeoutMs: 50, every: 100 },
    quick: { n: 600, warmup: 100, window: 64, timeoutMs: 50, every: 100 },
    rounds: 1,
    metrics: [
      { key: 'workerHeapGrowth', label: 'worker heap growth', unit: 'MB', better: 'lower', target: { kind: 'abs-max', value: 20 } },
      { key: 'masterHeapGrowth', label: 'master heap growth', unit: 'MB', better: 'lower', target: { kind: 'abs-max', value: 20 } },
      { key: 'workerRssGrowth', label: 'worker RSS growth', unit: 'MB', better: 'lower' },
      { key: 'masterRssGrowth', label: 'master RSS growth', unit: 'MB', better: 'lower' },
      { key: 'pendingAtEnd', label: 'pending traces at end', unit: '', better: 'lower', target: { kind: 'abs-max', value: 0 } },
      rps(),
    ],
  },
  sweep('10KB', 10_000, 3000, 300),
  sweep('1MB', 1_000_000, 40, 20),
];

/** Every row id of the table, in order (a scenario can fill several rows). */
export function rowIds(): string[] {
  const ids: string[] = [];
  for (const s of SCENARIOS) for (const m of s.metrics) if (!ids.includes(m.row ?? s.id)) ids.push(m.row ?? s.id);
  return ids;
}
