/**
 * ISSUE-7 / R-MSG-1..4 on real processes (3 workers), Corejs door: fixture
 * test/fixtures/messenger/corejs-group.ts runs a scenario from the master or from a worker and
 * prints what each handler saw; these tests check every delivery against the outcomes.
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster, theReport, type RunningCluster } from '../../helpers/cluster-process';

type R = Record<string, unknown> & { event: string; self?: string };
const WAIT = 40_000;
const WORKERS = ['W:1', 'W:2', 'W:3'];

const one = (c: RunningCluster, event: string, self?: string): R => theReport<R>(c, event, (r) => self === undefined || r.self === self);

/** Checks every part of the 'basic' scenario run by `self`. */
async function checkBasic(c: RunningCluster, self: string): Promise<void> {
  const done = await c.waitForReport<R>('basicDone', (r) => r.self === self, WAIT);
  expect(done.pending, 'pending traces in the initiator after everything settled').toBe(0);
  const got = c.reports<R & { tag: string; from: string }>().filter((r) => r.event === 'got');

  // R-MSG-1: broadcast reached each worker exactly once, the sender included, seen as from the sender.
  expect(one(c, 'broadcast', self).reached).toEqual(WORKERS);
  const bGot = got.filter((g) => g.tag === `b-${self}`);
  expect(bGot.map((g) => g.self).sort()).toEqual(WORKERS);
  expect(bGot.every((g) => g.from === self)).toBe(true);

  // R-MSG-4: each sendRandom reached exactly the one worker it resolved with.
  const picks = one(c, 'sendRandom', self).picks as string[];
  expect(picks).toHaveLength(30);
  picks.forEach((pick, i) => {
    const seen = got.filter((g) => g.tag === `r${i}-${self}`);
    expect(seen.map((g) => g.self), `sendRandom #${i}`).toEqual([pick]);
    expect(seen[0].from).toBe(self);
  });
  for (const p of picks) expect(WORKERS).toContain(p);
  // 30 picks all on one worker would be 3 × 3^-30: a fixed choice, not a random one.
  expect(new Set(picks).size).toBeGreaterThan(1);

  // R-MSG-3: map answers from every worker, in worker order, each handler seeing the caller.
  expect(one(c, 'map', self).answers).toEqual(WORKERS.map((w) => ({ self: w, from: self, q: 7 })));

  // R-MSG-3: W:2 answers past the 2 000 ms time-out → MapError naming W:2, partial results, nothing pending.
  const t = one(c, 'mapTimeout', self);
  expect(t).toMatchObject({ name: 'MapError', className: 'MapError', isMapError: true, pending: 0 });
  expect(t.message).toBe("map 'SLOW': 1 of 3 workers failed: W:2 (TraceTimeoutError: request 'SLOW' to W:2 got no reply within 2000 ms)");
  expect(t.failures).toEqual([{ processId: 'W:2', name: 'TraceTimeoutError', className: 'TraceTimeoutError', toProcessId: 'W:2', message: "request 'SLOW' to W:2 got no reply within 2000 ms" }]);
  expect((t.results as { processId: string }[]).map((r) => r.processId)).toEqual(['W:1', 'W:3']);
  // The late answer found no pending entry in the master: it went to onProcessDidDiscardMessage.
  const late = await c.waitForReport<R>('discarded', (r) => r.action === 'SLOW' && r.from === 'W:2', WAIT);
  expect(late).toMatchObject({ self: 'M', payload: { self: 'W:2', from: self, late: true } });

  // R-MSG-3: a handler that throws → MapError with a RemoteError for that worker, at once.
  const th = one(c, 'mapThrow', self);
  expect(th.name).toBe('MapError');
  expect(th.failures).toEqual([{ processId: 'W:3', name: 'RemoteError', className: 'RemoteError', toProcessId: null, message: 'W:3 answered with TypeError: boom in W:3' }]);
  expect((th.results as { processId: string }[]).map((r) => r.processId)).toEqual(['W:1', 'W:2']);

  // R-MSG-2: consume goes round robin and each job runs once, on the worker it resolved with.
  const takers = one(c, 'consume', self).takers as string[];
  expect(takers).toEqual(['W:1', 'W:2', 'W:3', 'W:1', 'W:2', 'W:3']);
  const jobs = c.reports<R & { id: string; from: string }>().filter((r) => r.event === 'job');
  takers.forEach((taker, i) => {
    const ran = jobs.filter((j) => j.id === `c${i}-${self}`);
    expect(ran.map((j) => [j.self, j.from])).toEqual([[taker, self]]);
  });

  // Bad arguments are refused with the method, the argument and the value named; nothing is sent.
  const errors = one(c, 'badArguments', self).errors as Record<string, { name: string; message: string }>;
  expect(errors['broadcast empty action']).toMatchObject({ name: 'InvalidArgumentError', message: 'broadcast: argument \'action\' must be a non-empty string, got ""' });
  expect(errors['consume internal action'].message).toMatch(/^consume: argument 'action' is "@@cc\/mine", an action reserved to clustercore/);
  expect(errors['map negative timeout']).toMatchObject({ name: 'InvalidArgumentError', message: expect.stringMatching(/^map: argument 'options.timeout' must be a positive number .* got number -1$/) });
  expect(errors['map options not an object']).toMatchObject({ name: 'InvalidArgumentError', message: 'map: argument \'options\' must be { timeout? }, got "fast"' });
  expect(errors['sendRandom function payload']).toMatchObject({ name: 'InvalidArgumentError', message: expect.stringMatching(/^sendRandom: argument 'payload' must be JSON-safe: payload.f is a function/) });
  expect(errors['consume token without name']).toMatchObject({ name: 'InvalidArgumentError', message: expect.stringMatching(/^consume: argument 'action'/) });
  expect(got.filter((g) => g.tag === undefined || g.tag === null)).toEqual([]);
}

describe('ISSUE-7: messenger over real processes (Corejs door, 3 workers)', () => {
  it('R-MSG-1..4: broadcast, sendRandom, map (answers, time-out, throw), consume and bad arguments from the master', async () => {
    const c = startCluster(fixture('messenger/corejs-group'), ['basic', 'M']);
    await checkBasic(c, 'M');
  }, 60_000);

  it('R-MSG-1..4: broadcast (sender included), sendRandom, map, consume and bad arguments from a worker (W:2)', async () => {
    const c = startCluster(fixture('messenger/corejs-group'), ['basic', 'W:2']);
    await checkBasic(c, 'W:2');
  }, 60_000);

  it('R-MSG-2: consume of 1 000 jobs from M, W:1, W:2 and W:3 at once runs each job exactly once, round robin', async () => {
    const c = startCluster(fixture('messenger/corejs-group'), ['consume-many', 'M']);
    const all = await c.waitForReport<R>('allConsumed', undefined, WAIT);
    expect(all.pending).toBe(0);
    const consumed = c.reports<R & { jobs: { id: string; by: string }[]; pending: number }>().filter((r) => r.event === 'consumed');
    expect(consumed.map((r) => r.self).sort()).toEqual(['M', ...WORKERS]);
    const resolvedBy = new Map<string, string>();
    for (const r of consumed) {
      expect(r.jobs).toHaveLength(250);
      // A worker's own registry is empty once its consumes resolved (the master's still holds others' jobs).
      if (r.self !== 'M') expect(r.pending).toBe(0);
      for (const j of r.jobs) resolvedBy.set(j.id, j.by);
    }
    expect(resolvedBy.size).toBe(1000);
    // The multiset of ids the workers ran: every id exactly once, on the worker consume() named.
    const ran = c.reports<R & { id: string }>().filter((r) => r.event === 'job');
    expect(ran).toHaveLength(1000);
    const counts = new Map<string, number>();
    for (const j of ran) {
      counts.set(j.id, (counts.get(j.id) ?? 0) + 1);
      expect(resolvedBy.get(j.id), j.id).toBe(j.self);
    }
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect([...counts.keys()].sort()).toEqual([...resolvedBy.keys()].sort());
    // One rotation in the master for every sender: the shares differ by at most one job.
    const perWorker = WORKERS.map((w) => ran.filter((j) => j.self === w).length);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.max(...perWorker) - Math.min(...perWorker)).toBeLessThanOrEqual(1);
  }, 60_000);

  for (const initiator of ['M', 'W:3']) {
    it(`R-MSG-2: a worker that exits on receiving a consume job makes consume reject naming it; the job is not run again (from ${initiator})`, async () => {
      const c = startCluster(fixture('messenger/corejs-group'), ['consume-death', initiator]);
      const after = await c.waitForReport<R>('afterDeath', (r) => r.self === initiator, WAIT);
      expect(one(c, 'dying')).toMatchObject({ self: 'W:1', from: initiator });
      const death = one(c, 'consumeDeath', initiator);
      expect(death).toMatchObject({ name: 'TargetUnavailableError', className: 'TargetUnavailableError', toProcessId: 'W:1' });
      expect(death.message).toMatch(/^process W:1 exited before acknowledging consume job 'DIE' .*it may have started there, so it is not sent to another worker$/);
      // The rotation goes on over the live workers; map now asks only them; nothing is left pending.
      expect(after).toMatchObject({ after: ['W:2', 'W:3', 'W:2', 'W:3'], who: ['W:2', 'W:3'], pending: 0 });
      expect(c.reports<R>().filter((r) => r.event === 'dying')).toHaveLength(1);
    }, 60_000);
  }

  it('ISSUE-7: with no live worker, broadcast and map resolve empty, consume and sendRandom reject with NoWorkerError', async () => {
    const c = startCluster(fixture('messenger/corejs-group'), ['no-workers', 'M', '0']);
    const r = await c.waitForReport<R>('noWorkers', undefined, WAIT);
    expect(r.broadcast).toEqual({ resolved: [] });
    expect(r.map).toEqual({ resolved: [] });
    expect(r.consume).toMatchObject({ name: 'NoWorkerError', message: expect.stringMatching(/^consume: no live worker to run 'JOB'/) });
    expect(r.sendRandom).toMatchObject({ name: 'NoWorkerError', message: expect.stringMatching(/^sendRandom: no live worker to run 'HELLO'/) });
  }, 30_000);
});
