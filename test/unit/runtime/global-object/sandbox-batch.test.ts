/**
 * Batches of the sandbox (R-GLOBAL-4, R-GLOBAL-5; docs/perf/global-update.md): the updates asked
 * for in one moment travel to the sandbox process and its thread as one message and are answered
 * as one, yet each keeps what it had alone: its own result, its own error, its own time limit, and
 * the order. Uses the compiled host in dist/ (npm test builds first).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GlobalObjectError } from '../../../../src/protocol/errors';
import { MemoryGlobalObjectStore } from '../../../../src/runtime/global-object/global-object-store';

const INC = '(g) => ({ n: g.n + 1 })';
const opened: MemoryGlobalObjectStore[] = [];
const store = (timeoutMs: number) => {
  const s = new MemoryGlobalObjectStore({ initial: { n: 0 }, sandbox: { timeoutMs } });
  opened.push(s);
  return s;
};
afterEach(() => {
  for (const s of opened.splice(0)) s.sandbox.close();
});

// Each update's outcome: the `n` of its answer, or its error's message.
function outcomes(runs: Promise<Record<string, unknown>>[]): Promise<(number | string)[]> {
  return Promise.all(runs.map((p) => p.then((g) => g.n as number, (err: Error) => {
    expect(err).toBeInstanceOf(GlobalObjectError);
    return err.message;
  })));
}

describe('Sandbox batches', () => {
  it('R-GLOBAL-4: updates asked for together fail alone (a throw, a result that cannot be merged); the others answer in order with the copy after their own merge', async () => {
    const s = store(1000);
    const runs = [
      s.update(INC, undefined),
      s.update(INC, undefined),
      s.update('() => { throw new RangeError("no") }', undefined),
      s.update(INC, undefined),
      s.update('() => [1]', undefined),
      s.update('(g, c) => ({ n: g.n + c.by })', { by: 10 }),
    ];
    expect(await outcomes(runs)).toEqual([
      1,
      2,
      'updateGlobalObject: updateFn threw RangeError: no',
      3,
      'updateGlobalObject: updateFn must return a plain object to merge (or nothing), got array(1)',
      13,
    ]);
    expect(s.get('n')).toBe(13);
    expect(s.sandbox.hostsStarted).toBe(1);
  });

  it('R-GLOBAL-5: an endless loop inside a batch is stopped alone at its own time limit; the runs before and after it answer with the right values', async () => {
    const s = store(100);
    // Warm first, so the batch below is one message to a running host.
    expect((await s.update(INC, undefined)).n).toBe(1);
    const runs = [
      s.update(INC, undefined),
      s.update(INC, undefined),
      s.update('() => { for (;;) {} }', undefined),
      s.update(INC, undefined),
      s.update(INC, undefined),
    ];
    const late = 'updateGlobalObject: updateFn ran past the time limit of 100 ms and was stopped; keep it short and synchronous';
    expect(await outcomes(runs)).toEqual([2, 3, late, 4, 5]);
    expect(s.get('n')).toBe(5);
    // The thread was replaced, not the process; the next run works as before.
    expect(s.sandbox.hostsStarted).toBe(1);
    expect((await s.update(INC, undefined)).n).toBe(6);
  });

  it('R-GLOBAL-4: queries and updates asked for together answer in order; a write between them is seen by the runs after it only', async () => {
    const s = store(1000);
    await s.update(INC, undefined);
    const before = s.query('(g) => g.n', undefined);
    const bumped = s.update(INC, undefined);
    s.set(['n'], [100]);
    const after = s.query('(g) => g.n', undefined);
    const last = s.update(INC, undefined);
    const value = async (r: unknown) => (r as { promise: Promise<unknown> }).promise;
    expect(await value(before)).toBe(1);
    expect((await bumped).n).toBe(2);
    expect(await value(after)).toBe(100);
    expect((await last).n).toBe(101);
    expect(s.get('n')).toBe(101);
  });
});
