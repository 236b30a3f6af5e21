/** Process ids (R-PROC-1): 'M' for the master, 'W:<n>' for workers (n ≥ 1), 'A' for the alone process. */

/** Id of the master process. */
export const MASTER_ID = 'M';
/** Id of the alone process. */
export const ALONE_ID = 'A';

const WORKER_RE = /^W:[1-9][0-9]*$/;

/** True for a syntactically valid process id. */
export function isProcessId(value: unknown): value is string {
  return value === MASTER_ID || value === ALONE_ID || (typeof value === 'string' && WORKER_RE.test(value));
}

/** Worker id for an offset. */
export function workerId(offset: number): string {
  return `W:${offset}`;
}

/** Offset of a worker id, or NaN for any other id. */
export function workerOffset(id: string): number {
  return id.startsWith('W:') ? Number(id.slice(2)) : NaN;
}

/** Orders ids as getAllProcessIds() returns them: 'M' first, workers by offset, then 'A'. */
export function compareProcessIds(a: string, b: string): number {
  const rank = (id: string) => (id === MASTER_ID ? -1 : id === ALONE_ID ? Number.MAX_SAFE_INTEGER : workerOffset(id));
  return rank(a) - rank(b);
}
