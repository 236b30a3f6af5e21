/**
 * The hardened `node:vm` realm the global-object sandbox runs functions in (R-GLOBAL-5). One realm
 * is reused across calls (a new context costs ~2 ms), so this file makes reuse safe: see the setup
 * script below. The host only ever puts strings and realm-made values into the realm, and only
 * ever takes strings out of it.
 */
import { promiseHooks } from 'node:v8';
import vm from 'node:vm';

/** File name shown in the stack traces of sandboxed functions. */
export const SANDBOX_FILENAME = 'clustercore:global-object-function';

// Globals the host sets before each run; the realm's clean-up leaves them alone.
const SLOT = { invoke: '__cc_invoke', restore: '__cc_restore', fn: '__cc_fn', globalObject: '__cc_g', context: '__cc_c' } as const;

// Runs once per realm, before any user code. It captures what `invoke` needs (so replacing a global
// cannot break it), freezes every built-in reachable from the global (so one call cannot leave
// state on Object.prototype for the next), and returns the two entry points:
// - invoke(fn, globalJson, contextJson): parses the arguments inside, calls fn, refuses a thenable,
//   makes the result's JSON text inside, describes a thrown value inside, then restores globals;
// - restore(): deletes added globals and puts replaced ones back; false when it cannot;
// - mute(promise): gives a promise a rejection handler that does nothing (see `evaluate`).
// Kept as text, not a compiled TS function, so no transform can inject host references into it.
const SETUP = new vm.Script(String.raw`'use strict';
(() => {
  const G = globalThis;
  const { parse, stringify } = JSON;
  const { freeze, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, is } = Object;
  const { ownKeys, apply } = Reflect;
  const slots = new Set(${JSON.stringify(Object.values(SLOT))});
  const baseline = new Map();
  for (const key of ownKeys(G)) if (!slots.has(key)) baseline.set(key, G[key]);

  // Freezing a prototype makes assignment of an inherited name fail (err.name = 'X'); for the names
  // code commonly assigns, an accessor defines an own property on the instance instead.
  const errors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError, AggregateError];
  const overridable = [
    [Object.prototype, ['constructor', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable']],
    [Function.prototype, ['toString']],
    ...errors.map((E) => [E.prototype, ['name', 'message', 'toString']]),
  ];
  for (const [proto, names] of overridable) {
    for (const name of names) {
      const desc = getOwnPropertyDescriptor(proto, name);
      if (!desc || !('value' in desc)) continue;
      const value = desc.value;
      defineProperty(proto, name, {
        get() { return value; },
        set(next) {
          if (this === proto) throw new TypeError('Cannot assign to read only property ' + name + ' of a built-in');
          defineProperty(this, name, { value: next, writable: true, enumerable: true, configurable: true });
        },
        enumerable: desc.enumerable,
        configurable: false,
      });
    }
  }
  const seen = new Set([G]);
  const todo = [...baseline.values(), getPrototypeOf(G)];
  while (todo.length > 0) {
    const v = todo.pop();
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) continue;
    seen.add(v);
    try { freeze(v); } catch {}
    todo.push(getPrototypeOf(v));
    for (const key of ownKeys(v)) {
      const d = getOwnPropertyDescriptor(v, key);
      todo.push(d.value, d.get, d.set);
    }
  }

  const restore = () => {
    let clean = true;
    for (const key of ownKeys(G)) {
      if (baseline.has(key) || slots.has(key)) continue;
      try { if (!delete G[key]) clean = false; } catch { clean = false; }
    }
    for (const [key, value] of baseline) {
      if (is(G[key], value)) continue;
      try { G[key] = value; } catch {}
      if (!is(G[key], value)) clean = false;
    }
    return clean;
  };
  const describe = (e) => {
    try {
      if ((typeof e !== 'object' && typeof e !== 'function') || e === null) return { name: 'Error', message: String(e), stack: '' };
      const { name, message, stack } = e;
      return { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '', stack: typeof stack === 'string' ? stack : '' };
    } catch {
      return { name: 'Error', message: 'a thrown value that cannot be described', stack: '' };
    }
  };
  const call = (fn, globalJson, contextJson) => {
    let result;
    try {
      result = fn(parse(globalJson), contextJson === undefined ? undefined : parse(contextJson));
      if ((typeof result === 'object' || typeof result === 'function') && result !== null && typeof result.then === 'function') return { kind: 'async' };
    } catch (e) {
      return { kind: 'threw', error: describe(e) };
    }
    try {
      return { kind: 'ok', json: stringify(result) };
    } catch (e) {
      return { kind: 'unserialisable', error: describe(e) };
    }
  };
  const invoke = (fn, globalJson, contextJson) => {
    const outcome = call(fn, globalJson, contextJson);
    return stringify({ ...outcome, clean: restore() });
  };
  const then = Promise.prototype.then;
  const ignore = () => {};
  const mute = (promise) => { try { apply(then, promise, [undefined, ignore]); } catch {} };
  return { invoke, restore: () => stringify(restore()), mute };
})()`, { filename: 'clustercore:sandbox-setup' });

const INVOKE = new vm.Script(`${SLOT.invoke}(${SLOT.fn}, ${SLOT.globalObject}, ${SLOT.context})`, { filename: SANDBOX_FILENAME });
const RESTORE = new vm.Script(`${SLOT.restore}()`, { filename: SANDBOX_FILENAME });

/** What one run reports; made of strings and booleans only (parsed from the realm's JSON text). */
export interface RunOutcome {
  /** ok: returned `json`; async: returned a thenable; threw / unserialisable: see `error`. */
  kind: 'ok' | 'async' | 'threw' | 'unserialisable';
  /** JSON text of the result; absent when the function returned undefined (or a function). */
  json?: string;
  /** The thrown error, described inside the realm. */
  error?: { name: string; message: string; stack: string };
  /** False when the realm's globals could not be put back: the realm must be replaced. */
  clean: boolean;
}

/** A function made inside a realm; the host stores it and hands it back, never calls it. */
export type RealmFunction = (...args: never[]) => unknown;

/**
 * One hardened realm. Every method may throw the host error of `runInContext` (a time-out has
 * code ERR_SCRIPT_EXECUTION_TIMEOUT); after such a throw the realm must not be used again.
 */
export class SandboxRealm {
  private readonly context: vm.Context;
  // Backs the realm's global. Null prototype: `this.constructor` inside finds no host class.
  private readonly slots: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private readonly invokeEntry: unknown;
  private readonly restoreEntry: unknown;
  private readonly mute: (promise: Promise<unknown>) => void;
  private muting = false;

  constructor() {
    this.context = vm.createContext(this.slots, {
      name: 'clustercore global-object sandbox',
      codeGeneration: { strings: false, wasm: false },
      // Promise jobs run before runInContext returns, under its time limit, not later in the master.
      microtaskMode: 'afterEvaluate',
    });
    // Made by our own script before any user code runs: reading its two properties is safe.
    const entry = SETUP.runInContext(this.context) as { invoke: unknown; restore: unknown; mute: (promise: Promise<unknown>) => void };
    this.invokeEntry = entry.invoke;
    this.restoreEntry = entry.restore;
    this.mute = entry.mute;
  }

  /**
   * Runs a compiled script in the realm and returns its completion value.
   * A promise rejected in the realm with no handler (`(async () => { throw e })()`, `import('fs')`)
   * would reach the master as an unhandledRejection, which by default ends the process. So while
   * the script runs, every promise the realm creates gets a do-nothing rejection handler; the
   * promise hook is on only for that time, so the master's own promises never pay for it.
   */
  evaluate(script: vm.Script, timeoutMs: number): unknown {
    const stop = promiseHooks.onInit((promise) => {
      // The handler's own derived promise comes back through this hook: skip it.
      if (this.muting || promise instanceof Promise) return;
      this.muting = true;
      try {
        this.mute(promise);
      } finally {
        this.muting = false;
      }
    });
    try {
      return script.runInContext(this.context, { timeout: timeoutMs });
    } finally {
      stop();
    }
  }

  /** Calls `fn(JSON.parse(globalJson), JSON.parse(contextJson))` inside the realm. */
  invoke(fn: RealmFunction, globalJson: string, contextJson: string | undefined, timeoutMs: number): RunOutcome {
    const { slots } = this;
    // Set on every run: the previous function may have overwritten these globals.
    slots[SLOT.invoke] = this.invokeEntry;
    slots[SLOT.fn] = fn;
    slots[SLOT.globalObject] = globalJson;
    slots[SLOT.context] = contextJson;
    try {
      return JSON.parse(String(this.evaluate(INVOKE, timeoutMs))) as RunOutcome;
    } finally {
      slots[SLOT.fn] = slots[SLOT.globalObject] = slots[SLOT.context] = undefined;
    }
  }

  /** Puts the realm's globals back as they were after setup; false when that is impossible. */
  restore(timeoutMs: number): boolean {
    this.slots[SLOT.restore] = this.restoreEntry;
    return this.evaluate(RESTORE, timeoutMs) === 'true';
  }
}
