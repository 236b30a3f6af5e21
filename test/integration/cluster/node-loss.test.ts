/**
 * ISSUE-11 / R-NODE-5 fault: a node's master is SIGKILLed (no leave announced) → the other node
 * sees its processes gone within nodeTimeout and fails the requests pending on it at once, never
 * by their (60 s) time-out.
 */
import { describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/cluster-process';
import { startNode, testNamespace } from '../../helpers/nodes';

type R = Record<string, unknown> & { event: string };
const WAIT = 30_000;
const NODE_TIMEOUT = 2000;
// Scheduling slack of a loaded 2-core machine on top of the promised deadline.
const SLACK = 1000;

describe('a node dies', () => {
  it('R-NODE-5: its processes leave getAllProcessIds within nodeTimeout and pending requests to it fail at once', async () => {
    const space = testNamespace('loss');
    const env = { CC_NODE_TIMEOUT: String(NODE_TIMEOUT) };
    const b = startNode(fixture('cluster/corejs-node'), ['b', space, 'a', 'serve'], env);
    const a = startNode(fixture('cluster/deco-node'), ['a', space, 'b', 'pending'], env);
    const started = await a.waitForReport<R>('pendingStarted', undefined, WAIT);
    expect(started.pending, 'the two HANG requests are pending in a/W:1').toBe(2);
    await b.waitForCount('"event":"hanging"', 2, WAIT);

    const killedAt = Date.now();
    b.kill();
    const failed = await a.waitForReport<R>('pendingFailed', undefined, WAIT);
    expect(failed.outcomes).toEqual([
      { ok: false, name: 'TargetUnavailableError', toProcessId: 'b/W:1', message: 'process b/W:1 exited before answering', failures: null },
      { ok: false, name: 'TargetUnavailableError', toProcessId: 'b/M', message: 'process b/M exited before answering', failures: null },
    ]);
    expect(failed.pending).toBe(0);
    expect((failed.at as number) - killedAt).toBeLessThan(NODE_TIMEOUT + SLACK);
    const gone = await a.waitForReport<R>('peerGone', undefined, WAIT);
    expect(gone.ids).toEqual(['a/M', 'a/W:1', 'a/W:2']);
    expect((gone.at as number) - killedAt).toBeLessThan(NODE_TIMEOUT + SLACK);
  }, 90_000);

  it('R-NODE-5: a request to a process of another node that exits before answering fails at once', async () => {
    const space = testNamespace('exit');
    const b = startNode(fixture('cluster/corejs-node'), ['b', space, 'a', 'serve']);
    const a = startNode(fixture('cluster/deco-node'), ['a', space, 'b', 'remote-exit']);
    await b.waitForReport<R>('dying', undefined, WAIT);
    const done = await a.waitForReport<R>('remoteExitDone', undefined, WAIT);
    const failed = a.reports<R>().find((r) => r.event === 'remoteExit')!;
    expect(failed).toMatchObject({ ok: false, name: 'TargetUnavailableError', toProcessId: 'b/W:1', message: 'process b/W:1 exited before answering' });
    expect(done.pending).toBe(0);
    // Not by the request's 60 s time-out: the exit was announced by b's master.
    expect(done.ms as number).toBeLessThan(10_000);
  }, 90_000);
});
