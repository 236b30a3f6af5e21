/**
 * JSON-safety: the values that survive Node's IPC serialization unchanged
 * (Array, plain Object, finite Number, String, Boolean, null), within the limits of R-IPC-2
 * (MAX_DATA_DEPTH, MAX_DATA_VALUES) and without an own `__proto__` key. Checked before anything is
 * sent, so a bad value is refused at the caller instead of arriving altered, and again on receipt
 * (copyReceived / findJsonUnsafe), so no handler sees what a sender could not have sent.
 *
 * One walk does all of it: types, cycles, depth, value count and keys. The path of an offender is
 * built only once one is found, on the way back up, so a clean walk builds no strings.
 */
import { DataLimitError } from './errors';
import { MAX_DATA_DEPTH, MAX_DATA_VALUES } from './limits';

/** What the walk found wrong, and the path segments below the top value (innermost first). */
class Problem {
  readonly segments: string[] = [];
  constructor(readonly reason: string) {}

  at(segment: string): Problem {
    this.segments.push(segment);
    return this;
  }

  /** `path` and the segments, the middle of a long path elided (a depth offender has 100 of them). */
  describe(path: string): string {
    const n = this.segments.length;
    let p = path;
    for (let i = n - 1; i >= 0; i--) {
      if (n > 12 && i === n - 9) {
        p += `…(${n - 11} more levels)…`;
        i = 2;
      }
      p += this.segments[i];
    }
    return `${p} ${this.reason}`;
  }
}

/** State of one walk: the objects on the current path (cycle test) and the values counted so far. */
interface Walk {
  ancestors: object[];
  count: number;
}

const TOO_DEEP = `is nested deeper than MAX_DATA_DEPTH (${MAX_DATA_DEPTH} levels of arrays and objects)`;
const TOO_MANY = `holds more than MAX_DATA_VALUES (${MAX_DATA_VALUES} values)`;
const PROTO_KEY = "is an own '__proto__' key (it would replace a prototype where the data is copied)";

/**
 * Returns null when `value` survives JSON unchanged and within the limits, else the path and reason
 * of the first offender. `depth` is the nesting level `value` will have inside the message data
 * (1 for the data itself, 2 for its payload).
 */
export function findJsonUnsafe(value: unknown, path = '$', depth = 1): string | null {
  const problem = typeof value === 'object' && value !== null ? inObject(value, depth, { ancestors: [], count: 0 }) : inPrimitive(value);
  return problem === null ? null : problem.describe(path);
}

function inPrimitive(value: unknown): Problem | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : new Problem(`is ${String(value)} (not finite)`);
    case 'object':
      return null; // null (objects never come here)
    default:
      return new Problem(`is ${typeof value === 'function' ? 'a function' : `a ${typeof value}`}`);
  }
}

function inObject(obj: object, depth: number, walk: Walk): Problem | null {
  if (depth > MAX_DATA_DEPTH) return new Problem(TOO_DEEP);
  const ancestors = walk.ancestors;
  // The path is at most MAX_DATA_DEPTH long, and usually 1–3: a scan beats a Set's hashing.
  for (let i = 0; i < ancestors.length; i++) if (ancestors[i] === obj) return new Problem('is a circular reference');
  if (Array.isArray(obj)) {
    if ((walk.count += obj.length) > MAX_DATA_VALUES) return new Problem(TOO_MANY);
    ancestors.push(obj);
    for (let i = 0; i < obj.length; i++) {
      const v: unknown = obj[i];
      const r = typeof v === 'object' && v !== null ? inObject(v, depth + 1, walk) : inPrimitive(v);
      if (r) return r.at(`[${i}]`);
    }
    ancestors.pop();
    return null;
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    return new Problem(`is an instance of ${name} (only plain objects cross IPC)`);
  }
  ancestors.push(obj);
  for (const key in obj) {
    if (key === '__proto__') return new Problem(PROTO_KEY).at(`.${key}`);
    const v = (obj as Record<string, unknown>)[key];
    // An undefined property is dropped by JSON like an absent one: accepted, it changes nothing.
    if (v === undefined) continue;
    if (++walk.count > MAX_DATA_VALUES) return new Problem(TOO_MANY);
    const r = typeof v === 'object' && v !== null ? inObject(v, depth + 1, walk) : inPrimitive(v);
    if (r) return r.at(`.${key}`);
  }
  ancestors.pop();
  return null;
}

/** True when `value` is a plain object (not an array, not a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deep copy of a JSON-safe value; faster than a JSON round trip or structuredClone for small data. */
export function cloneJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = cloneJson((value as Record<string, unknown>)[key]);
    // A '__proto__' own key (JSON.parse makes those) must stay data, never become the prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}

/**
 * Deep copy of data that arrived on a channel (parsed from JSON, so a tree of JSON values), made by
 * the same walk that checks it against the limits of R-IPC-2 and for `__proto__` keys: the receive
 * path's one traversal. Throws DataLimitError naming the limit and the path (`data.payload.a…`).
 */
export function copyReceived<T>(value: T, path = 'data'): T {
  if (typeof value !== 'object' || value === null) return value;
  const walk: Walk = { ancestors: [], count: 0 };
  try {
    return copyIn(value, 1, walk) as T;
  } catch (err) {
    if (err instanceof Problem) throw new DataLimitError(err.describe(path));
    throw err;
  }
}

// Throws a Problem (not an Error: no stack is captured on the way out of a deep value).
function copyIn(value: object, depth: number, walk: Walk): unknown {
  if (depth > MAX_DATA_DEPTH) throw new Problem(TOO_DEEP);
  if (Array.isArray(value)) {
    if ((walk.count += value.length) > MAX_DATA_VALUES) throw new Problem(TOO_MANY);
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      try {
        out[i] = typeof v === 'object' && v !== null ? copyIn(v, depth + 1, walk) : v;
      } catch (p) {
        throw p instanceof Problem ? p.at(`[${i}]`) : p;
      }
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (key === '__proto__') throw new Problem(PROTO_KEY).at(`.${key}`);
    if (++walk.count > MAX_DATA_VALUES) throw new Problem(TOO_MANY);
    const v = (value as Record<string, unknown>)[key];
    try {
      out[key] = typeof v === 'object' && v !== null ? copyIn(v, depth + 1, walk) : v;
    } catch (p) {
      throw p instanceof Problem ? p.at(`.${key}`) : p;
    }
  }
  return out;
}
