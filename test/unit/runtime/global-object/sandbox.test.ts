import { describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { DEFAULT_SANDBOX_TIMEOUT_MS, SandboxRunner } from '../../../../src/runtime/global-object/sandbox-runner';
import { thrownBy } from '../../../helpers/thrown';

const thrown = (fn: () => unknown): GlobalObjectError => thrownBy(GlobalObjectError, fn);

const CALLER = 'queryGlobalObject: queryFn';
const sandbox = () => new SandboxRunner({ timeoutMs: 50 });

describe('SandboxRunner: what a function may be', () => {
  it('R-GLOBAL-4: runs an arrow function with (globalObject, context)', () => {
    expect(sandbox().run('(g, c) => g.a + c.b', { a: 1 }, { b: 2 }, CALLER)).toBe(3);
  });

  it('R-GLOBAL-4: runs function expressions, named or not, and fn.toString() of real functions', () => {
    const s = sandbox();
    expect(s.run('function (g) { return g.a * 2 }', { a: 2 }, undefined, CALLER)).toBe(4);
    expect(s.run('function named(g) { return g.a * 3 }', { a: 2 }, undefined, CALLER)).toBe(6);
    const real = (g: { a: number }) => g.a - 1; // trailing comment survives: see below
    expect(s.run(real.toString(), { a: 2 }, undefined, CALLER)).toBe(1);
    expect(s.run('(g) => g.a // a trailing line comment', { a: 5 }, undefined, CALLER)).toBe(5);
  });

  it('R-GLOBAL-4: runs method shorthand, as fn.toString() gives it for an object method', () => {
    const holder = {
      update(g: { n: number }, c: { by: number }) {
        return { n: g.n + c.by };
      },
    };
    expect(holder.update.toString()).toMatch(/^update\(/);
    expect(sandbox().run(holder.update.toString(), { n: 1 }, { by: 2 }, CALLER)).toEqual({ n: 3 });
  });

  it('R-GLOBAL-4: a function returning a Promise or a thenable is refused as not synchronous', () => {
    const s = sandbox();
    for (const source of ['async (g) => g', '(g) => Promise.resolve(1)', '(g) => ({ then() {} })']) {
      expect(thrown(() => s.run(source, {}, undefined, CALLER)).message).toBe(
        `${CALLER} returned a Promise or thenable; it must be synchronous and return its result directly`,
      );
    }
  });

  it('R-GLOBAL-4: a closure over an outer variable fails with the ReferenceError naming it', () => {
    const outerLimit = 3;
    const fn = (g: { n: number }) => g.n < outerLimit;
    const err = thrown(() => sandbox().run(fn.toString(), { n: 1 }, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} threw ReferenceError: outerLimit is not defined`);
    expect(err.cause).toBeInstanceOf(ReferenceError);
    expect((err.cause as Error).message).toBe('outerLimit is not defined');
  });

  it('R-GLOBAL-4: a thrown non-error value and a custom error name are reported', () => {
    const s = sandbox();
    expect(thrown(() => s.run('() => { throw "boom" }', {}, undefined, CALLER)).message).toBe(`${CALLER} threw Error: boom`);
    const err = thrown(() => s.run('() => { const e = new Error("no stock"); e.name = "StockError"; throw e }', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} threw StockError: no stock`);
    expect((err.cause as Error).name).toBe('StockError');
  });

  it('R-GLOBAL-4: sources that are not functions are refused', () => {
    const s = sandbox();
    expect(thrown(() => s.run('42', {}, undefined, CALLER)).message).toBe(`${CALLER}: its source evaluates to number, not a function`);
    const syntax = thrown(() => s.run('(g) => {', {}, undefined, CALLER));
    expect(syntax.message).toMatch(/^queryGlobalObject: queryFn: its source is not a function expression, an arrow function or a method/);
    expect(syntax.cause).toBeInstanceOf(SyntaxError);
  });

  it('R-GLOBAL-4: the result comes back through JSON', () => {
    const s = sandbox();
    expect(s.run('() => undefined', {}, undefined, CALLER)).toBeUndefined();
    expect(s.run('() => new Date(0)', {}, undefined, CALLER)).toBe('1970-01-01T00:00:00.000Z');
    expect(s.run('() => ({ a: undefined, b: NaN })', {}, undefined, CALLER)).toEqual({ b: null });
    expect(thrown(() => s.run('() => 1n', {}, undefined, CALLER)).message).toMatch(/returned a value JSON cannot represent: TypeError/);
    expect(thrown(() => s.run('() => { const o = {}; o.o = o; return o }', {}, undefined, CALLER)).message).toMatch(/circular/);
  });

  it('R-GLOBAL-4: the function gets copies; editing them changes nothing outside', () => {
    const globalObject = { list: [1] };
    const context = { n: 1 };
    sandbox().run('(g, c) => { g.list.push(2); c.n = 2; }', globalObject, context, CALLER);
    expect(globalObject).toEqual({ list: [1] });
    expect(context).toEqual({ n: 1 });
  });
});

describe('SandboxRunner: isolation (R-GLOBAL-5)', () => {
  it.each<[string, string]>([
    ['require', '() => require("fs")'],
    ['process', '() => process.pid'],
    ['module', '() => module.exports'],
    ['setTimeout', '() => setTimeout(() => 0, 1)'],
    ['Buffer', '() => Buffer.from("x")'],
  ])('R-GLOBAL-5: %s is not defined inside', (name, source) => {
    expect(thrown(() => sandbox().run(source, {}, undefined, CALLER)).message).toBe(`${CALLER} threw ReferenceError: ${name} is not defined`);
  });

  it('R-GLOBAL-5: globalThis has no process, require or master global', () => {
    (globalThis as Record<string, unknown>).__masterSecret = 'secret';
    try {
      const seen = sandbox().run(
        '() => [typeof globalThis.process, typeof globalThis.require, typeof globalThis.__masterSecret, typeof globalThis.global]',
        {},
        undefined,
        CALLER,
      );
      expect(seen).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
    } finally {
      delete (globalThis as Record<string, unknown>).__masterSecret;
    }
  });

  it.each<[string, string]>([
    ['globalObject.constructor.constructor', '(g) => g.constructor.constructor("return process")()'],
    ['context.constructor.constructor', '(g, c) => c.constructor.constructor("return process")()'],
    ['globalThis.constructor.constructor', '() => globalThis.constructor.constructor("return process")()'],
    ['an array\'s constructor', '(g) => g.list.constructor.constructor("return process")()'],
    ['Function', '() => Function("return process")()'],
    ['eval', '() => eval("process")'],
  ])('R-GLOBAL-5: %s cannot build code that reaches process', (_label, source) => {
    const err = thrown(() => sandbox().run(source, { list: [] }, {}, CALLER));
    expect(err.message).toBe(`${CALLER} threw EvalError: Code generation from strings disallowed for this context`);
  });

  it('R-GLOBAL-5: the arguments belong to the sandbox realm, so their constructors are the sandbox\'s own', () => {
    const source = '(g, c) => g.constructor === Object && c.list.constructor === Array && g.constructor.constructor === Function';
    expect(sandbox().run(source, {}, { list: [] }, CALLER)).toBe(true);
  });

  it('R-GLOBAL-5: this is undefined, so this.constructor.constructor is out of reach', () => {
    const err = thrown(() => sandbox().run('function () { return this.constructor.constructor("return process")() }', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} threw TypeError: Cannot read properties of undefined (reading 'constructor')`);
  });

  it('R-GLOBAL-5: arguments.callee and fn.caller are refused (strict mode)', () => {
    const s = sandbox();
    expect(thrown(() => s.run('function () { return arguments.callee }', {}, undefined, CALLER)).cause).toBeInstanceOf(TypeError);
    expect(thrown(() => s.run('function f() { return f.caller }', {}, undefined, CALLER)).cause).toBeInstanceOf(TypeError);
  });

  it('R-GLOBAL-5: a global set by one call is gone in the next', () => {
    const s = sandbox();
    expect(s.run('() => { globalThis.leak = 1; return typeof leak }', {}, undefined, CALLER)).toBe('number');
    expect(s.run('() => typeof leak', {}, undefined, CALLER)).toBe('undefined');
    expect(thrown(() => s.run('() => { implicitGlobal = 1 }', {}, undefined, CALLER)).message).toMatch(/ReferenceError: implicitGlobal is not defined/);
  });

  it('R-GLOBAL-5: a replaced built-in global is put back after the call', () => {
    const s = sandbox();
    expect(s.run('() => { JSON = null; Math = null; return 1 }', {}, undefined, CALLER)).toBe(1);
    expect(s.run('(g) => JSON.stringify(g) + Math.max(1, 2)', { a: 1 }, undefined, CALLER)).toBe('{"a":1}2');
  });

  it('R-GLOBAL-5: built-in prototypes are frozen, so no call can change them for the next', () => {
    const s = sandbox();
    expect(thrown(() => s.run('() => { Object.prototype.toJSON = () => "pwned" }', {}, undefined, CALLER)).cause).toBeInstanceOf(TypeError);
    expect(thrown(() => s.run('() => { Array.prototype.push = null }', {}, undefined, CALLER)).cause).toBeInstanceOf(TypeError);
    expect(s.run('(g) => { g.list.push(2); return g }', { list: [1] }, undefined, CALLER)).toEqual({ list: [1, 2] });
  });

  it('R-GLOBAL-5: ordinary assignments to inherited names still work on instances', () => {
    const source = '() => { const o = {}; o.toString = () => "custom"; const e = new TypeError("m"); e.message = "changed"; return [String(o), e.message] }';
    expect(sandbox().run(source, {}, undefined, CALLER)).toEqual(['custom', 'changed']);
  });
});

describe('SandboxRunner: promises never reach the master (R-GLOBAL-5)', () => {
  // An unhandled rejection ends a Node process by default: one from a sandboxed function must not.
  it.each<[string, string]>([
    ['Promise.reject', '() => { Promise.reject(new Error("floating")); return "kept serving" }'],
    ['an async function that throws', '() => { (async () => { throw new Error("async") })(); return "kept serving" }'],
    ['import()', '() => { import("node:fs"); return "kept serving" }'],
    ['a subclass of Promise', '() => { class P extends Promise {} P.reject(new Error("sub")); return "kept serving" }'],
    ['Promise.any of nothing', '() => { Promise.any([]); return "kept serving" }'],
  ])('R-GLOBAL-5: a rejected promise made with %s raises no unhandledRejection in the master', async (_label, source) => {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', listener);
    try {
      expect(sandbox().run(source, {}, undefined, CALLER)).toBe('kept serving');
      // Node reports unhandled rejections at the end of the current turn, before immediates run.
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('R-GLOBAL-5: an async function that throws is refused as not synchronous, with no unhandledRejection', async () => {
    const seen: unknown[] = [];
    const listener = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', listener);
    try {
      expect(thrown(() => sandbox().run('async () => { throw new Error("x") }', {}, undefined, CALLER)).message).toMatch(/must be synchronous/);
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('R-GLOBAL-5: promises the function handles itself still behave normally inside', () => {
    const source = '() => { let out = "unset"; Promise.reject(new Error("e")).catch((e) => { out = e.message; }); return out }';
    // Promise jobs run after the function returns, so the result is taken before the catch runs.
    expect(sandbox().run(source, {}, undefined, CALLER)).toBe('unset');
  });
});

describe('SandboxRunner: time limit (R-GLOBAL-5)', () => {
  it('R-GLOBAL-5: an endless loop is stopped with a clear error, and the next call works', () => {
    const s = new SandboxRunner({ timeoutMs: 30 });
    const err = thrown(() => s.run('(g) => { while (true) {} }', {}, undefined, 'updateGlobalObject: updateFn'));
    expect(err.message).toBe('updateGlobalObject: updateFn ran past the time limit of 30 ms and was stopped; keep it short and synchronous');
    expect((err.cause as { code?: string }).code).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
    expect(s.run('(g) => ({ n: g.n + 1 })', { n: 1 }, undefined, 'updateGlobalObject: updateFn')).toEqual({ n: 2 });
  });

  it('R-GLOBAL-5: a blocking Atomics.wait is stopped by the time limit too', () => {
    const s = sandbox();
    expect(thrown(() => s.run('() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)', {}, undefined, CALLER)).message).toMatch(/time limit of 50 ms/);
    expect(s.run('() => 1', {}, undefined, CALLER)).toBe(1);
  });

  it('R-GLOBAL-5: the default time limit is 100 ms', () => {
    const s = new SandboxRunner();
    expect(s.timeoutMs).toBe(DEFAULT_SANDBOX_TIMEOUT_MS);
    expect(DEFAULT_SANDBOX_TIMEOUT_MS).toBe(100);
    expect(thrown(() => s.run('() => { for (;;) {} }', {}, undefined, CALLER)).message).toMatch(/time limit of 100 ms/);
  });

  it('R-GLOBAL-5: an endless loop in a promise job is stopped too, not left to block the master', () => {
    const s = sandbox();
    const err = thrown(() => s.run('() => { Promise.resolve().then(() => { while (true) {} }); return 1 }', {}, undefined, CALLER));
    expect(err.message).toMatch(/ran past the time limit/);
    expect(s.run('() => "alive"', {}, undefined, CALLER)).toBe('alive');
  });

  it('R-GLOBAL-5: a getter on the thrown value or on the result runs under the time limit', () => {
    const s = sandbox();
    expect(thrown(() => s.run('() => { throw { get message() { for (;;) {} } } }', {}, undefined, CALLER)).message).toMatch(/time limit/);
    expect(thrown(() => s.run('() => ({ get x() { for (;;) {} } })', {}, undefined, CALLER)).message).toMatch(/time limit/);
    expect(thrown(() => s.run('() => ({ get then() { for (;;) {} } })', {}, undefined, CALLER)).message).toMatch(/time limit/);
  });

  it('R-GLOBAL-5: a loop in the source itself (not a plain function) is stopped while compiling', () => {
    const s = sandbox();
    expect(thrown(() => s.run('(() => { for (;;) {} })()', {}, undefined, CALLER)).message).toMatch(/time limit/);
  });

  it('R-GLOBAL-5: a crafted source that changes globals while compiling is refused', () => {
    const s = sandbox();
    const err = thrown(() => s.run('0, Object.defineProperty(globalThis, "stuck", { value: 1 }), () => 1', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER}: evaluating its source changed the sandbox's globals; send a plain function`);
    expect(s.run('() => typeof stuck', {}, undefined, CALLER)).toBe('undefined');
  });

  it('R-GLOBAL-5: invalid options are refused', () => {
    expect(() => new SandboxRunner({ timeoutMs: 0 })).toThrow(/option timeoutMs must be a positive number/);
    expect(() => new SandboxRunner({ cacheSize: 0 })).toThrow(/option cacheSize must be a positive integer/);
  });
});

describe('SandboxRunner: compile cache', () => {
  it('R-GLOBAL-4: a source is compiled once, however often it runs', () => {
    const s = sandbox();
    for (let i = 0; i < 20; i++) s.run('(g, c) => ({ n: g.n + c })', { n: i }, 1, CALLER);
    expect(s.compiledCount).toBe(1);
    s.run('(g) => g', {}, undefined, CALLER);
    expect(s.compiledCount).toBe(2);
    expect(s.cachedCount).toBe(2);
  });

  it('R-GLOBAL-4: the cache is bounded and drops the least recently used source', () => {
    const s = new SandboxRunner({ timeoutMs: 50, cacheSize: 2 });
    const run = (source: string) => s.run(source, {}, undefined, CALLER);
    run('() => "a"');
    run('() => "b"');
    run('() => "a"'); // a is now more recent than b
    run('() => "c"'); // evicts b
    expect(s.compiledCount).toBe(3);
    expect(s.cachedCount).toBe(2);
    run('() => "a"');
    expect(s.compiledCount).toBe(3);
    run('() => "b"');
    expect(s.compiledCount).toBe(4);
  });

  it('R-GLOBAL-5: a time-out replaces the realm, so cached sources are compiled again', () => {
    const s = sandbox();
    s.run('() => 1', {}, undefined, CALLER);
    thrown(() => s.run('() => { for (;;) {} }', {}, undefined, CALLER));
    expect(s.cachedCount).toBe(0);
    // On a busy machine the loop may have been retried (starved runs are): count from here.
    const compiled = s.compiledCount;
    expect(s.run('() => 1', {}, undefined, CALLER)).toBe(1);
    expect(s.compiledCount).toBe(compiled + 1);
  });
});
