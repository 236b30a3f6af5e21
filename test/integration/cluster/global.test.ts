/**
 * ISSUE-11 / R-NODE-4: the global object lives in Redis: two real nodes (decorator and Corejs
 * doors) update it at once, and a third node that joins later reads what they wrote.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/cluster-process';
import { startNode, testNamespace } from '../../helpers/nodes';

type R = Record<string, unknown> & { event: string };
const WAIT = 30_000;

describe('global object across nodes', () => {
  it('R-NODE-4: both nodes update one global object in Redis at the same time, both doors; no update is lost', async () => {
    const space = testNamespace('global');
    const b = startNode(fixture('cluster/corejs-node'), ['b', space, 'a', 'global']);
    const a = startNode(fixture('cluster/deco-node'), ['a', space, 'b', 'global']);
    const done = await a.waitForReport<R>('globalDone', undefined, WAIT);
    expect(await b.waitForReport<R>('corejsGlobalDone', undefined, WAIT)).toMatchObject({ err: null });
    expect(done.count).toBe(100);
    // The forbidden-key rule is the single-host one.
    expect(done.forbidden).toMatchObject({ name: 'GlobalObjectError' });
    expect(String((done.forbidden as { message: string }).message)).toMatch(/__proto__/);
    // Read again from a fresh node: the object lives in Redis, not in either master.
    const c = startNode(fixture('cluster/deco-node'), ['c', space, 'a', 'global-read']);
    const read = await c.waitForReport<R>('globalRead', undefined, WAIT);
    expect(read.whole).toMatchObject({ started: true, count: 100, by: { a: 50, b: 50 } });
  }, 90_000);
});
