/**
 * Options of a clustercore group: defaults in one object, every value checked once with the
 * option's name in the error, then frozen (egg's options.ts, piscina's constructor).
 */
import os from 'node:os';
import { ClusterCoreError, describe } from '../protocol/errors';
import { isPlainObject } from '../protocol/json-safe';
import { createDefaultLogger, isLogger, type Logger } from '../runtime/logger';
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
  /** Where clustercore logs. Default: console, each line prefixed with the process id. */
  logger?: Logger;
  /** Back-pressure: envelopes in flight per IPC channel past which further sends wait. Default 256. */
  highWaterMark?: number;
  /** Several hosts as one cluster over Redis (R-NODE); absent: one group, nothing connects. */
  cluster?: ClusterOptions;
}

/** Options with every default filled in. */
export type ResolvedOptions = Readonly<
  Required<Omit<ClusterCoreOptions, 'title' | 'logger' | 'cluster'>> & { title: string | null; logger: Logger | null; cluster: ResolvedClusterOptions | null }
>;

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
  env: {},
  title: null,
  logger: null,
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
  return Object.freeze(out) as ResolvedOptions;
}

/** Number of workers to start for `workers` (0 = one per CPU). */
export function workerCount(options: ResolvedOptions): number {
  return options.workers === 0 ? os.availableParallelism() : options.workers;
}

/** The logger of a process: the user's, or the default prefixed with the live process id. */
export function loggerFor(options: ResolvedOptions, getProcessId: () => string): Logger {
  return options.logger ?? createDefaultLogger(getProcessId);
}
