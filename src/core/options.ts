/**
 * Options of a clustercore group: defaults in one object, every value checked once with the
 * option's name in the error, then frozen (egg's options.ts, piscina's constructor).
 */
import os from 'node:os';
import { ClusterCoreError, describe } from '../protocol/errors';
import { isPlainObject } from '../protocol/json-safe';
import { createDefaultLogger, hasChild, isLogger, perProcessLogger, type Logger } from '../runtime/logger';
import { resolveClusterOptions, type ClusterOptions, type ResolvedClusterOptions } from './cluster-options';

/** Options of bootstrap() (and of the Corejs door, where only the timing ones apply). */
export interface ClusterCoreOptions {
  /** Number of workers; 0 = one per CPU (os.availableParallelism()). Default 0. */
  workers?: number;
  /** Replace a worker that exits unexpectedly. Default true. */
  refork?: boolean;
  /** Seconds the master keeps trying when no worker is alive, then shuts down. Default 60. */
  limit?: number;
  /** Default request time-out, ms. Default 10 000. */
  traceTimeout?: number;
  /** Time for the whole group to come up, ms. Default 30 000. */
  startupTimeout?: number;
  /** Time onProcessWillExit and children get at shutdown, ms. Default 5 000. */
  shutdownTimeout?: number;
  /** Time limit of a query/update function in the master's sandbox, ms. Default 100. */
  sandboxTimeout?: number;
  /** Extra environment variables for the children. Default {}. */
  env?: Record<string, string>;
  /** Process title prefix: `<title> M`, `<title> W:1`, `<title> A`. Default: none. */
  title?: string;
  /**
   * Where clustercore logs. Default: console, `<ISO time> <level> [<process id>] <message>`. A logger
   * with `child()` (e.g. `pino()`) gets one child per process bound to `{ processId }`.
   */
  logger?: Logger;
  /** Back-pressure: envelopes in flight per IPC channel past which further sends wait. Default 256. */
  highWaterMark?: number;
  /** reload(): workers replaced at a time. Default 1. */
  reloadConcurrency?: number;
  /** Period of the master's heartbeat to every child (and of its self-check), ms. Default 1 000. */
  heartbeatInterval?: number;
  /** A child whose event loop has not answered the heartbeat for this long is killed and replaced, ms; 0 = off. Default 10 000. */
  heartbeatTimeout?: number;
  /** MB of resident memory (RSS) past which a child is replaced gracefully. Default: none. */
  maxMemory?: number;
  /** A path or paths whose changes trigger one debounced reload(). Default: none (off). */
  watch?: string | string[];
  /**
   * Serve Prometheus `/metrics` and the live status page `/` from the master on this port (0: any
   * free port) and host (default '127.0.0.1'). Default: off — nothing listens on TCP.
   */
  metrics?: MetricsOptions;
  /** Several hosts as one cluster over Redis (R-NODE); absent: one group, nothing connects. */
  cluster?: ClusterOptions;
}

/** Where the master serves `/metrics` and the status page. */
export interface MetricsOptions {
  /** TCP port; 0 picks a free one (logged). */
  port: number;
  /** Address to listen on. Default '127.0.0.1' (this machine only). */
  host?: string;
}

/** Options with every default filled in. */
export type ResolvedOptions = Readonly<Required<Omit<ClusterCoreOptions, 'title' | 'logger' | 'maxMemory' | 'watch' | 'metrics' | 'cluster'>> & {
  title: string | null;
  logger: Logger | null;
  maxMemory: number | null;
  watch: readonly string[] | null;
  metrics: Readonly<Required<MetricsOptions>> | null;
  cluster: ResolvedClusterOptions | null;
}>;

/** The defaults, in one place. */
export const DEFAULT_OPTIONS: ResolvedOptions = Object.freeze({
  workers: 0,
  refork: true,
  limit: 60,
  traceTimeout: 10_000,
  startupTimeout: 30_000,
  shutdownTimeout: 5_000,
  sandboxTimeout: 100,
  highWaterMark: 256,
  reloadConcurrency: 1,
  heartbeatInterval: 1_000,
  heartbeatTimeout: 10_000,
  maxMemory: null,
  watch: null,
  env: {},
  title: null,
  logger: null,
  metrics: null,
  cluster: null,
});

const NUMBER_RULES: Record<string, { min: number; integer: boolean }> = {
  workers: { min: 0, integer: true },
  limit: { min: 0, integer: false },
  traceTimeout: { min: 1, integer: false },
  startupTimeout: { min: 1, integer: false },
  shutdownTimeout: { min: 0, integer: false },
  sandboxTimeout: { min: 1, integer: false },
  highWaterMark: { min: 1, integer: true },
  reloadConcurrency: { min: 1, integer: true },
  heartbeatInterval: { min: 10, integer: false },
  heartbeatTimeout: { min: 0, integer: false },
  maxMemory: { min: 1, integer: false },
};

/** Checks `input` (naming `method` and the option in errors) and fills in the defaults. */
export function resolveOptions(method: string, input: unknown = {}): ResolvedOptions {
  if (!isPlainObject(input)) throw new ClusterCoreError(`${method}: options must be a plain object, got ${describe(input)}`);
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const bad = (expected: string) => new ClusterCoreError(`${method}: option '${key}' must be ${expected}, got ${describe(value)}`);
    const rule = NUMBER_RULES[key];
    if (rule) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < rule.min || (rule.integer && !Number.isInteger(value))) {
        throw bad(`${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}`);
      }
    } else if (key === 'refork') {
      if (typeof value !== 'boolean') throw bad('a boolean');
    } else if (key === 'title') {
      if (typeof value !== 'string' || value === '') throw bad('a non-empty string');
    } else if (key === 'logger') {
      if (!isLogger(value)) throw bad('an object with info, warn and error methods');
    } else if (key === 'watch') {
      const paths = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) throw bad('a non-empty path or a non-empty array of non-empty paths');
      out[key] = Object.freeze(paths.slice());
      continue;
    } else if (key === 'metrics') {
      out[key] = resolveMetrics(method, value);
      continue;
    } else if (key === 'cluster') {
      out[key] = resolveClusterOptions(method, value);
      continue;
    } else if (key === 'env') {
      if (!isPlainObject(value) || !Object.values(value).every((v) => typeof v === 'string')) throw bad('an object of strings');
    } else {
      throw new ClusterCoreError(`${method}: unknown option '${key}' (known: ${Object.keys(DEFAULT_OPTIONS).join(', ')})`);
    }
    out[key] = value;
  }
  const { heartbeatTimeout, heartbeatInterval } = out as { heartbeatTimeout: number; heartbeatInterval: number };
  if (heartbeatTimeout !== 0 && heartbeatTimeout < heartbeatInterval) {
    throw new ClusterCoreError(`${method}: option 'heartbeatTimeout' (${heartbeatTimeout} ms) must be 0 (off) or at least 'heartbeatInterval' (${heartbeatInterval} ms)`);
  }
  return Object.freeze(out) as ResolvedOptions;
}

/** Checks the `metrics` option: `{ port, host? }` with a port from 0 to 65535. */
function resolveMetrics(method: string, value: unknown): Readonly<Required<MetricsOptions>> {
  const bad = (what: string, v: unknown) => new ClusterCoreError(`${method}: option '${what}' must be ${what === 'metrics.host' ? 'a non-empty string' : what === 'metrics' ? 'an object { port, host? }' : 'an integer from 0 to 65535'}, got ${describe(v)}`);
  if (!isPlainObject(value)) throw bad('metrics', value);
  for (const key of Object.keys(value)) {
    if (key !== 'port' && key !== 'host') throw new ClusterCoreError(`${method}: unknown option 'metrics.${key}' (known: port, host)`);
  }
  const { port, host = '127.0.0.1' } = value as { port?: unknown; host?: unknown };
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw bad('metrics.port', port);
  if (typeof host !== 'string' || host === '') throw bad('metrics.host', host);
  return Object.freeze({ port, host });
}

/** Number of workers to start for `workers` (0 = one per CPU). */
export function workerCount(options: ResolvedOptions): number {
  return options.workers === 0 ? os.availableParallelism() : options.workers;
}

/**
 * The logger of a process: the default (`<ISO time> <level> [<process id>] <message>`), the user's
 * as it is, or — when it has `child()` — one child of it per process bound to `{ processId }`.
 */
export function loggerFor(options: ResolvedOptions, getProcessId: () => string): Logger {
  const user = options.logger;
  if (!user) return createDefaultLogger(getProcessId);
  return hasChild(user) ? perProcessLogger(user, getProcessId) : user;
}
