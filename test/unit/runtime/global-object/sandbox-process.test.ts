/**
 * The master's Sandbox (R-GLOBAL-4, R-GLOBAL-5, issue 14): functions run in a sandbox process, so
 * nothing they call can hold the master's event loop, and a late run is stopped whatever it does.
 * Uses the compiled host in dist/ (npm test builds first).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { STARVED_RUN_RETRIES, Sandbox } from '../../../../src/runtime/global-object/sandbox';
import { rejectedBy } from '../../../helpers/thrown';

const CALLER = 'queryGlobalObject: queryFn';
const thrown = (fn: () => unknown): Promise<GlobalObjectError> => rejectedBy(GlobalObjectError, fn);

const opened: Sandbox[] = [];
const sandbox = (options: ConstructorParameters<typeof Sandbox>[0] = {}) => {
  const s = new Sandbox(options);
  opened.push(s);
  return s;
};
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** Whether a process with this pid still runs (an exited one nobody reaped yet, a zombie, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('Sandbox (sandbox process)', () => {
  it('R-GLOBAL-4: runs a function on a copy of the given object and resolves with its JSON result', async () => {
    const s = sandbox();
    expect(await s.run('(g, c) => ({ sum: g.a + c.b, when: new Date(0) })', { a: 1 }, { b: 2 }, CALLER)).toEqual({ sum: 3, when: '1970-01-01T00:00:00.000Z' });
    const err = await thrown(() => s.run('() => { throw new TypeError("no") }', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} threw TypeError: no`);
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('R-GLOBAL-5: a JS endless loop is stopped at the time limit; the same process serves the next run', async () => {
    const s = sandbox({ timeoutMs: 50 });
    expect(await s.run('() => 1', {}, undefined, CALLER)).toBe(1);
    const err = await thrown(() => s.run('() => { for (;;) {} }', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} ran past the time limit of 50 ms and was stopped; keep it short and synchronous`);
    expect(await s.run('(g) => g.n + 1', { n: 1 }, undefined, CALLER)).toBe(2);
    expect(s.hostsStarted).toBe(1);
  });

  it('R-GLOBAL-5: a source whose evaluation never ends (not a plain function) is stopped too; parsing a large store is not timed', async () => {
    const s = sandbox({ timeoutMs: 50 });
    const err = await thrown(() => s.run('(function () { for (;;) {} })()', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} ran past the time limit of 50 ms and was stopped; keep it short and synchronous`);
    const big = { items: Array.from({ length: 200_000 }, (_, i) => ({ i, s: 'x'.repeat(40) })) };
    expect(await s.run('(g) => g.items.length', big, undefined, CALLER)).toBe(200_000);
  });

  it('R-GLOBAL-5: a built-in call that ignores termination is stopped by killing the sandbox process; the master keeps running meanwhile', async () => {
    const s = sandbox({ timeoutMs: 50 });
    expect(await s.run('() => 1', {}, undefined, CALLER)).toBe(1);
    const firstPid = s.hostPid!;
    const events: string[] = [];
    const attack = s.run('() => { const a = []; a.length = 2 ** 30; return a.indexOf(1); }', {}, undefined, CALLER).then(
      () => events.push('attack answered'),
      (err: Error) => events.push(`attack failed: ${err.message}`),
    );
    // Queued behind the attack in the same process: answered by the next one.
    const behind = s.run('(g) => g.n * 2', { n: 21 }, undefined, CALLER).then((v) => events.push(`behind: ${String(v)}`));
    setTimeout(() => events.push('master timer'), 10);
    await Promise.all([attack, behind]);
    expect(events).toEqual([
      'master timer',
      `attack failed: ${CALLER} ran past the time limit of 50 ms and was stopped (its sandbox process was killed); keep it short and synchronous`,
      'behind: 42',
    ]);
    expect(s.hostsStarted).toBe(2);
    expect(alive(firstPid)).toBe(false);
  });

  it('R-GLOBAL-5: typed-array memory is capped per run (Float64Array(2e8) is refused, not allocated)', async () => {
    const err = await thrown(() => sandbox().run('() => new Float64Array(2e8).fill(1).length', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} threw RangeError: a sandboxed function may allocate at most 67108864 bytes of ArrayBuffer and typed-array memory`);
    // Derived arrays count too, and WebAssembly (whose Memory lives off the heap) is gone.
    const s = sandbox();
    expect((await thrown(() => s.run('() => { const a = new Uint8Array(40e6); return a.slice().length + a.map((x) => x).length; }', {}, undefined, CALLER))).message).toMatch(/at most 67108864 bytes/);
    expect(await s.run('() => typeof WebAssembly + " " + new Float64Array(1000).fill(1).length', {}, undefined, CALLER)).toBe('undefined 1000');
  });

  it('R-GLOBAL-5: a run that passes its heap limit fails with an error naming memory; the next run works', async () => {
    const s = sandbox({ timeoutMs: 10_000, maxHeapMb: 64 });
    const err = await thrown(() => s.run('() => { const keep = []; for (;;) keep.push(new Array(1e5).fill("x")); }', {}, undefined, CALLER));
    expect(err.message).toMatch(/^queryGlobalObject: queryFn failed: the sandbox thread failed: .*memory/);
    expect(await s.run('() => "still here"', {}, undefined, CALLER)).toBe('still here');
  });

  it(`R-GLOBAL-5: a run past the limit with little CPU used (starved) gets up to ${STARVED_RUN_RETRIES} more periods; then it is stopped`, async () => {
    const s = sandbox({ timeoutMs: 60 });
    const sleep = (ms: number) => `() => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}); return ${ms}; }`;
    expect(await s.run(sleep(90), {}, undefined, CALLER)).toBe(90);
    const err = await thrown(() => s.run(sleep(60 * (STARVED_RUN_RETRIES + 1) + 400), {}, undefined, CALLER));
    expect(err.message).toMatch(/ran past the time limit of 60 ms and was stopped/);
  });

  it('R-GLOBAL-4: a result longer than the sandbox sends back is an error', async () => {
    const err = await thrown(() => sandbox({ timeoutMs: 5000 }).run('() => "x".repeat(40 * 1024 * 1024)', {}, undefined, CALLER));
    expect(err.message).toBe(`${CALLER} returned 41943042 characters of JSON; at most 33554432 come back from the sandbox`);
  });

  it('R-GLOBAL-4: with a replica, a run sees every write replicated before it and none after; an update\'s merge is seen by the next run', async () => {
    const s = sandbox();
    let root: Record<string, unknown> = { n: 1, list: [1] };
    s.useReplica(() => root);
    const first = s.runOnReplica('(g) => g', undefined, CALLER);
    s.replicate({ op: 'set', keyPath: 'n', values: [2] });
    const second = s.runOnReplica('(g) => g.n', undefined, CALLER);
    s.replicate({ op: 'remove', keyPath: ['list', 0] });
    const merge = s.runOnReplica('(g) => ({ n: g.n * 10 })', undefined, 'updateGlobalObject: updateFn', true);
    const third = s.runOnReplica('(g) => g', undefined, CALLER);
    expect(await first).toEqual({ n: 1, list: [1] });
    expect(await second).toBe(2);
    expect(await merge).toEqual({ n: 20 });
    expect(await third).toEqual({ n: 20, list: [] });
    root = { fresh: true };
    s.useReplica(() => root);
    expect(await s.runOnReplica('(g) => g', undefined, CALLER)).toEqual({ fresh: true });
  });

  it('R-GLOBAL-5: the sandbox process ends when the master does (no orphan), even while a run is stuck in a built-in', async () => {
    const script = `
      const { Sandbox } = require(${JSON.stringify(path.resolve('dist/src/runtime/global-object/sandbox.js'))});
      const s = new Sandbox({ timeoutMs: 60000 });
      s.run('() => 1', {}, undefined, 'q').then(() => {
        s.run('() => { const a = []; a.length = 2 ** 32 - 1; a.sort(); }', {}, undefined, 'q').catch(() => {});
        setTimeout(() => { console.log(s.hostPid); process.exit(0); }, 300);
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    const hostPid = Number(out.trim());
    expect(hostPid).toBeGreaterThan(0);
    const deadline = Date.now() + 1000;
    while (alive(hostPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const stillAlive = alive(hostPid);
    if (stillAlive) process.kill(hostPid, 'SIGKILL');
    expect(stillAlive).toBe(false);
  });

  it('R-GLOBAL-5: options are checked', () => {
    expect(() => new Sandbox({ timeoutMs: 0 })).toThrow(/option timeoutMs must be a positive number/);
    expect(() => new Sandbox({ maxHeapMb: 8 })).toThrow('Sandbox: option maxHeapMb must be an integer of at least 16, got 8');
  });
});
