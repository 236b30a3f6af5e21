/**
 * Runs the query/update functions of the global object (R-GLOBAL-4, R-GLOBAL-5) from their source
 * text, so a function sees `(globalObject, context)` and plain JS built-ins and nothing of the
 * master: no `require`, no `process`, no outer variables (a closure fails with its ReferenceError).
 * The isolation itself lives in sandbox-realm.ts; this file compiles, caches and times. It is
 * synchronous and runs inside the sandbox process (sandbox-host.ts), never in the master: see
 * sandbox.ts for why.
 *
 * - Every entry into the realm has the time limit; a function that runs past it is stopped, the
 *   realm (possibly half-changed) is replaced, and the next call works as before.
 * - Sources are compiled once and kept by their text in a bounded least-recently-used cache, so a
 *   hot updater is not recompiled on every call. Replacing the realm empties the cache.
 * - Sources are compiled in strict mode: `arguments.callee` and implicit globals are errors.
 * - Accepted sources: function expressions and arrow functions, tried as `(src)`; then method
 *   shorthand (`update(g, c) { … }`, what `{ update(g, c) {} }.update.toString()` gives), tried as
 *   `({src})` with the one property's value taken.
 * - The result comes back through JSON: a Date becomes its string, NaN becomes null, an undefined
 *   property disappears; a BigInt or a cycle is an error.
 */
import vm from 'node:vm';
import { GlobalObjectError } from '../../protocol/errors';
import { SANDBOX_FILENAME, SandboxRealm, type RealmFunction, type RunOutcome } from './sandbox-realm';

/** Options of a SandboxRunner. */
export interface SandboxRunnerOptions {
  /** Longest a function may run, in ms (default 100). */
  timeoutMs?: number;
  /** Most compiled sources kept, least recently used dropped first (default 256). */
  cacheSize?: number;
  /**
   * Whether the runner stops a run itself with node:vm's time limit (default true). That limit
   * starts a watchdog thread per call (~0.1-0.3 ms); the sandbox thread turns it off because its
   * host stops a late run by terminating the thread instead (sandbox-host.ts).
   */
  enforceTimeout?: boolean;
}

/** Default time limit of a sandboxed function, in ms. */
export const DEFAULT_SANDBOX_TIMEOUT_MS = 100;
/** Default number of compiled sources kept. */
export const DEFAULT_SANDBOX_CACHE_SIZE = 256;
/**
 * Times a run that hit the (wall-clock) time limit while using under half of it in CPU time is
 * tried again: on a loaded machine the master can be descheduled for 100 ms in a trivial
 * function, and an aborted run changed nothing, so running it again is invisible. An endless loop
 * burns CPU for the whole limit and is never retried.
 */
export const STARVED_RUN_RETRIES = 2;

const HOST_ERRORS: ReadonlyMap<string, ErrorConstructor> = new Map(
  [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((E) => [E.name, E]),
);

/** What a caller that keeps the time itself is told by `runJson`. */
export interface SandboxClock {
  /** Timed work starts (compiling a new source, or the function itself). */
  start(): void;
  /** Timed work stopped; untimed work (parsing the arguments) follows. */
  pause(): void;
}

/** Runs function sources against a JSON snapshot of the global object, with a time limit. */
export class SandboxRunner {
  /** Time limit of one run, in ms. */
  readonly timeoutMs: number;
  /** Most compiled sources kept. */
  readonly cacheSize: number;
  /** Whether runs are stopped at `timeoutMs` by the runner itself. */
  readonly enforceTimeout: boolean;
  private realm: SandboxRealm | null = null;
  // Map order is use order: the first key is the least recently used.
  private readonly cache = new Map<string, RealmFunction>();
  private compiled = 0;

  constructor(options: SandboxRunnerOptions = {}) {
    const { timeoutMs = DEFAULT_SANDBOX_TIMEOUT_MS, cacheSize = DEFAULT_SANDBOX_CACHE_SIZE, enforceTimeout = true } = options;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new GlobalObjectError(`SandboxRunner: option timeoutMs must be a positive number of ms, got ${String(timeoutMs)}`);
    }
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) {
      throw new GlobalObjectError(`SandboxRunner: option cacheSize must be a positive integer, got ${String(cacheSize)}`);
    }
    this.timeoutMs = timeoutMs;
    this.cacheSize = cacheSize;
    this.enforceTimeout = enforceTimeout !== false;
  }

  // The time limit handed to node:vm: none when someone else stops late runs.
  private get limit(): number | undefined {
    return this.enforceTimeout ? this.timeoutMs : undefined;
  }

  /** How many sources have been compiled so far (a cache hit does not count). */
  get compiledCount(): number {
    return this.compiled;
  }

  /** How many compiled sources are cached now. */
  get cachedCount(): number {
    return this.cache.size;
  }

  /**
   * Runs `source` as `fn(globalObject, context)` and returns its result as JSON makes it (undefined
   * when it returns nothing). `caller` starts every error message (`updateGlobalObject: updateFn`).
   * `globalObject` and `context` must be JSON-safe; the function sees copies.
   */
  run(source: string, globalObject: unknown, context: unknown, caller: string): unknown {
    return this.runJson(source, JSON.stringify(globalObject), context, caller);
  }

  /**
   * `run` with the global object given as its JSON text (the host caches its replica's). For a
   * runner that does not enforce its time limit, `clock` says what the caller must time: from
   * `start` to `pause` (compiling a new source: a crafted one runs code) and from `start` to the
   * end (the function); parsing the arguments in between is not timed.
   */
  runJson(source: string, globalJson: string, context: unknown, caller: string, clock?: SandboxClock): unknown {
    return this.runText(source, globalJson, context === undefined ? undefined : JSON.stringify(context), caller, clock);
  }

  /** `runJson` with the context given as its JSON text too (the master makes it when it asks for the run). */
  runText(source: string, globalJson: string, contextJson: string | undefined, caller: string, clock?: SandboxClock): unknown {
    let outcome: RunOutcome;
    for (let attempt = 0; ; attempt++) {
      // Compiled again after a time-out: the realm, and the functions compiled in it, were replaced.
      const miss = !this.cache.has(source);
      if (miss) clock?.start();
      const fn = this.compile(source, caller);
      if (miss) clock?.pause();
      // Only a runner that stops runs itself retries a starved one (a syscall per run otherwise wasted).
      const cpuBefore = this.enforceTimeout ? process.cpuUsage() : undefined;
      try {
        this.enter(caller, (realm) => realm.load(globalJson, contextJson));
        clock?.start();
        outcome = this.enter(caller, (realm) => realm.invoke(fn, this.limit));
        break;
      } catch (err) {
        if (!isTimeout(err) || !cpuBefore || attempt >= STARVED_RUN_RETRIES) throw err;
        const cpu = process.cpuUsage(cpuBefore);
        if ((cpu.user + cpu.system) / 1000 >= this.timeoutMs / 2) throw err;
      }
    }
    if (!outcome.clean) this.reset();
    switch (outcome.kind) {
      case 'ok':
        return outcome.json === undefined ? undefined : (JSON.parse(outcome.json) as unknown);
      case 'async':
        throw new GlobalObjectError(`${caller} returned a Promise or thenable; it must be synchronous and return its result directly`);
      case 'threw':
        throw new GlobalObjectError(`${caller} threw ${errorText(outcome)}`, { cause: toHostError(outcome) });
      default:
        throw new GlobalObjectError(`${caller} returned a value JSON cannot represent: ${errorText(outcome)}`, { cause: toHostError(outcome) });
    }
  }

  private compile(source: string, caller: string): RealmFunction {
    const hit = this.cache.get(source);
    if (hit) {
      this.cache.delete(source);
      this.cache.set(source, hit);
      return hit;
    }
    const script = toScript(source, caller);
    const fn = this.enter(caller, (realm) => realm.evaluate(script, this.limit));
    // Evaluating a well-formed function has no effects; a crafted source might, so check.
    if (!this.enter(caller, (realm) => realm.restore(this.limit))) {
      this.reset();
      throw new GlobalObjectError(`${caller}: evaluating its source changed the sandbox's globals; send a plain function`);
    }
    if (typeof fn !== 'function') {
      throw new GlobalObjectError(`${caller}: its source evaluates to ${fn === null ? 'null' : typeof fn}, not a function`);
    }
    this.compiled++;
    this.cache.set(source, fn as RealmFunction);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    return fn as RealmFunction;
  }

  // Every entry into the realm goes through here. The function's own throws are caught inside the
  // realm, so what arrives here is a time-out or a broken realm: either way the realm is replaced.
  private enter<T>(caller: string, action: (realm: SandboxRealm) => T): T {
    this.realm ??= new SandboxRealm();
    try {
      return action(this.realm);
    } catch (err) {
      this.reset();
      if ((err as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new GlobalObjectError(`${caller} ran past the time limit of ${this.timeoutMs} ms and was stopped; keep it short and synchronous`, { cause: err });
      }
      throw new GlobalObjectError(`${caller} failed in the sandbox: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  // Compiled functions belong to their realm, so the cache goes with it.
  private reset(): void {
    this.realm = null;
    this.cache.clear();
  }
}

// A time-out as enter() reports it.
function isTimeout(err: unknown): boolean {
  return err instanceof GlobalObjectError && (err.cause as { code?: unknown } | undefined)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

function toScript(source: string, caller: string): vm.Script {
  // The newline before ')' keeps a trailing line comment of the source from eating the parenthesis.
  try {
    return new vm.Script(`'use strict';(${source}\n)`, { filename: SANDBOX_FILENAME });
  } catch (first) {
    try {
      return new vm.Script(
        `'use strict';(() => { const o = ({${source}\n}); const k = Reflect.ownKeys(o);` +
          ` return k.length === 1 ? Object.getOwnPropertyDescriptor(o, k[0]).value : undefined; })()`,
        { filename: SANDBOX_FILENAME },
      );
    } catch {
      const reason = first instanceof Error ? first.message : String(first);
      throw new GlobalObjectError(`${caller}: its source is not a function expression, an arrow function or a method (${reason})`, { cause: first });
    }
  }
}

function errorText(outcome: RunOutcome): string {
  const e = outcome.error;
  return e ? (e.message ? `${e.name}: ${e.message}` : e.name) : 'an unknown error';
}

// A host-realm copy of the sandbox error (same class when it is a standard one), for `cause`.
function toHostError(outcome: RunOutcome): Error {
  const e = outcome.error ?? { name: 'Error', message: '', stack: '' };
  const error = new (HOST_ERRORS.get(e.name) ?? Error)(e.message);
  if (!HOST_ERRORS.has(e.name)) error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
