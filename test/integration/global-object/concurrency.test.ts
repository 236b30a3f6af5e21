/**
 * Linearizability of the global object under load (R-GLOBAL-4, ISSUE-4): 4 workers × 1 000
 * increments through updateGlobalObject, and through core.global.update, end at exactly 4 000, and
 * every update saw a different counter value (each one ran alone, in some order).
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

describe.each(['callback', 'promise'])('global object concurrency (%s form)', (mode) => {
  it(`R-GLOBAL-4: 4 workers × 1 000 updates (${mode}) end at exactly 4 000, each update saw a distinct counter`, async () => {
    const c = startCluster(fixture('global-object/concurrency'), [mode]);
    const final = await c.waitForReport<Report>('final', undefined, 90_000);
    const workers = c.reports<Report>().filter((r) => r.event === 'increments');
    const errors = workers.flatMap((w) => (w.errors as string[]).slice(0, 3).map((e) => `${w.processId}: ${e}`));
    expect(final, `${JSON.stringify(final)}\n${errors.join('\n')}\n${c.lines.filter((l) => !l.startsWith('REPORT')).join('\n')}`).toMatchObject({ mode, counter: 4000, error: null });
    expect(workers.map((w) => w.processId).sort()).toEqual(['W:1', 'W:2', 'W:3', 'W:4']);
    const seen: number[] = [];
    for (const w of workers) {
      expect(w.errors, w.processId).toEqual([]);
      expect(w.seen, w.processId).toHaveLength(1000);
      seen.push(...w.seen);
    }
    // Each value 1..4000 was the result of exactly one update.
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 4000 }, (_, i) => i + 1));
  }, 100_000);
});

describe('global object: endless functions while other workers are served', () => {
  it('R-GLOBAL-5: W:1 sends endless updates, each stopped at the time limit; W:2 is served in between and nothing is lost', async () => {
    const c = startCluster(fixture('global-object/busy'));
    const final = await c.waitForReport<Report>('final', undefined, 60_000);
    const looped = c.reports<Report>().find((r) => r.event === 'looped')!;
    const incremented = c.reports<Report>().find((r) => r.event === 'incremented')!;
    expect(looped.errors).toHaveLength(3);
    for (const e of looped.errors) {
      expect(e.name).toBe('GlobalObjectError');
      expect(e.message).toBe('updateGlobalObject: updateFn ran past the time limit of 100 ms and was stopped; keep it short and synchronous');
    }
    expect(incremented.failed).toBe(0);
    expect(incremented.duringLoops).toBeGreaterThanOrEqual(1);
    // Every increment W:2 got an answer for is in the store; the endless ones changed nothing.
    expect(final).toMatchObject({ counter: incremented.ok, expected: incremented.ok, error: null });
  }, 70_000);
});
