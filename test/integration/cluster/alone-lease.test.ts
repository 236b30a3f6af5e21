/**
 * ISSUE-11 / R-NODE-6: with aloneScope 'cluster' exactly one alone process of three nodes runs
 * (the others stand by: their onProcessDidInit has not run), 'A' from any node reaches it, and
 * when its node's master is SIGKILLed another node's alone process takes over within nodeTimeout.
 * With aloneScope 'node' every node runs its own.
 */
import { describe, expect, it } from 'vitest';
import { fixture, until, type RunningCluster } from '../../helpers/cluster-process';
import { startNode, testNamespace } from '../../helpers/nodes';

type R = Record<string, unknown> & { event: string; node?: string; at?: number };
const WAIT = 40_000;
const NODE_TIMEOUT = 2000;
const SLACK = 1500;


const reportsOf = (nodes: RunningCluster[], event: string) => nodes.flatMap((n) => n.reports<R>().filter((r) => r.event === event));
const lastAnswer = (n: RunningCluster) => n.reports<R>().filter((r) => r.event === 'askedAlone').at(-1);

describe('the alone process across nodes', () => {
  it('R-NODE-6: one active alone process in three nodes; A reaches it from any node; another takes over when its node is SIGKILLed', async () => {
    const space = testNamespace('alone');
    const env = { CC_NODE_TIMEOUT: String(NODE_TIMEOUT) };
    const names = 'a,b,c';
    const a = startNode(fixture('cluster/alone-node'), ['a', space, names], env);
    await a.waitForReport<R>('aloneActive', undefined, WAIT);
    const b = startNode(fixture('cluster/alone-node'), ['b', space, names], env);
    const c = startNode(fixture('cluster/alone-node'), ['c', space, names], env);
    const all = [a, b, c];
    // Every node's W:1 reaches the active alone process (a's) as 'A'.
    await until(() => all.every((n) => (lastAnswer(n)?.answer as { node?: string } | undefined)?.node === 'a'), "every node's 'A' answered by node a", WAIT);
    expect(lastAnswer(a)!.answer).toEqual({ node: 'a', self: 'A', from: 'W:1' });
    expect(lastAnswer(b)!.answer).toEqual({ node: 'a', self: 'A', from: 'b/W:1' });
    expect(lastAnswer(c)!.answer).toEqual({ node: 'a', self: 'A', from: 'c/W:1' });
    expect(reportsOf(all, 'aloneActive').map((r) => r.node)).toEqual(['a']);

    const killedAt = Date.now();
    a.kill();
    await until(() => reportsOf([b, c], 'aloneActive').length > 0, 'a takeover', WAIT);
    const takeover = reportsOf([b, c], 'aloneActive');
    expect(takeover).toHaveLength(1);
    const holder = takeover[0].node!;
    expect((takeover[0].at as number) - killedAt).toBeLessThan(NODE_TIMEOUT + SLACK);
    // Both remaining nodes reach the new holder as 'A'.
    await until(() => [b, c].every((n) => (lastAnswer(n)?.answer as { node?: string } | undefined)?.node === holder), `'A' answered by node ${holder}`, WAIT);
    const other = holder === 'b' ? c : b;
    expect(lastAnswer(other)!.answer).toEqual({ node: holder, self: 'A', from: `${holder === 'b' ? 'c' : 'b'}/W:1` });
    // Still exactly one active alone process after the take-over settled.
    expect(reportsOf([b, c], 'aloneActive')).toHaveLength(1);
  }, 90_000);

  it("R-NODE-6: with aloneScope 'node' each node runs its own alone process", async () => {
    const space = testNamespace('alone-node');
    const a = startNode(fixture('cluster/alone-node'), ['a', space, 'a,b', 'node']);
    const b = startNode(fixture('cluster/alone-node'), ['b', space, 'a,b', 'node']);
    await a.waitForReport<R>('aloneActive', undefined, WAIT);
    await b.waitForReport<R>('aloneActive', undefined, WAIT);
    await until(() => [a, b].every((n) => lastAnswer(n)?.answer !== undefined), "both nodes' 'A' answered", WAIT);
    expect(lastAnswer(a)!.answer).toEqual({ node: 'a', self: 'A', from: 'W:1' });
    expect(lastAnswer(b)!.answer).toEqual({ node: 'b', self: 'A', from: 'W:1' });
  }, 90_000);
});
