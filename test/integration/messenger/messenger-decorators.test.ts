/**
 * ISSUE-7 / R-MSG-1..4 on real processes, decorator door: master, 3 workers and the alone process,
 * typed actions with @OnMessage / @Trace handlers (fixture test/fixtures/messenger/decorated-group.ts).
 * Every messenger method runs from the master, from a worker and from the alone process.
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster, theReport, type RunningCluster } from '../../helpers/cluster-process';

type R = Record<string, unknown> & { event: string; self?: string };
const WAIT = 40_000;
const WORKERS = ['W:1', 'W:2', 'W:3'];

const one = (c: RunningCluster, event: string, self?: string): R => theReport<R>(c, event, (r) => self === undefined || r.self === self);

async function checkAll(c: RunningCluster, self: string): Promise<void> {
  const done = await c.waitForReport<R>('done', (r) => r.self === self, WAIT);
  expect(c.reports<R>().filter((r) => r.event === 'fixtureError')).toEqual([]);
  expect(done.pending).toBe(0);
  expect(one(c, 'ready').ids).toEqual(['M', ...WORKERS, 'A']);
  const got = c.reports<R & { tag: string; from: string }>().filter((r) => r.event === 'got');

  // R-MSG-1: every worker's @OnMessage handler ran once (the sender's too when it is a worker), never the alone's.
  expect(one(c, 'broadcast', self).reached).toEqual(WORKERS);
  const b = got.filter((g) => g.tag === `b-${self}`);
  expect(b.map((g) => [g.self, g.from]).sort()).toEqual(WORKERS.map((w) => [w, self]));

  // R-MSG-4: sendRandom reached exactly the worker it resolved with.
  const picks = one(c, 'sendRandom', self).picks as string[];
  expect(picks).toHaveLength(12);
  expect(picks.filter((p) => WORKERS.includes(p))).toHaveLength(12);
  // Each of the 12 messages arrived once, at the worker picked for it, and nowhere else.
  expect(got.filter((g) => g.tag.startsWith('r') && g.tag.endsWith(`-${self}`))).toHaveLength(12);
  picks.forEach((pick, i) => expect(got.filter((g) => g.tag === `r${i}-${self}`).map((g) => g.self), `pick ${i}`).toEqual([pick]));

  // R-MSG-3: @Trace answers of every worker in worker order; time-out and throw name the worker.
  expect(one(c, 'map', self).answers).toEqual(WORKERS.map((w) => ({ self: w, from: self })));
  expect(one(c, 'mapTimeout', self)).toMatchObject({
    name: 'MapError', isMapError: true,
    failures: [{ processId: 'W:2', name: 'TraceTimeoutError', message: "request 'SLOW' to W:2 got no reply within 2000 ms" }],
  });
  expect(one(c, 'mapThrow', self)).toMatchObject({
    name: 'MapError', isMapError: true,
    failures: [{ processId: 'W:3', name: 'RemoteError', message: 'W:3 answered with RangeError: boom in W:3' }],
  });
  await c.waitForReport<R>('discarded', (r) => r.action === 'SLOW' && r.from === 'W:2', WAIT);

  // R-MSG-2: consume round robin, each job on exactly the worker consume() named.
  const takers = one(c, 'consume', self).takers as string[];
  expect(takers).toEqual([...WORKERS, ...WORKERS]);
  const jobs = c.reports<R & { id: string; from: string }>().filter((r) => r.event === 'job');
  expect(jobs.filter((j) => j.id.startsWith('c') && j.id.endsWith(`-${self}`))).toHaveLength(6);
  takers.forEach((t, i) => expect(jobs.filter((j) => j.id === `c${i}-${self}`).map((j) => [j.self, j.from])).toEqual([[t, self]]));
}

describe('ISSUE-7: messenger with the decorator API (typed actions, 3 workers + alone)', () => {
  for (const self of ['M', 'W:2']) {
    it(`R-MSG-1..4: every messenger method from ${self}; send('A') and request('A') reach the alone's handlers`, async () => {
      const c = startCluster(fixture('messenger/decorated-group'), [self]);
      await checkAll(c, self);
      expect(one(c, 'note')).toMatchObject({ self: 'A', from: self, text: `note from ${self}` });
      expect(one(c, 'toAlone', self).answer).toEqual({ doubled: 42, by: 'A', from: self });
    }, 60_000);
  }

  it('R-MSG-4: every messenger method from the alone process (broadcast, sendRandom, map, consume reach the workers through the master); the alone sends and requests to a worker', async () => {
    const c = startCluster(fixture('messenger/decorated-group'), ['A']);
    await checkAll(c, 'A');
    expect(one(c, 'note')).toMatchObject({ self: 'W:1', from: 'A', text: 'note from A' });
    expect(one(c, 'aloneToWorker', 'A').answer).toEqual({ self: 'W:3', from: 'A' });
  }, 60_000);
});
