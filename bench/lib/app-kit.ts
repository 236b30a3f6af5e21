/**
 * What every bench app shares: its arguments, its payload, its clock, and the one line it prints
 * for the runner (`RESULT {json}`). An app is started as `node dist/bench/apps/<app>.js <mode> <json>`;
 * cluster.fork re-runs the same script with the same arguments, so workers read them too.
 */

/** The implementations a bench app can run ('clustercore' is the Corejs door, 'decorators' the decorator door). */
export type Mode = 'raw' | 'clustercore' | 'think-cluster' | 'decorators';

/** Every mode, for the argument check. */
const MODES: readonly Mode[] = ['raw', 'clustercore', 'think-cluster', 'decorators'];

/** Parameters of one app run (operation counts, window, payload size…), as JSON on the command line. */
export type AppParams = Record<string, number>;

/** Mode and parameters of this run. */
export interface AppArgs {
  /** Which implementation to run. */
  mode: Mode;
  /** Scenario parameters. */
  params: AppParams;
}

/** Prefix of the line the runner reads. */
export const RESULT_PREFIX = 'RESULT ';

/** Reads `<mode> <json>` from argv; exits with a message when they are wrong. */
export function readAppArgs(): AppArgs {
  const mode = process.argv[2];
  let params: unknown;
  try {
    params = JSON.parse(process.argv[3] ?? '{}');
  } catch (err) {
    return die(`bench app: argument 2 must be JSON parameters, got ${process.argv[3]}: ${(err as Error).message}`);
  }
  if (!MODES.includes(mode as Mode)) return die(`bench app: argument 1 must be one of ${MODES.join(', ')}, got ${mode}`);
  return { mode: mode as Mode, params: params as AppParams };
}

/** A required numeric parameter. */
export function param(params: AppParams, name: string): number {
  const v = params[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) return die(`bench app: parameter '${name}' must be a number, got ${String(v)}`);
  return v;
}

/** A JSON payload of about `bytes` bytes once serialized (the default is the issue's ~100 B). */
export function makePayload(bytes = 100): { s: string } {
  return { s: 'x'.repeat(Math.max(0, bytes - 8)) };
}

/** Microseconds since this process started (monotonic). */
export function nowUs(): number {
  return performance.now() * 1000;
}

/** Prints the result line for the runner and exits (children go with the master's IPC). */
export function emitResult(fields: Record<string, unknown>): never {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(fields)}\n`, () => process.exit(0));
  // Keep the process alive until stdout flushed; process.exit above ends it.
  return new Promise<never>(() => {}) as never;
}

/** Prints an error and exits non-zero: a bench app never hangs on a bad start. */
export function die(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Heap and RSS of this process after a full GC (needs --expose-gc; else without the GC), MB. */
export function memoryMb(): { heap: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 1048576, rss: m.rss / 1048576 };
}
