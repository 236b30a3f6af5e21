/**
 * JSON-safety: the values that survive Node's IPC serialization unchanged
 * (Array, plain Object, finite Number, String, Boolean, null). Checked before anything is sent,
 * so a bad value is refused at the caller instead of arriving altered.
 */

/** Returns null when `value` survives JSON unchanged, else the path and reason of the first offender. */
export function findJsonUnsafe(value: unknown, path = '$'): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is ${String(value)} (not finite)`;
    case 'object':
      if (value === null) return null;
      return findInObject(value as object, path, new Set());
    default:
      return `${path} is ${typeof value === 'function' ? 'a function' : `a ${typeof value}`}`;
  }
}

function findInObject(obj: object, path: string, seen: Set<object>): string | null {
  if (seen.has(obj)) return `${path} is a circular reference`;
  if (Array.isArray(obj)) {
    seen.add(obj);
    for (let i = 0; i < obj.length; i++) {
      const r = findIn(obj[i], `${path}[${i}]`, seen);
      if (r) return r;
    }
    seen.delete(obj);
    return null;
  }
  const proto = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    return `${path} is an instance of ${name} (only plain objects cross IPC)`;
  }
  seen.add(obj);
  for (const key in obj) {
    const v = (obj as Record<string, unknown>)[key];
    // An undefined property is dropped by JSON like an absent one: accepted, it changes nothing.
    if (v === undefined) continue;
    const r = findIn(v, `${path}.${key}`, seen);
    if (r) return r;
  }
  seen.delete(obj);
  return null;
}

function findIn(v: unknown, path: string, seen: Set<object>): string | null {
  if (typeof v === 'object' && v !== null) return findInObject(v, path, seen);
  return findJsonUnsafe(v, path);
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
