/**
 * What tsyringe knows about a class's constructor, read so that bootstrap() can check every
 * dependency in the master before any process is forked (a worker failing to resolve one would
 * otherwise crash in a refork loop).
 */
import { INJECTION_TOKENS_KEY, PARAM_TYPES_KEY } from './metadata-keys';

/** A constructor as tsyringe sees it. */
type Ctor = abstract new (...args: never[]) => unknown;

// tsyringe keeps the parameter info of @injectable()/@singleton() classes in a Map it does not
// export from its index (dist/cjs/dependency-container: `typeInfo`). Reading it is exact; when a
// future tsyringe moves it, we fall back to the metadata it is built from.
let typeInfo: Map<unknown, unknown[]> | null = null;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module of tsyringe, no typings at this path
  const internals = require('tsyringe/dist/cjs/dependency-container') as { typeInfo?: unknown };
  if (internals.typeInfo instanceof Map) typeInfo = internals.typeInfo as Map<unknown, unknown[]>;
} catch (err) {
  // Not fatal: paramInfoOf() falls back to the decorator metadata; say so once for whoever debugs it.
  if (process.env.CLUSTER_CORE_DEBUG) console.warn('clustercore: tsyringe internals not found, using metadata:', err);
}

/**
 * The constructor parameter tokens tsyringe will resolve for `cls`, or null when tsyringe cannot
 * construct it (it has parameters but no type information).
 */
export function paramInfoOf(cls: Ctor): unknown[] | null {
  const known = typeInfo?.get(cls);
  if (known && known.length > 0) return known;
  if (typeInfo && !typeInfo.has(cls)) return cls.length === 0 ? [] : null;
  // Registered with no parameters, or no access to typeInfo: rebuild from the metadata.
  const params = [...((Reflect.getMetadata(PARAM_TYPES_KEY, cls) as unknown[] | undefined) ?? [])];
  const tokens = (Reflect.getOwnMetadata(INJECTION_TOKENS_KEY, cls) as Record<string, unknown> | undefined) ?? {};
  for (const [index, token] of Object.entries(tokens)) params[Number(index)] = token;
  if (params.length === 0 && cls.length > 0) return null;
  return params;
}
