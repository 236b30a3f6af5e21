/**
 * The master's side of the global object (R-GLOBAL): answers the five REQ_*_GLOBAL_OBJECT internal
 * requests of every child, and runs the master's own calls, through one entry point (`run`), so all
 * operations apply one at a time in the order the master receives them (linearizable).
 *
 *   W:n ──REQ_SET_GLOBAL_OBJECT { keyPath, values }──► M: store.set ──► RES_SET_GLOBAL_OBJECT { payload | error }
 *   M (its own call) ────────────────────────────────► M: store.set ──► done(err, value)
 *
 * A memory store answers synchronously, so an operation is applied the moment it arrives. A store
 * that answers with a promise (a future Redis store) is serialised through a queue instead.
 * What an operation returns is copied at once: a queued IPC reply is serialised later, and by then
 * the next operation may have changed the store.
 */
import type { Envelope } from '../../protocol/envelope';
import { GlobalObjectError, describe } from '../../protocol/errors';
import { cloneJson, isPlainObject } from '../../protocol/json-safe';
import type { Engine } from '../engine';
import type { GlobalObjectStore, SetGlobalObjectResult } from './global-object-store';
import { keyPathError } from './key-path';
import { GLOBAL_OBJECT_OPS, globalErrorToWire, type GlobalObjectOp, type GlobalObjectRequest } from './global-object-wire';

/** Completion of one operation: an error, or the operation's result (a copy, owned by the caller). */
export type GlobalObjectDone = (error: Error | null, value?: unknown) => void;

/** Applies global-object operations in arrival order, for the master and for its children. */
export class GlobalObjectServer {
  /** Last queued operation while the store answers asynchronously; null when nothing waits. */
  private tail: Promise<void> | null = null;

  constructor(
    private readonly engine: Engine,
    /** Where the global object lives. */
    readonly store: GlobalObjectStore,
  ) {
    for (const op of Object.keys(GLOBAL_OBJECT_OPS) as GlobalObjectOp[]) {
      engine.handleInternal(GLOBAL_OBJECT_OPS[op].req, (env) => this.onRequest(op, env));
    }
  }

  /**
   * Runs `op` after every operation received before it; `done` runs exactly once (synchronously
   * with a synchronous store) and gets a deep copy the caller may keep or hand to user code.
   */
  run(op: GlobalObjectOp, request: GlobalObjectRequest, done: GlobalObjectDone): void {
    if (this.tail === null) {
      const pending = this.attempt(op, request, done);
      if (pending) this.chain(pending);
    } else {
      this.chain(this.tail.then(() => this.attempt(op, request, done)));
    }
  }

  private chain(pending: Promise<void>): void {
    const tail: Promise<void> = pending.then(() => {
      if (this.tail === tail) this.tail = null;
    });
    this.tail = tail;
  }

  // Applies one operation; returns a promise only when the store answered with one.
  private attempt(op: GlobalObjectOp, request: GlobalObjectRequest, done: GlobalObjectDone): Promise<void> | undefined {
    let result: unknown;
    try {
      result = apply(this.store, op, request);
    } catch (err) {
      done(asError(err));
      return undefined;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => done(null, snapshot(op, request, value)),
        (err: unknown) => done(asError(err)),
      );
    }
    done(null, snapshot(op, request, result));
    return undefined;
  }

  // One REQ_* message of a child. Nothing it carries can throw past here: a malformed request is
  // answered with an error like any failed operation.
  private onRequest(op: GlobalObjectOp, env: Envelope): void {
    const { res, operation } = GLOBAL_OBJECT_OPS[op];
    const from = env.meta.fromProcessId;
    const answer: GlobalObjectDone = (error, value) => {
      if (env.meta.traceId === null) {
        // Nobody waits for an answer to a one-way request; say why it was not applied, if it was not.
        if (error) this.engine.options.logger.warn(`${operation} from ${from} failed: ${error.message}`);
        return;
      }
      if (error) this.engine.replyInternal(env, { action: res, error: globalErrorToWire(error) });
      else if (value === undefined) this.engine.replyInternal(env, { action: res });
      else this.engine.replyInternal(env, { action: res, payload: value });
    };
    const request = checkRequest(op, env.data.payload, from);
    if (request instanceof Error) answer(request);
    else this.run(op, request, answer);
  }
}

function apply(store: GlobalObjectStore, op: GlobalObjectOp, r: GlobalObjectRequest): unknown {
  switch (op) {
    case 'get': return store.get(r.keyPath, r.sliceRange ?? []);
    case 'set': return store.set(r.keyPath, r.values ?? []);
    case 'remove': return store.remove(r.keyPath);
    case 'query': return store.query(r.fnSource, r.context);
    case 'update': return store.update(r.fnSource as string, r.context);
  }
}

// The caller's own copy of a result (the store returns references into its data); nothing at all
// when the caller asked for none.
function snapshot(op: GlobalObjectOp, request: GlobalObjectRequest, result: unknown): unknown {
  if (request.silent === true) return undefined;
  if (op === 'set') {
    const { globalObject, commandResult } = result as SetGlobalObjectResult;
    return { globalObject: cloneJson(globalObject), commandResult: cloneJson(commandResult) };
  }
  // A query function's result was made from JSON text inside the sandbox: it is already a copy.
  if (op === 'query' && request.fnSource !== undefined) return result;
  return cloneJson(result);
}

/** Checks the shape of a request that came over IPC; the store checks what the fields mean. */
function checkRequest(op: GlobalObjectOp, payload: unknown, from: string): GlobalObjectRequest | GlobalObjectError {
  const { operation } = GLOBAL_OBJECT_OPS[op];
  if (payload === undefined && (op === 'get' || op === 'query')) return {};
  const bad = (field: string, expected: string, value: unknown) => {
    const problem = `malformed request from ${from}: ${field} must be ${expected}, got ${describe(value)}`;
    return op === 'query' || op === 'update' || !isPlainObject(payload)
      ? new GlobalObjectError(`${operation}: ${problem}`)
      : keyPathError(operation, payload.keyPath, problem);
  };
  if (!isPlainObject(payload)) return bad('the payload', 'an object', payload);
  const r = payload as GlobalObjectRequest;
  if (r.sliceRange !== undefined && !Array.isArray(r.sliceRange)) return bad('sliceRange', 'an array', r.sliceRange);
  if (op === 'set' && !Array.isArray(r.values)) return bad('values', 'an array', r.values);
  if (op === 'update' && typeof r.fnSource !== 'string') return bad('fnSource', 'the source text of a function', r.fnSource);
  if (op === 'query' && r.fnSource !== undefined && typeof r.fnSource !== 'string') return bad('fnSource', 'the source text of a function or absent', r.fnSource);
  if (r.silent !== undefined && typeof r.silent !== 'boolean') return bad('silent', 'a boolean', r.silent);
  return r;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new GlobalObjectError(String(err));
}
