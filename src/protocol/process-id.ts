/**
 * Process ids (R-PROC-1, R-NODE-2): 'M' for the master, 'W:<n>' for workers (n ≥ 1), 'A' for the
 * alone process; across nodes a qualified id `<node>/<id>` ('b/W:1') names a process of a node.
 */

/** Id of the master process. */
export const MASTER_ID = 'M';
/** Id of the alone process. */
export const ALONE_ID = 'A';
/** Separates the node name from the local id in a qualified id. */
export const NODE_SEPARATOR = '/';

const WORKER_RE = /^W:[1-9][0-9]*$/;
const NODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** True for a local process id ('M', 'W:<n>', 'A'). */
export function isLocalProcessId(value: unknown): value is string {
  return value === MASTER_ID || value === ALONE_ID || (typeof value === 'string' && WORKER_RE.test(value));
}

/** True for a node name: 1–100 of letters, digits, '.', '_', '-', starting with a letter or digit. */
export function isNodeName(value: unknown): value is string {
  return typeof value === 'string' && NODE_RE.test(value);
}

/** True for a process id in either form: local ('W:1') or qualified ('b/W:1'). */
export function isProcessId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const cut = value.indexOf(NODE_SEPARATOR);
  if (cut < 0) return isLocalProcessId(value);
  return isNodeName(value.slice(0, cut)) && isLocalProcessId(value.slice(cut + 1));
}

/** A process id split into its node (null for a local id) and its local part. */
export interface ParsedProcessId {
  /** Node name, or null when the id has none (this node). */
  node: string | null;
  /** The id within its node ('M', 'W:<n>', 'A'). */
  local: string;
}

/** Splits a valid process id; `parseProcessId('b/W:1')` → `{ node: 'b', local: 'W:1' }`. */
export function parseProcessId(id: string): ParsedProcessId {
  const cut = id.indexOf(NODE_SEPARATOR);
  return cut < 0 ? { node: null, local: id } : { node: id.slice(0, cut), local: id.slice(cut + 1) };
}

/** The qualified id of `local` on `node` ('b', 'W:1' → 'b/W:1'). */
export function qualify(node: string, local: string): string {
  return `${node}${NODE_SEPARATOR}${local}`;
}

/** An id qualified with this node (`self`) becomes local; any other id is returned as it is. */
export function localize(id: string, self: string | null): string {
  if (self === null || id.length <= self.length || id.charCodeAt(self.length) !== 47 /* '/' */ || !id.startsWith(self)) return id;
  return id.slice(self.length + 1);
}

/** Node part of an id, or null for a local id. */
export function nodeOf(id: string): string | null {
  const cut = id.indexOf(NODE_SEPARATOR);
  return cut < 0 ? null : id.slice(0, cut);
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

/** Orders qualified ids: by node name, then as compareProcessIds within a node. */
export function compareQualifiedIds(a: string, b: string): number {
  const pa = parseProcessId(a);
  const pb = parseProcessId(b);
  const na = pa.node ?? '';
  const nb = pb.node ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return compareProcessIds(pa.local, pb.local);
}
