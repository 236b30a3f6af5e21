/**
 * The master's side of the global object (R-GLOBAL): answers the five REQ_*_GLOBAL_OBJECT internal
 * requests of every child, and runs the master's own calls, through one entry point (`run`), so all
 * operations apply one at a time in the order the master receives them (linearizable).
 *
 *   W:n ──REQ_SET_GLOBAL_OBJECT { keyPath, values }──► M: store.set ──► RES_SET_GLOBAL_OBJECT { payload | error }
 *   M (its own call) ────────────────────────────────► M: store.set ──► done(err, value)
 *
 * A memory store answers get/set/remove synchronously, so they apply the moment they arrive. A
 * store that answers with a promise (an update, a future Redis store) is serialised through a
 * queue: later operations wait for it. A `Later` answer (a query already ordered by the store)
 * does not hold anything up; only its reply comes later.
 * What an operation returns is copied at once: a queued IPC reply is serialised later, and by then
 * the next operation may have changed the store.
 * Every failure reaches the caller as a GlobalObjectError (a RangeError of the store is wrapped),
 * and a reply that cannot be written is answered with an error saying so, never dropped.
 */
import type { Envelope } from '../../protocol/envelope';
import { GlobalObjectError, describe } from '../../protocol/errors';
import { cloneJson, isPlainObject } from '../../protocol/json-safe';
import type { Engine } from '../engine';
import { Later, type GlobalObjectStore, type SetGlobalObjectResult } from './global-object-store';
import { keyPathError } from './key-path';
import { GLOBAL_OBJECT_OPS, globalErrorToWire, type GlobalObjectOp, type GlobalObjectRequest } from './global-object-wire';

/** Completion of one operation: an error, or the operation's result (a copy, owned by the caller). */
export type GlobalObjectDone = (error: Error | null, value?: unknown) => void;

/** Applies global-object operations in arrival order, for the master and for its children. */
export class GlobalObjectServer {
  /** Settles once every operation started so far is done; null when nothing is in progress. */
  private tail: Promise<void> | null = null;
  /** Operations chained behind `tail`, not started yet. */
  private waiting = 0;
  /** Whether the store was asked to prepare for functions (on a child's first query or update). */
  private prepared = false;

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
    // A store that orders functions when they are called takes a query/update at once even while
    // earlier ones run, unless some other operation already waits for them (it must go first).
    const ordered = this.store.ordersFunctions === true && (op === 'update' || (op === 'query' && request.fnSource !== undefined));
    if (this.tail === null || (ordered && this.waiting === 0)) {
      const pending = this.attempt(op, request, done);
      if (pending) this.chain(this.tail === null ? pending : Promise.all([this.tail, pending]).then(() => undefined));
    } else {
      this.waiting++;
      this.chain(this.tail.then(() => {
        this.waiting--;
        return this.attempt(op, request, done);
      }));
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
      done(asError(op, err));
      return undefined;
    }
    const settle = (value: unknown) => {
      let copy: unknown;
      try {
        copy = snapshot(this.store, op, request, value);
      } catch (err) {
        done(asError(op, err));
        return;
      }
      done(null, copy);
    };
    if (result instanceof Later) {
      result.promise.then(settle, (err: unknown) => done(asError(op, err)));
      return undefined;
    }
    if (isThenable(result)) return Promise.resolve(result).then(settle, (err: unknown) => done(asError(op, err)));
    settle(result);
    return undefined;
  }

  // One REQ_* message of a child. Nothing it carries can throw past here: a malformed request is
  // answered with an error like any failed operation.
  private onRequest(op: GlobalObjectOp, env: Envelope): void {
    // The group runs functions: the sandbox starts now, in the background. Not on a get or set:
    // a group that never runs a function never gets the extra process (measured, bench f: starting it
    // on the first get cut get/s from 0.6x to 0.3x raw while it started).
    if (!this.prepared && (op === 'query' || op === 'update')) {
      this.prepared = true;
      this.store.prepare?.();
    }
    const { res, operation } = GLOBAL_OBJECT_OPS[op];
    const from = env.meta.fromProcessId;
    const answer: GlobalObjectDone = (error, value) => {
      if (env.meta.traceId === null) {
        // Nobody waits for an answer to a one-way request; say why it was not applied, if it was not.
        if (error) this.engine.options.logger.warn(`${operation} from ${from} failed: ${error.message}`);
        return;
      }
      // A reply that cannot be written (a value JSON cannot carry, a closed channel) is answered
      // with a small error instead, so the requester learns why rather than waiting for its time-out.
      const failed = (err: Error | null) => {
        if (!err) return;
        const reason = new GlobalObjectError(`${operation}: the reply to ${from} could not be written: ${err.message}`, { cause: err });
        this.engine.replyInternal(env, { action: res, error: globalErrorToWire(reason) }, (again) => {
          if (again) this.engine.options.logger.warn(`${reason.message}; reporting it failed too: ${again.message}`);
        });
      };
      if (error) this.engine.replyInternal(env, { action: res, error: globalErrorToWire(error) }, failed);
      else if (value === undefined) this.engine.replyInternal(env, { action: res }, failed);
      else this.engine.replyInternal(env, { action: res, payload: value }, failed);
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
function snapshot(store: GlobalObjectStore, op: GlobalObjectOp, request: GlobalObjectRequest, result: unknown): unknown {
  if (request.silent === true) return undefined;
  if (op === 'set') {
    const { globalObject, commandResult } = result as SetGlobalObjectResult;
    return { globalObject: cloneJson(globalObject), commandResult: cloneJson(commandResult) };
  }
  // A query function's result was made from JSON text inside the sandbox, and a memory store's
  // update answers with the copy it took at its merge: both are copies already.
  if (op === 'query' && request.fnSource !== undefined) return result;
  if (op === 'update' && store.ordersFunctions === true) return result;
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

// Every failure of the store as a GlobalObjectError: a bare RangeError (a stack overflow in a copy)
// is wrapped, with the operation named and the original as its cause.
function asError(op: GlobalObjectOp, err: unknown): Error {
  if (err instanceof GlobalObjectError) return err;
  const { operation } = GLOBAL_OBJECT_OPS[op];
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new GlobalObjectError(`${operation} failed in the store: ${text}`, { cause: err });
}
