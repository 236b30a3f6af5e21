/**
 * ISSUE-11 / R-NODE-3: the messenger spans the cluster (two real nodes: a decorator node and a
 * Corejs node, two workers each) unless called with `{ scope: 'node' }`; a's W:1 calls every method.
 */
import { describe, expect, it } from 'vitest';
import { fixture, theReport, until, type RunningCluster } from '../../helpers/cluster-process';
import { startNode, testNamespace } from '../../helpers/nodes';

type R = Record<string, unknown> & { event: string };
const WAIT = 30_000;
const ALL = ['W:1', 'W:2', 'b/W:1', 'b/W:2'];


const seen = (nodes: RunningCluster[], event: string) => nodes.flatMap((n) => n.reports<R>().filter((r) => r.event === event));

describe('messenger across nodes', () => {
  it('R-NODE-3: broadcast, map, consume and sendRandom span both nodes; scope node stays local', async () => {
    const space = testNamespace('msg');
    const b = startNode(fixture('cluster/corejs-node'), ['b', space, 'a', 'serve']);
    const a = startNode(fixture('cluster/deco-node'), ['a', space, 'b', 'messenger']);
    const done = await a.waitForReport<R>('messengerDone', undefined, WAIT);
    expect(done.pending).toBe(0);
    // 4 + 2 broadcast notes and 24 random ones; 8 + 4 jobs.
    await until(() => seen([a, b], 'got').length >= 30 && seen([a, b], 'job').length >= 12, 'every note and job reported', WAIT);
    const one = (event: string) => theReport<R>(a, event);
    // Handlers see the caller: short on its own node, qualified on the other.
    const fromFor = (node: unknown) => (node === 'a' ? 'W:1' : 'a/W:1');

    // broadcast: every worker of the cluster once; this node's ids short, the other's qualified.
    expect(one('broadcast').value).toEqual(ALL);
    const bc = seen([a, b], 'got').filter((g) => g.tag === 'bc');
    expect(bc.map((g) => `${g.node}/${g.self}`).sort()).toEqual(['a/W:1', 'a/W:2', 'b/W:1', 'b/W:2']);
    for (const g of bc) expect(g.from).toBe(fromFor(g.node));
    expect(one('broadcastNode').value).toEqual(['W:1', 'W:2']);
    expect(seen([a, b], 'got').filter((g) => g.tag === 'bc-node').map((g) => `${g.node}/${g.self}`).sort()).toEqual(['a/W:1', 'a/W:2']);

    // map: every worker answers, nodes in name order.
    expect(one('map').value).toEqual([
      { node: 'a', self: 'W:1', from: 'W:1' }, { node: 'a', self: 'W:2', from: 'W:1' },
      { node: 'b', self: 'W:1', from: 'a/W:1' }, { node: 'b', self: 'W:2', from: 'a/W:1' },
    ]);
    expect(one('mapNode').value).toEqual([{ node: 'a', self: 'W:1', from: 'W:1' }, { node: 'a', self: 'W:2', from: 'W:1' }]);
    // A MapError lists the failed workers of every node, qualified when on the other node.
    const mt = one('mapThrow');
    expect(mt).toMatchObject({ ok: false, name: 'MapError' });
    expect((mt.failures as { processId: string; name: string }[]).map((f) => [f.processId, f.name])).toEqual([['W:1', 'RemoteError'], ['W:2', 'RemoteError'], ['b/W:2', 'RemoteError']]);

    // consume: each job runs exactly once in the whole cluster, on the worker it resolved with; nodes take turns.
    const takers = one('consume').takers as string[];
    expect(takers).toHaveLength(8);
    expect(new Set(takers)).toEqual(new Set(ALL));
    const jobs = seen([a, b], 'job');
    takers.forEach((taker, i) => {
      const ran = jobs.filter((j) => j.id === `job${i}`);
      expect(ran.map((j) => (j.node === 'a' ? j.self : `b/${j.self}`)), `job${i}`).toEqual([taker]);
      expect(ran[0].from).toBe(fromFor(ran[0].node));
    });
    const nodeTakers = one('consumeNode').takers as string[];
    expect(nodeTakers).toHaveLength(4);
    for (const t of nodeTakers) expect(['W:1', 'W:2']).toContain(t);

    // sendRandom: each pick reached exactly that worker; both nodes get picked (all 24 on one node: 2 × 2^-24).
    const picks = one('sendRandom').picks as string[];
    expect(picks).toHaveLength(24);
    picks.forEach((pick, i) => {
      const got = seen([a, b], 'got').filter((g) => g.tag === `r${i}`);
      expect(got.map((g) => (g.node === 'a' ? g.self : `b/${g.self}`)), `sendRandom #${i}`).toEqual([pick]);
    });
    expect(picks.some((p) => p.startsWith('b/'))).toBe(true);
    expect(picks.some((p) => !p.startsWith('b/'))).toBe(true);

    expect(one('badScope')).toMatchObject({ ok: false, name: 'InvalidArgumentError', message: `broadcast: argument 'options.scope' must be 'cluster' or 'node', got "planet"` });
  }, 90_000);
});
