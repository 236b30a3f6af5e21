/**
 * R-GLOBAL-1..6 on a real cluster, each rule run in the master (no IPC) and from a worker (through
 * the master): test/fixtures/global-object/rules.ts runs the same steps in the process named by
 * its argument and reports each; these tests check the reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

interface Run {
  step(name: string): Report;
  final: Report;
  done: Report;
}

// One run per actor, shared by the describe blocks that need it (the fixture runs every step once).
const runs = new Map<string, Promise<Run>>();
function runRules(actor: string): Promise<Run> {
  let run = runs.get(actor);
  if (!run) runs.set(actor, (run = startRules(actor)));
  return run;
}

async function startRules(actor: string): Promise<Run> {
  const c = startCluster(fixture('global-object/rules'), [actor]);
  await c.waitForReport('done', undefined, 60_000);
  const reports = c.reports<Report>();
  const steps = new Map(reports.filter((r) => r.event === 'step' && r.actor === actor).map((r) => [r.step as string, r]));
  return {
    step(name) {
      const r = steps.get(name);
      if (!r) throw new Error(`no report of step ${name}\n${c.output()}`);
      expect(r.thrown, `step ${name} threw`).toBeUndefined();
      return r;
    },
    final: reports.find((r) => r.event === 'master-final')!,
    done: reports.find((r) => r.event === 'actor-done')!,
  };
}

const WHOLE = { a: { b: 1, c: { d: 'deep' } }, list: [0, 1, 2, 3, 4, 5], n: 7 };

/** Expects a GlobalObjectError of `operation` naming `keyPath`, and (for failing steps) an untouched store. */
function expectStoreError(r: Report, operation: string, keyPath: string | null, className = 'GlobalObjectError'): void {
  expect(r.error, JSON.stringify(r)).not.toBeNull();
  expect(r.error.name).toBe(className);
  expect(r.error.className).toBe(className);
  expect(r.error.message.startsWith(`${operation}: `)).toBe(true);
  if (keyPath !== null) expect(r.error.message).toContain(`(keyPath ${keyPath})`);
  // A failed write must leave the store as it was: every failing set/remove/update step reads the
  // store back before and after (probe.ts failing()). A read cannot change it; where one was checked
  // all the same, it must not have.
  if (operation === 'getGlobalObject' || operation === 'queryGlobalObject') expect(r.unchanged, 'the store changed').not.toBe(false);
  else expect(r.unchanged, `${operation} step without a before/after check, or the store changed`).toBe(true);
}

describe.each(['M', 'W:1'])('global object, called in %s', (actor) => {
  let run: Run;
  beforeAll(async () => {
    run = await runRules(actor);
  }, 70_000);

  it('R-GLOBAL-1: getGlobalObject — empty forms, keys, paths, missing last key, bad steps, SLICE, copies, no callback', () => {
    for (const form of ['absent', 'null', 'undefined', 'NaN', "''", '[]', '{}']) {
      expect(run.step(`get-empty:${form}`), form).toMatchObject({ error: null, value: WHOLE, arity: 2 });
    }
    expect(run.step('get-key')).toMatchObject({ error: null, value: 7 });
    expect(run.step('get-path')).toMatchObject({ error: null, value: 'deep' });
    expect(run.step('get-instance-form')).toMatchObject({ error: null, value: 7 });
    const missing = run.step('get-missing-last');
    expect(missing.error).toBeNull();
    expect(missing.value).toBeUndefined();
    expectStoreError(run.step('get-missing-step'), 'getGlobalObject', '["nope","x"]');
    expect(run.step('get-missing-step').error.message).toContain('key "nope" does not exist');
    expect(run.step('get-missing-step').value).toBeUndefined();
    const nonObject = run.step('get-non-object-step');
    expectStoreError(nonObject, 'getGlobalObject', '["n","x"]');
    expect(nonObject.error.message).toMatch(/"n" .*not an object|is not an object|non-object/);
    expect(nonObject.value).toBeUndefined();
    expect(run.step('get-slice')).toMatchObject({ error: null, value: [1] });
    expect(run.step('get-slice-all')).toMatchObject({ error: null, value: [0, 1, 2, 3, 4, 5] });
    expect(run.step('get-slice-negative')).toMatchObject({ error: null, value: [4, 5] });
    expectStoreError(run.step('get-slice-not-array'), 'getGlobalObject', '["a","@@cc/array:slice"]');
    // The caller's value is a copy: changing it changed nothing in the store.
    expect(run.step('get-copy')).toMatchObject({ error: null, value: { b: 1, c: { d: 'deep' } } });
    // Without a callback nothing is done: no IPC frame (worker), no store call (master).
    expect(run.step('get-no-callback').value).toBe(0);
  });

  it('R-GLOBAL-2: setGlobalObject — last value written, paths, { globalObject, commandResult }, no callback', () => {
    const value = run.step('set-value');
    expect(value).toMatchObject({ error: null, arity: 2 });
    expect(value.value.globalObject).toMatchObject({ ...WHOLE, k: 'v' });
    expect(value.value).not.toHaveProperty('commandResult'); // undefined (dropped by JSON in the report)
    expect(run.step('set-last-of-values').value.globalObject.k2).toBe(3);
    expect(run.step('set-path').value.globalObject.a).toEqual({ b: 1, c: { d: 'deep' }, e: { f: true } });
    expect(run.step('set-array-append').value.globalObject.list).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(run.step('set-no-callback')).toMatchObject({ error: null, value: 42 });
    // Failures: the detail is { globalObject: undefined, commandResult: undefined } and the store is untouched.
    for (const [name, keyPath] of [['set-missing-parent', '["nope","x"]'], ['set-non-object-parent', '["n","x"]'], ['set-past-end', '["list",99]'], ['set-no-value', '"k3"']] as const) {
      const r = run.step(name);
      expectStoreError(r, 'setGlobalObject', keyPath);
      expect(r.value, name).toEqual({});
    }
    expectStoreError(run.step('set-bad-value'), 'setGlobalObject', '"k4"', 'InvalidArgumentError');
    expectStoreError(run.step('set-bad-value-no-callback'), 'setGlobalObject', '"k4"', 'InvalidArgumentError');
  });

  it('R-GLOBAL-2: array commands POP, PUSH, FILL, SHIFT, SPLICE, UNSHIFT, REVERSE, COPYWITHIN with their results', () => {
    const cmd = (name: string) => {
      const r = run.step(name);
      expect(r.error, name).toBeNull();
      return { q: r.value.globalObject.q, result: r.value.commandResult };
    };
    expect(cmd('cmd-push')).toEqual({ q: ['a', 'b', 'c'], result: 3 });
    expect(cmd('cmd-pop')).toEqual({ q: ['a', 'b'], result: 'c' });
    expect(cmd('cmd-unshift')).toEqual({ q: ['z', 'a', 'b'], result: 3 });
    expect(cmd('cmd-shift')).toEqual({ q: ['a', 'b'], result: 'z' });
    expect(cmd('cmd-splice')).toEqual({ q: ['x', 'y', 'b'], result: ['a'] });
    expect(cmd('cmd-reverse')).toEqual({ q: ['b', 'y', 'x'], result: ['b', 'y', 'x'] });
    expect(cmd('cmd-fill')).toEqual({ q: ['b', 'f', 'f'], result: ['b', 'f', 'f'] });
    expect(cmd('cmd-copywithin')).toEqual({ q: [4, 5, 3, 4, 5], result: [4, 5, 3, 4, 5] });
    expect(cmd('cmd-pop-empty')).toEqual({ q: [], result: undefined });
    expectStoreError(run.step('cmd-on-non-array'), 'setGlobalObject', '["n","@@cc/array:push"]');
    expectStoreError(run.step('cmd-slice-in-set'), 'setGlobalObject', '["list","@@cc/array:slice"]');
    expectStoreError(run.step('cmd-not-last'), 'setGlobalObject', '["@@cc/array:push","q"]');
    expectStoreError(run.step('cmd-bad-args'), 'setGlobalObject', '["list","@@cc/array:fill"]');
  });

  it('R-GLOBAL-3: removeGlobalObject — delete, splice for an array index, missing last key is a no-op, bad steps fail', () => {
    expect(run.step('remove-key').value.a).toEqual({ b: 1, c: { d: 'deep' } });
    expect(run.step('remove-index').value.r).toEqual([10, 30]);
    expect(run.step('remove-string-index').value.r).toEqual([30]);
    expect(run.step('remove-missing-last')).toMatchObject({ error: null });
    expect(run.step('remove-top').value).not.toHaveProperty('k2');
    expect(run.step('remove-no-callback').value).not.toHaveProperty('quiet');
    expectStoreError(run.step('remove-missing-step'), 'removeGlobalObject', '["nope","x"]');
    expect(run.step('remove-missing-step').value).toBeUndefined();
    const nonObject = run.step('remove-non-object-step');
    expectStoreError(nonObject, 'removeGlobalObject', '["n","x"]');
    expect(nonObject.error.message).toMatch(/"n" .*not an object|is not an object|non-object/);
    expect(nonObject.value).toBeUndefined();
  });

  it('R-GLOBAL-4: queryGlobalObject — whole object, (queryFn, cb), (context, queryFn, cb), no callback, throws, reads only', () => {
    expect(run.step('query-whole').value).toEqual(run.step('remove-no-callback').value);
    expect(run.step('query-fn')).toMatchObject({ error: null, value: [7, true] });
    expect(run.step('query-context')).toMatchObject({ error: null, value: 21 });
    expect(run.step('query-no-callback').value).toBe(0);
    const throws = run.step('query-throws');
    expectStoreError(throws, 'queryGlobalObject', null);
    expect(throws.error).toMatchObject({ causeName: 'TypeError', causeClass: 'TypeError' });
    expect(throws.error.message).toContain('TypeError: nope');
    // A query works on a copy: what it changed is not in the store.
    const readOnly = run.step('query-does-not-write');
    expect(readOnly.value).toBe(-1);
    expect(readOnly.after.n).toBe(7);
  });

  it('R-GLOBAL-4: updateGlobalObject — every argument form, merged with Object.assign, a throw changes nothing', () => {
    expect(run.step('update-fn-only').value.u1).toBe(1);
    expect(run.step('update-context-fn').value.n).toBe(9);
    expect(run.step('update-fn-cb').value).toMatchObject({ u2: 9, ctxWasUndefined: true });
    expect(run.step('update-context-fn-no-cb').value.u3).toBe('x');
    const merged = run.step('update-merge').value;
    expect(merged).toMatchObject({ only: 1, n: 9, u1: 1, a: { b: 1 } });
    expect(run.step('update-null')).toMatchObject({ error: null, unchanged: true });
    expect(run.step('update-syntax-method').value.viaMethod).toBe(9);
    const boom = run.step('update-throws');
    expectStoreError(boom, 'updateGlobalObject', null);
    expect(boom.error.message).toContain('Error: boom');
    expectStoreError(run.step('update-returns-non-object'), 'updateGlobalObject', null);
    expectStoreError(run.step('update-returns-promise'), 'updateGlobalObject', null);
  });

  it('R-GLOBAL-4: closures fail with a ReferenceError passed to the callback (GlobalObjectError, cause ReferenceError)', () => {
    for (const [name, operation] of [['update-closure', 'updateGlobalObject'], ['query-closure', 'queryGlobalObject']] as const) {
      const r = run.step(name);
      expectStoreError(r, operation, null);
      expect(r.error).toMatchObject({ causeName: 'ReferenceError', causeClass: 'ReferenceError' });
      expect(r.error.message).toContain('ReferenceError: outer is not defined');
    }
  });

  it('R-GLOBAL-4: argument errors reach the callback, or are thrown when there is none', () => {
    expectStoreError(run.step('bad-context'), 'queryGlobalObject', null, 'InvalidArgumentError');
    expectStoreError(run.step('bad-update-fn'), 'updateGlobalObject', null, 'InvalidArgumentError');
    expectStoreError(run.step('bad-remove-callback'), 'removeGlobalObject', null, 'InvalidArgumentError');
  });

  it('R-GLOBAL-5: __proto__, prototype and constructor are refused in paths, written values and update results', () => {
    expectStoreError(run.step('forbidden-get'), 'getGlobalObject', '["__proto__"]');
    expectStoreError(run.step('forbidden-get-nested'), 'getGlobalObject', '["a","constructor"]');
    expectStoreError(run.step('forbidden-set'), 'setGlobalObject', '["prototype"]');
    expectStoreError(run.step('forbidden-set-nested'), 'setGlobalObject', '["a","__proto__"]');
    expectStoreError(run.step('forbidden-remove'), 'removeGlobalObject', '["constructor"]');
    // An own '__proto__' key in a value is refused on send, by the JSON-safety check (R-IPC-2), naming the argument.
    const protoValue = run.step('forbidden-value');
    expectStoreError(protoValue, 'setGlobalObject', '"p"', 'InvalidArgumentError');
    expect(protoValue.error.message).toContain("setGlobalObject: argument 'value' must be JSON-safe (Array, Object, Number, String, Boolean, null): value[0].__proto__ is an own '__proto__' key");
    expectStoreError(run.step('forbidden-update-result'), 'updateGlobalObject', null);
    expectStoreError(run.step('forbidden-update-nested'), 'updateGlobalObject', null);
    // Nothing reached the master's prototypes.
    expect(run.final).toMatchObject({ polluted: null, hacked: null });
  });

  it('R-GLOBAL-5: the sandbox reaches no require, process or master global; built-ins are frozen', () => {
    expect(run.step('sandbox-require').value).toBe('undefined');
    expect(run.step('sandbox-process').value).toBe('undefined');
    expect(run.step('sandbox-globals').value).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    expect(run.step('sandbox-function-constructor').value).toBe('refused EvalError');
    expect(run.step('sandbox-this').value).toBe('undefined');
    const frozen = run.step('sandbox-builtins-frozen');
    expectStoreError(frozen, 'updateGlobalObject', null);
    expect(frozen.error.causeName).toBe('TypeError');
    expect(frozen.cleanAfter).toBe(true);
  });

  it('R-GLOBAL-5: an endless loop is stopped at the time limit with an error, and the master keeps serving', () => {
    for (const [name, operation] of [['sandbox-endless-update', 'updateGlobalObject'], ['sandbox-endless-query', 'queryGlobalObject']] as const) {
      const r = run.step(name);
      expectStoreError(r, operation, null);
      expect(r.error.message).toContain('ran past the time limit of 100 ms');
    }
    expect(run.step('after-endless')).toMatchObject({ error: null, value: 9 });
  });

  it('R-GLOBAL-6: core.global.get / set / remove / query / update resolve like the callback forms', () => {
    expect(run.step('p-get-whole').value).toEqual(run.step('update-syntax-method').value);
    expect(run.step('p-get-path').value).toBe('deep');
    expect(run.step('p-get-slice').value).toEqual([0, 1]);
    expect(run.step('p-set').value.globalObject.ps).toBe(1);
    expect(run.step('p-set-push').value).toEqual([1, 3, [{ job: 1 }, { job: 2 }, { job: 3 }]]);
    expect(run.step('p-remove').value).not.toHaveProperty('ps');
    expect(run.step('p-query').value).toBe(10);
    expect(run.step('p-query-whole').value).toEqual(run.step('p-remove').value);
    expect(run.step('p-update').value.seen).toBe(2);
  });

  it('R-GLOBAL-6: core.global rejects with the same errors (operation, key path, cause) and never throws at the call', () => {
    expectStoreError(run.step('p-get-missing-step'), 'getGlobalObject', '["nope","x"]');
    expectStoreError(run.step('p-set-error'), 'setGlobalObject', '["nope","x"]');
    expectStoreError(run.step('p-remove-error'), 'removeGlobalObject', '["n","x"]');
    const closure = run.step('p-update-closure');
    expectStoreError(closure, 'updateGlobalObject', null);
    expect(closure.error.causeName).toBe('ReferenceError');
    expect(run.step('p-query-error').error).toMatchObject({ name: 'GlobalObjectError', causeName: 'RangeError' });
    const bad: Record<string, string> = run.step('p-bad-args').value;
    expect(Object.keys(bad)).toHaveLength(7);
    for (const [name, outcome] of Object.entries(bad)) expect(outcome, name).toMatch(/^InvalidArgumentError: global\.(get|set|remove|query|update): /);
    expect(bad['set-bad-value']).toContain('(keyPath "x")');
  });

  it('ISSUE-4: every callback is called exactly once', () => {
    expect(run.done.extraCalls).toEqual([]);
  });
});

describe('global object, malformed requests from a worker', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runRules('W:1');
  }, 70_000);

  it('ISSUE-4: a malformed request is answered with a GlobalObjectError naming the operation; the master and the store are untouched', () => {
    const names = ['set-garbage', 'set-values-not-array', 'get-garbage', 'get-slice-not-array', 'get-keypath-object', 'remove-null',
      'update-fn-number', 'update-not-a-function', 'update-syntax-error', 'update-escape', 'query-silent-not-bool'];
    for (const name of names) {
      const r = run.step(`malformed-${name}`);
      expect(r.unchanged, name).toBe(true);
      expect(r.value.error.name, name).toBe('GlobalObjectError');
      expect(r.value.error.message, name).toMatch(/^(get|set|remove|query|update)GlobalObject: /);
    }
    expect(run.step('malformed-set-garbage').value.error.message).toBe('setGlobalObject: malformed request from W:1: the payload must be an object, got "garbage"');
    expect(run.step('malformed-update-escape').value.error.cause).toEqual({ name: 'ReferenceError', message: 'process is not defined' });
    // A one-way malformed request is dropped with a log line; the master answers the next request.
    expect(run.step('malformed-one-way').value).toHaveProperty('n', 9);
    expect(run.final).toMatchObject({ polluted: null, hacked: null });
  });
});
