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
const SLOT = { load: '__cc_load', invoke: '__cc_invoke', restore: '__cc_restore', fn: '__cc_fn', globalObject: '__cc_g', context: '__cc_c' } as const;

/**
 * Most bytes of ArrayBuffer / typed-array memory one run may ask for (summed over the run). That
 * memory lives outside the V8 heap, so the sandbox process's heap limit does not bound it:
 * `new Float64Array(2e8)` alone is 1.6 GB.
 */
export const SANDBOX_MAX_BUFFER_BYTES = 64 * 1024 * 1024;

// Runs once per realm, before any user code. It captures what `invoke` needs (so replacing a global
// cannot break it), freezes every built-in reachable from the global (so one call cannot leave
// state on Object.prototype for the next), caps the off-heap memory a run may allocate (typed
// arrays, ArrayBuffer, SharedArrayBuffer; WebAssembly is removed), and returns the entry points:
// - load(globalJson, contextJson): parses the arguments inside, outside the time limit (a large
//   store must not eat the function's budget);
// - invoke(fn): calls fn with what load parsed, refuses a thenable, makes the result's JSON text
//   inside, describes a thrown value inside, then restores globals;
// - restore(): deletes added globals and puts replaced ones back; false when it cannot;
// - mute(promise): gives a promise a rejection handler that does nothing (see `evaluate`).
// Kept as text, not a compiled TS function, so no transform can inject host references into it.
const SETUP = new vm.Script(String.raw`'use strict';
(() => {
  const G = globalThis;
  const { parse, stringify } = JSON;
  const { freeze, defineProperty, getOwnPropertyDescriptor, getPrototypeOf, is } = Object;
  const { ownKeys, apply, construct } = Reflect;

  // Off-heap memory: every constructor that allocates a backing store is wrapped so a run asks for
  // at most MAX_BYTES in all; derived arrays (slice, map, subarray, from) go through the species
  // constructor, which is the wrapper, because prototype.constructor is replaced too.
  const MAX_BYTES = ${SANDBOX_MAX_BUFFER_BYTES};
  let charged = 0;
  const charge = (bytes) => {
    const n = Number(bytes);
    if (!(n > 0)) return;
    charged += n;
    if (charged > MAX_BYTES) throw new RangeError('a sandboxed function may allocate at most ' + MAX_BYTES + ' bytes of ArrayBuffer and typed-array memory');
  };
  const isBuffer = (v) => v instanceof G.ArrayBuffer || v instanceof G.SharedArrayBuffer;
  const capped = (Original, bytesOf) => {
    const wrapper = new Proxy(Original, {
      construct(target, args, newTarget) {
        charge(bytesOf(args));
        return construct(target, args, newTarget === wrapper ? target : newTarget);
      },
    });
    defineProperty(Original.prototype, 'constructor', { value: wrapper, writable: true, enumerable: false, configurable: true });
    G[Original.name] = wrapper;
  };
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer']) {
    if (typeof G[name] !== 'function') continue;
    capped(G[name], ([length, options]) => {
      const max = options !== null && typeof options === 'object' ? Number(options.maxByteLength) : 0;
      return Math.max(Number(length) || 0, max || 0);
    });
  }
  for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
    'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
    const T = G[name];
    capped(T, ([arg]) => {
      if ((typeof arg !== 'object' && typeof arg !== 'function') || arg === null) return Number(arg) * T.BYTES_PER_ELEMENT;
      if (isBuffer(arg)) return 0;
      return Number(arg.length) * T.BYTES_PER_ELEMENT;
    });
  }
  delete G.WebAssembly;

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
  let loaded = null;
  const load = (globalJson, contextJson) => {
    loaded = [parse(globalJson), contextJson === undefined ? undefined : parse(contextJson)];
  };
  const call = (fn) => {
    let result;
    try {
      const args = loaded;
      loaded = null;
      if (args === null) throw new Error('nothing was loaded for this run');
      result = fn(args[0], args[1]);
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
  const invoke = (fn) => {
    charged = 0;
    const outcome = call(fn);
    return stringify({ ...outcome, clean: restore() });
  };
  const then = Promise.prototype.then;
  const ignore = () => {};
  const mute = (promise) => { try { apply(then, promise, [undefined, ignore]); } catch {} };
  return { load, invoke, restore: () => stringify(restore()), mute };
})()`, { filename: 'clustercore:sandbox-setup' });

const LOAD = new vm.Script(`${SLOT.load}(${SLOT.globalObject}, ${SLOT.context})`, { filename: SANDBOX_FILENAME });
const INVOKE = new vm.Script(`${SLOT.invoke}(${SLOT.fn})`, { filename: SANDBOX_FILENAME });
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
  private readonly loadEntry: unknown;
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
    const entry = SETUP.runInContext(this.context) as { load: unknown; invoke: unknown; restore: unknown; mute: (promise: Promise<unknown>) => void };
    this.loadEntry = entry.load;
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
  evaluate(script: vm.Script, timeoutMs: number | undefined): unknown {
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
      return script.runInContext(this.context, timeoutMs === undefined ? undefined : { timeout: timeoutMs });
    } finally {
      stop();
    }
  }

  /**
   * Parses the arguments of the next `invoke` inside the realm, without a time limit: that work is
   * proportional to the store, not to the function, and runs in the sandbox process, not the master.
   */
  load(globalJson: string, contextJson: string | undefined): void {
    const { slots } = this;
    slots[SLOT.load] = this.loadEntry;
    slots[SLOT.globalObject] = globalJson;
    slots[SLOT.context] = contextJson;
    try {
      LOAD.runInContext(this.context);
    } finally {
      slots[SLOT.globalObject] = slots[SLOT.context] = undefined;
    }
  }

  /** Calls `fn` with what `load` parsed, inside the realm, within `timeoutMs` (no limit: undefined). */
  invoke(fn: RealmFunction, timeoutMs: number | undefined): RunOutcome {
    const { slots } = this;
    // Set on every run: the previous function may have overwritten these globals.
    slots[SLOT.invoke] = this.invokeEntry;
    slots[SLOT.fn] = fn;
    try {
      return JSON.parse(String(this.evaluate(INVOKE, timeoutMs))) as RunOutcome;
    } finally {
      slots[SLOT.fn] = undefined;
    }
  }

  /** Puts the realm's globals back as they were after setup; false when that is impossible. */
  restore(timeoutMs: number | undefined): boolean {
    this.slots[SLOT.restore] = this.restoreEntry;
    return this.evaluate(RESTORE, timeoutMs) === 'true';
  }
}
