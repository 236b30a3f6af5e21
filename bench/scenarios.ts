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
  /** Figures, with targets (against every baseline unless `targetOf` names another for one). */
  metrics: Metric[];
  /** A different target against one baseline (e: ≥ 1.5× think-cluster). */
  targetOf?: Partial<Record<Mode, Target>>;
  /** Why it is not measured yet (its API has not landed). */
  pending?: string;
}

const RAW_CC: Mode[] = ['raw', 'clustercore'];
const rps = (target?: Target): Metric => ({ key: 'opsPerSec', label: 'requests/s', unit: '/s', better: 'higher', target });
const p50 = (max: number): Metric => ({ key: 'p50', label: 'p50 round trip', unit: 'µs', better: 'lower', target: { kind: 'ratio-max', value: max } });
const p99 = (max: number): Metric => ({ key: 'p99', label: 'p99 round trip', unit: 'µs', better: 'lower', target: { kind: 'ratio-max', value: max } });
const sweep = (label: string, bytes: number, n: number, quickN: number): Scenario => ({
  id: `i-${label}`,
  title: `request worker → master, 256 in flight, ${label} payload`,
  app: 'request-master',
  modes: RAW_CC,
  full: { n, window: 256, bytes },
  quick: { n: quickN, window: 256, bytes },
  metrics: [rps()],
});

/** Every scenario, in table order. */
export const SCENARIOS: Scenario[] = [
  {
    id: 'a',
    title: 'one-way send worker → master',
    app: 'one-way',
    modes: RAW_CC,
    full: { n: 100_000 },
    quick: { n: 500 },
    metrics: [{ key: 'msgsPerSec', label: 'messages/s', unit: '/s', better: 'higher', target: { kind: 'ratio-min', value: 2.0 } }],
  },
  {
    id: 'b',
    title: 'request worker → master, one at a time',
    app: 'request-master',
    modes: RAW_CC,
    full: { n: 10_000, warmup: 5000, window: 1 },
    quick: { n: 200, warmup: 20, window: 1 },
    metrics: [p50(1.2), p99(1.5)],
  },
  {
    id: 'c',
    title: 'request worker → master, 256 in flight',
    app: 'request-master',
    modes: RAW_CC,
    full: { n: 50_000, window: 256 },
    quick: { n: 600, window: 256 },
    metrics: [rps({ kind: 'ratio-min', value: 1.0 })],
  },
  {
    id: 'd',
    title: 'request worker → worker through the master',
    app: 'request-relay',
    modes: RAW_CC,
    full: { nLatency: 5000, warmup: 3000, n: 20_000, window: 256 },
    quick: { nLatency: 200, warmup: 20, n: 600, window: 256 },
    metrics: [p50(1.2), p99(1.5), rps({ kind: 'ratio-min', value: 1.0 })],
  },
  ...[2, 4].map((workers): Scenario => ({
    id: `e-map-${workers}w`,
    title: `map from W:1 over ${workers} workers, 16 in flight`,
    app: 'messenger',
    modes: ['raw', 'think-cluster', 'clustercore'],
    full: { workers, op: 1, n: 4000, window: 16 },
    quick: { workers, op: 1, n: 200, window: 16 },
    metrics: [{ key: 'opsPerSec', label: 'maps/s', unit: '/s', better: 'higher', target: { kind: 'ratio-min', value: 1.0 } }],
    targetOf: { 'think-cluster': { kind: 'ratio-min', value: 1.5 } },
  })),
  ...[2, 4].map((workers): Scenario => ({
    id: `e-bc-${workers}w`,
    title: `broadcast from W:1 to ${workers} workers, as fast as W:1 can`,
    app: 'messenger',
    modes: ['raw', 'think-cluster', 'clustercore'],
    full: { workers, op: 2, n: 10_000, window: 1 },
    quick: { workers, op: 2, n: 300, window: 1 },
    metrics: [{ key: 'opsPerSec', label: 'broadcasts/s', unit: '/s', better: 'higher' }],
  })),
  {
    id: 'f',
    title: 'global object get / set / update from 1, 2, 4 workers',
    app: 'global-object',
    modes: RAW_CC,
    full: {},
    quick: {},
    metrics: [{ key: 'opsPerSec', label: 'operations/s', unit: '/s', better: 'higher' }],
    pending: 'core.global (promise API of the global object) has not landed',
  },
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
    full: { n: 1_000_000, warmup: 20_000, window: 256, timeoutMs: 50, every: 100 },
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
  sweep('100B', 100, 30_000, 600),
  sweep('10KB', 10_000, 5000, 300),
  sweep('1MB', 1_000_000, 60, 20),
];
