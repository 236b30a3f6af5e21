/**
 * The promise form of the global object (R-GLOBAL-6), `core.global`: the same operations, rules and
 * errors as the Corejs callback forms, in the master and in every child.
 *
 *   const g = await core.global.update((g, ctx) => ({ seen: (g.seen ?? 0) + ctx.by }), { by: 1 });
 *
 * Types: `G` is the shape of the global object as the caller sees it; `core.global.as<Shape>()`
 * gives the same client typed with `Shape`, so query/update functions get a typed `globalObject`.
 * Nothing is checked at run time against `G`: it is the caller's claim, like request<R>().
 */
import { InvalidArgumentError } from '../protocol/errors';
import { checkContext, checkKeyPath, checkValues, toSource } from '../protocol/global-object-args';
import type { GlobalObjectOp, GlobalObjectRequest } from '../runtime/global-object/global-object-wire';
import { withKeyPath, type GlobalClient } from './global-client';
import type { GlobalKeyPath, GlobalObject, GlobalQueryFn, GlobalSetResult, GlobalUpdateFn } from './global-object-types';

/** `core.global`: promise form of the global object, typed with the shape `G`. */
export class GlobalObjectApi<G extends object = GlobalObject> {
  /** @internal Made by ClusterCore. */
  constructor(private readonly client: GlobalClient) {}

  /** The same client, typed with the global object's shape `S` (no run-time effect). */
  as<S extends object>(): GlobalObjectApi<S> {
    return this as unknown as GlobalObjectApi<S>;
  }

  /**
   * The value at `keyPath` (R-GLOBAL-1); absent / null / '' / [] mean the whole object; a missing
   * last key gives undefined. With a path ending in `Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_SLICE`,
   * `array.slice(...sliceRange)`. `T` is the caller's claim about the value.
   */
  get<T = unknown>(keyPath?: GlobalKeyPath | null, ...sliceRange: number[]): Promise<T> {
    return this.call<T>('get', keyPath, () => ({
      keyPath: checkKeyPath('global.get', keyPath),
      sliceRange: checkValues('global.get', 'sliceRange', sliceRange),
    }));
  }

  /**
   * Writes the last of `values` at `keyPath`, or applies the path's trailing array command with
   * all of them (R-GLOBAL-2); resolves with the global object after it and the command's result
   * (`R`: PUSH gives the new length, POP the element, …).
   */
  set<R = unknown>(keyPath: GlobalKeyPath, ...values: unknown[]): Promise<GlobalSetResult<G, R>> {
    return this.call<GlobalSetResult<G, R>>('set', keyPath, () => ({
      keyPath: required('global.set', keyPath),
      values: checkValues('global.set', 'values', values),
    }));
  }

  /** Removes the field at `keyPath` (splice for an array index, delete otherwise; R-GLOBAL-3); resolves with the global object after it. */
  remove(keyPath: GlobalKeyPath): Promise<G> {
    return this.call<G>('remove', keyPath, () => ({ keyPath: required('global.remove', keyPath) }));
  }

  /** The whole global object (a copy). */
  query(): Promise<G>;
  /**
   * Runs `fn(globalObject, context)` in the master's sandbox (R-GLOBAL-4): synchronous, no outer
   * variables, result through JSON; a throw rejects with it (GlobalObjectError, the thrown error as cause).
   */
  query<R, C = undefined>(fn: GlobalQueryFn<G, C, R>, context?: C): Promise<R>;
  query(fn?: GlobalQueryFn<G, unknown, unknown>, context?: unknown): Promise<unknown> {
    return this.call('query', undefined, () => {
      const request: GlobalObjectRequest = {};
      if (fn !== undefined) {
        if (typeof fn !== 'function') throw new InvalidArgumentError('global.query', 'fn', fn, 'a function (globalObject, context) or nothing');
        request.fnSource = toSource('global.query', 'fn', fn);
      }
      if (context !== undefined) request.context = checkContext('global.query', context);
      return request;
    });
  }

  /**
   * Runs `fn(globalObject, context)` in the master's sandbox and merges what it returns into the
   * global object with Object.assign, atomically (R-GLOBAL-4); a throw changes nothing and rejects.
   * Resolves with the global object after it.
   */
  update<C = undefined>(fn: GlobalUpdateFn<G, C>, context?: C): Promise<G> {
    return this.call<G>('update', undefined, () => {
      if (typeof fn !== 'function') throw new InvalidArgumentError('global.update', 'fn', fn, 'a function (globalObject, context)');
      const request: GlobalObjectRequest = { fnSource: toSource('global.update', 'fn', fn) };
      if (context !== undefined) request.context = checkContext('global.update', context);
      return request;
    });
  }

  // Builds the request (a wrong argument rejects, never throws) and runs it.
  private call<T>(op: GlobalObjectOp, keyPath: unknown, build: () => GlobalObjectRequest): Promise<T> {
    let request: GlobalObjectRequest;
    try {
      request = build();
    } catch (err) {
      if (op === 'get' || op === 'set' || op === 'remove') withKeyPath(err, keyPath);
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      this.client.execute(op, request, (err, value) => (err ? reject(err) : resolve(value as T)));
    });
  }
}

// set and remove act on a field: the key path is required (the store says why an empty one is wrong).
function required(method: string, keyPath: unknown): unknown {
  if (keyPath === undefined) throw new InvalidArgumentError(method, 'keyPath', keyPath, 'a key or an array of keys (it is required)');
  return checkKeyPath(method, keyPath);
}
