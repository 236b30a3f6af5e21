import { afterAll, describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { Macros } from '../../../../src/protocol/macros';
import { MemoryGlobalObjectStore, type GlobalObject } from '../../../../src/runtime/global-object/global-object-store';
import { Sandbox } from '../../../../src/runtime/global-object/sandbox';
import { rejectedBy, settled } from '../../../helpers/thrown';

// query/update answer asynchronously (the function runs in the sandbox process): awaited here.
const thrown = (fn: () => unknown): Promise<GlobalObjectError> => rejectedBy(GlobalObjectError, fn);

// One sandbox process for the whole file, re-seeded by each store.
const shared = new Sandbox({ timeoutMs: 30 });
afterAll(() => shared.close());
const store = (initial: GlobalObject = { a: { b: 1 }, list: [1] }) => new MemoryGlobalObjectStore({ initial, sandbox: shared });
const FORBIDDEN = ['__proto__', 'prototype', 'constructor'];

describe('MemoryGlobalObjectStore safety (R-GLOBAL-5)', () => {
  for (const key of FORBIDDEN) {
    it(`R-GLOBAL-5: getGlobalObject refuses "${key}" in the key path`, async () => {
      expect((await thrown(() => store().get(['a', key]))).message).toBe(
        `getGlobalObject: key "${key}" is forbidden (it reaches a prototype, not data) (keyPath ["a","${key}"])`,
      );
      expect((await thrown(() => store().get(key))).message).toMatch(/^getGlobalObject: key .* is forbidden/);
    });

    it(`R-GLOBAL-5: setGlobalObject refuses "${key}" in the key path and inside a value`, async () => {
      const s = store();
      expect((await thrown(() => s.set([key, 'polluted'], [true]))).message).toMatch(new RegExp(`^setGlobalObject: key "${key}" is forbidden`));
      expect((await thrown(() => s.set(['list', key], [1]))).message).toMatch(/is forbidden/);
      const value = JSON.parse(`{"ok":{"${key}":{"polluted":true}}}`) as unknown;
      // An own '__proto__' key is already refused by the JSON-safety check every send makes (R-IPC-2).
      expect((await thrown(() => s.set('x', [value]))).message).toBe(
        key === '__proto__'
          ? `setGlobalObject: values must be JSON-safe (Array, Object, Number, String, Boolean, null): value[0].ok.__proto__ is an own '__proto__' key (it would replace a prototype where the data is copied) (keyPath "x")`
          : `setGlobalObject: value[0].ok.${key}: keys __proto__, prototype and constructor are forbidden (keyPath "x")`,
      );
      expect((await thrown(() => s.set(['list', Macros.CLUSTER_CORE_GLOBAL_OBJECT_ARRAY_PUSH], [value]))).message).toMatch(/value\[0\]\.ok\./);
    });

    it(`R-GLOBAL-5: removeGlobalObject refuses "${key}" in the key path`, async () => {
      expect((await thrown(() => store().remove(['a', key]))).message).toMatch(new RegExp(`^removeGlobalObject: key "${key}" is forbidden`));
    });

    it(`R-GLOBAL-5: updateGlobalObject refuses a result holding "${key}"`, async () => {
      const s = store();
      const source = `() => JSON.parse('{"fine":1,"${key}":{"polluted":true}}')`;
      expect((await thrown(() => s.update(source, undefined))).message).toBe(
        `updateGlobalObject: updateFn returned result.${key}; keys __proto__, prototype and constructor are forbidden`,
      );
      expect(s.get('fine')).toBeUndefined();
    });
  }

  it('R-GLOBAL-5: no write can change the prototype of the global object or of Object.prototype', async () => {
    const s = store();
    await thrown(() => s.update(`() => JSON.parse('{"__proto__":{"polluted":true}}')`, undefined));
    await thrown(() => s.set(['__proto__', 'polluted'], [true]));
    expect(Object.getPrototypeOf(s.get(undefined))).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, string]>([
    ['require', '() => require("child_process")'],
    ['process', '() => process.exit(1)'],
    ['globalThis.process', '() => globalThis.process.exit(1)'],
    ['this.constructor.constructor', 'function () { return this.constructor.constructor("return process")().exit(1) }'],
    ['globalObject.constructor.constructor', '(g) => g.constructor.constructor("return process")().exit(1)'],
    ['context.constructor.constructor', '(g, c) => c.constructor.constructor("return process")().exit(1)'],
    ['arguments.callee', 'function (g) { return arguments.callee.caller }'],
    ['import()', '() => import("node:fs")'],
  ])('R-GLOBAL-5: queryGlobalObject cannot reach the master through %s', async (_label, source) => {
    const err = await thrown(() => store().query(source, {}));
    expect(err.message).toMatch(/^queryGlobalObject: queryFn (threw|returned a Promise)/);
  });

  it('R-GLOBAL-5: updateGlobalObject cannot reach the master either, and changes nothing when it tries', async () => {
    const s = store();
    const before = structuredClone(s.get(undefined));
    const err = await thrown(() => s.update('(g) => ({ pid: globalThis.process.pid })', undefined));
    expect(err.message).toBe("updateGlobalObject: updateFn threw TypeError: Cannot read properties of undefined (reading 'pid')");
    expect(s.get(undefined)).toEqual(before);
  });

  it('R-GLOBAL-5: an endless update is stopped with an error, the store is unchanged, and the next update works', async () => {
    const s = store({ n: 1 });
    const err = await thrown(() => s.update('(g) => { while (true) {} }', undefined));
    expect(err.message).toBe('updateGlobalObject: updateFn ran past the time limit of 30 ms and was stopped; keep it short and synchronous');
    expect(s.get(undefined)).toEqual({ n: 1 });
    expect(await s.update('(g) => ({ n: g.n + 1 })', undefined)).toEqual({ n: 2 });
    expect(await settled(s.query('(g) => g.n * 10', undefined))).toBe(20);
  });

  it('R-GLOBAL-4: a hot updater is compiled once across many updates', async () => {
    const sandbox = new Sandbox();
    const s = new MemoryGlobalObjectStore({ initial: { n: 0 }, sandbox });
    const increment = ((g: { n: number }, c: { by: number }) => ({ n: g.n + c.by })).toString();
    for (let i = 0; i < 50; i++) await s.update(increment, { by: 2 });
    expect(s.get('n')).toBe(100);
    expect(sandbox.compiledCount).toBe(1);
    expect(s.sandbox).toBe(sandbox);
  });
});
