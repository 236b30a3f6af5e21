/**
 * The sandbox's time limit is wall-clock (node:vm); a run that hit it while using little CPU (the
 * master was descheduled on a loaded machine) is run again, invisibly, instead of failing a
 * trivial function. A sleeping function (Atomics.wait: wall time without CPU) stands in for a
 * descheduled one; each retry compiles the source again in a fresh realm, which compiledCount shows.
 */
import { describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { SandboxRunner, STARVED_RUN_RETRIES } from '../../../../src/runtime/global-object/sandbox-runner';

describe('SandboxRunner time limit under starvation', () => {
  it('R-GLOBAL-5: a run past the limit with little CPU used is retried, then fails with the time-limit error', () => {
    const sandbox = new SandboxRunner({ timeoutMs: 50 });
    const sleeper = '() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 80); return 1; }';
    expect(() => sandbox.run(sleeper, {}, undefined, 'queryGlobalObject: queryFn')).toThrow(GlobalObjectError);
    expect(() => sandbox.run(sleeper, {}, undefined, 'queryGlobalObject: queryFn')).toThrow('queryGlobalObject: queryFn ran past the time limit of 50 ms');
    // First call: 1 + STARVED_RUN_RETRIES compilations; same again for the second call.
    expect(sandbox.compiledCount).toBe(2 * (1 + STARVED_RUN_RETRIES));
  });

  it('R-GLOBAL-5: an endless loop burns CPU for the whole limit and is not retried', () => {
    const sandbox = new SandboxRunner({ timeoutMs: 50 });
    expect(() => sandbox.run('() => { for (;;) {} }', {}, undefined, 'updateGlobalObject: updateFn')).toThrow('updateGlobalObject: updateFn ran past the time limit of 50 ms');
    expect(sandbox.compiledCount).toBe(1);
    // And the sandbox works as before afterwards.
    expect(sandbox.run('(g) => g.a + 1', { a: 1 }, undefined, 'queryGlobalObject: queryFn')).toBe(2);
  });
});
