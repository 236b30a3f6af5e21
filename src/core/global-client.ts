/**
 * The global object from any process (R-GLOBAL-1..5), one client whatever the engine: in the master
 * it runs the operation on the store through the GlobalObjectServer (no IPC); in a child it sends
 * the operation's REQ_* internal TraceIPC to 'M' and decodes the answer. Either way the caller gets
 * its own copy of the result, asynchronously, and errors of the same class and message.
 *
 * The Corejs callback forms live here (argument rules: protocol/global-object-args.ts); the promise
 * form (`core.global`) is global-object-api.ts over `execute`.
 */
import { InvalidArgumentError, TraceTimeoutError } from '../protocol/errors';
import { MASTER_ID } from '../protocol/process-id';
import {
  parseGetGlobalObjectArgs,
  parseQueryGlobalObjectArgs,
  parseRemoveGlobalObjectArgs,
  parseSetGlobalObjectArgs,
  parseUpdateGlobalObjectArgs,
  type GlobalObjectCallback as ParsedCallback,
} from '../protocol/global-object-args';
import type { Engine } from '../runtime/engine';
import { safeCall } from '../runtime/safe-call';
import type { GlobalObjectStore } from '../runtime/global-object/global-object-store';
import type { GlobalObjectServer, GlobalObjectDone } from '../runtime/global-object/global-object-server';
import { formatKeyPath } from '../runtime/global-object/key-path';
import { GLOBAL_OBJECT_OPS, reviveGlobalError, type GlobalObjectOp, type GlobalObjectRequest } from '../runtime/global-object/global-object-wire';
import { asMaster } from './engine-factory';

/** How the master's global object is made. */
export interface GlobalClientOptions {
  /** Time limit of a query/update function, ms (option `sandboxTimeout`; default 100). */
  sandboxTimeout?: number;
  /** The store to use instead of a new in-memory one (master only). */
  store?: GlobalObjectStore;
}

// What a failed set reports (seed 000: both fields undefined).
const FAILED_SET = Object.freeze({ globalObject: undefined, commandResult: undefined });

/** The global-object operations of one process. */
export class GlobalClient {
  /** The master's server (null in a child). */
  readonly server: GlobalObjectServer | null;

  constructor(
    private readonly engine: Engine,
    options: GlobalClientOptions = {},
  ) {
    const master = asMaster(engine);
    // Through the engine: only the master loads the store, its sandbox and the server (start-up of children).
    this.server = master
      ? new master.services.GlobalObjectServer(master, options.store ?? master.remote?.globalStore(options.sandboxTimeout)
        ?? new master.services.MemoryGlobalObjectStore({ sandbox: { timeoutMs: options.sandboxTimeout } }))
      : null;
  }

  /**
   * Runs one operation wherever the store is; `done` runs exactly once, never synchronously, with
   * a value the caller owns (undefined for a `silent` request).
   */
  execute(op: GlobalObjectOp, request: GlobalObjectRequest, done: GlobalObjectDone): void {
    const server = this.server;
    if (server) {
      server.run(op, request, (err, value) => queueMicrotask(() => done(err, value)));
      return;
    }
    const { req, operation } = GLOBAL_OBJECT_OPS[op];
    const timeout = this.engine.options.traceTimeout;
    this.engine.trace(MASTER_ID, { action: req, payload: request }, timeout, {
      onReply: (res) => (res.error !== undefined ? done(reviveGlobalError(res.error)) : done(null, res.payload)),
      onTimeout: () => done(new TraceTimeoutError(MASTER_ID, describeOperation(operation, request), timeout)),
      onFail: (err) => done(err),
    });
  }

  // ───────────────────────── Corejs callback forms ─────────────────────────

  /** getGlobalObject([keyPath][, ...sliceRange], callBack); without a callback nothing is done. */
  getGlobalObject(args: readonly unknown[]): void {
    const r = this.parse('getGlobalObject', args, () => parseGetGlobalObjectArgs(args), lastFunction(args));
    if (!r) return;
    this.execute('get', { keyPath: r.keyPath, sliceRange: r.sliceRange }, this.deliver('getGlobalObject', r.callBack, undefined));
  }

  /** setGlobalObject(keyPath[, ...value][, callBack]) → callBack(err, { globalObject, commandResult }). */
  setGlobalObject(args: readonly unknown[]): void {
    const r = this.parse('setGlobalObject', args, () => parseSetGlobalObjectArgs(args), lastFunction(args));
    if (!r) return;
    const request: GlobalObjectRequest = { keyPath: r.keyPath, values: r.values };
    if (!r.callBack) request.silent = true;
    this.execute('set', request, this.deliver('setGlobalObject', r.callBack, FAILED_SET));
  }

  /** removeGlobalObject(keyPath[, callBack]) → callBack(err, globalObject). */
  removeGlobalObject(args: readonly unknown[]): void {
    const r = this.parse('removeGlobalObject', args, () => parseRemoveGlobalObjectArgs(args), typeof args[1] === 'function' ? args[1] : null);
    if (!r) return;
    const request: GlobalObjectRequest = { keyPath: r.keyPath };
    if (!r.callBack) request.silent = true;
    this.execute('remove', request, this.deliver('removeGlobalObject', r.callBack, undefined));
  }

  /** queryGlobalObject([context,] [queryFn,] callBack); without a callback nothing is done. */
  queryGlobalObject(args: readonly unknown[]): void {
    const r = this.parse('queryGlobalObject', args, () => parseQueryGlobalObjectArgs(args), lastFunction(args));
    if (!r) return;
    const request: GlobalObjectRequest = {};
    if (r.queryFnSource !== undefined) request.fnSource = r.queryFnSource;
    if (r.context !== undefined) request.context = r.context;
    this.execute('query', request, this.deliver('queryGlobalObject', r.callBack, undefined));
  }

  /** updateGlobalObject([context,] updateFn[, callBack]) → callBack(err, globalObject). */
  updateGlobalObject(args: readonly unknown[]): void {
    // The callback is the third argument, or the second after an updateFn (a context is never a function).
    const cb = args.length === 3 ? args[2] : args.length === 2 && typeof args[0] === 'function' ? args[1] : null;
    const r = this.parse('updateGlobalObject', args, () => parseUpdateGlobalObjectArgs(args), typeof cb === 'function' ? cb : null);
    if (!r) return;
    const request: GlobalObjectRequest = { fnSource: r.updateFnSource };
    if (r.context !== undefined) request.context = r.context;
    if (!r.callBack) request.silent = true;
    this.execute('update', request, this.deliver('updateGlobalObject', r.callBack, undefined));
  }

  /**
   * Parses a Corejs argument list. A wrong argument goes to the callback when one can be found
   * (Corejs style, asynchronously), else it is thrown at the caller; null then, or when the
   * arguments say "do nothing".
   */
  private parse<T>(method: string, args: readonly unknown[], parser: () => T | null, callBack: unknown): T | null {
    try {
      return parser();
    } catch (err) {
      if (method !== 'queryGlobalObject' && method !== 'updateGlobalObject' && typeof args[0] !== 'function') withKeyPath(err, args[0]);
      if (typeof callBack !== 'function') throw err;
      const cb = callBack as ParsedCallback;
      queueMicrotask(() => safeCall(this.engine.options.logger, `${method} callBack`, () => cb(err as Error, method === 'setGlobalObject' ? FAILED_SET : undefined)));
      return null;
    }
  }

  // Hands an outcome to the user's callback (a throw in it is logged, never crashes the process);
  // without a callback a failure is logged, so it is never silent.
  private deliver(method: string, callBack: ParsedCallback | null, failedValue: unknown): GlobalObjectDone {
    const { logger } = this.engine.options;
    if (!callBack) return (err) => { if (err) logger.warn(`${method} failed (no callBack to report to): ${err.message}`); };
    return (err, value) => safeCall(logger, `${method} callBack`, () => (err ? callBack(err, failedValue) : callBack(null, value)));
  }
}

/**
 * Adds the key path to an argument error about another argument (`… (keyPath ["a","b"])`), so every
 * global-object error names the operation and the key path, like the store's own errors.
 */
export function withKeyPath(err: unknown, keyPath: unknown): void {
  if (err instanceof InvalidArgumentError && !err.message.includes("argument 'keyPath'")) err.message += ` (keyPath ${formatKeyPath(keyPath)})`;
}

function lastFunction(args: readonly unknown[]): unknown {
  const last = args[args.length - 1];
  return typeof last === 'function' ? last : null;
}

// `setGlobalObject (keyPath ["a","b"])`: what a time-out names, like every other global-object error.
function describeOperation(operation: string, request: GlobalObjectRequest): string {
  return 'keyPath' in request ? `${operation} (keyPath ${formatKeyPath(request.keyPath)})` : operation;
}
