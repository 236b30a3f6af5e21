/** ISSUE-5: samples/lifecycle prints every lifecycle hook of role classes when it runs. */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('ISSUE-5: samples/lifecycle', () => {
  it('R-DEC-5: hooks run in lifecycle order, per process', async () => {
    const c = startCluster(sample('dist/samples/lifecycle/main.js'));
    const exit = await c.exited();
    expect(exit.code, c.output()).toBe(0);
    // stdout only: the supervisor's warning goes to stderr, a pipe of its own, so its place among them is not fixed.
    const supervisorLine = '[M] W:2 exited (code 3, signal null, reason crash); restarting it now';
    expect(c.lines).toContain(supervisorLine);
    const of = (id: string) => c.lines.filter((l) => l.startsWith(`[${id}] `) && l !== supervisorLine).map((l) => l.slice(id.length + 3));
    expect(of('M')).toEqual([
      'Boss constructed',
      'onProcessDidInit(M)',
      'onApplicationReady: every process is up',
      'onProcessTraceMessageTimeout(W:1, slow)',
      "request rejected: request 'slow' to W:1 got no reply within 100 ms",
      'onProcessDidDiscardMessage(W:1, slow: "late answer")',
      'onWorkerProcessDidExit(W:2, code 3) — refork replaces it',
      'W:2 is back; shutting down',
      'onProcessWillExit',
    ]);
    expect(of('W:1')).toEqual([
      'Web constructed',
      'onProcessDidInit(W:1, 2 launch params)',
      'onProcessWillReceiveMessage(M, greet)',
      "@OnMessage('greet') handler: hello Ada",
      'onProcessWillReceiveMessage(M, greet) → discard',
      'onProcessDidDiscardMessage(M, greet)',
      'onProcessWillReceiveMessage(M, unknown-action)',
      'onProcessDidReceiveMessage(M, unknown-action) — no handler for it',
      'onProcessWillReceiveMessage(M, slow)',
      'onProcessWillExit: closing up',
    ]);
    expect(of('W:2')).toEqual([
      'Web constructed',
      'onProcessDidInit(W:2, 2 launch params)',
      'onProcessWillReceiveMessage(M, exit)',
      'exiting with code 3',
      'Web constructed',
      'onProcessDidInit(W:2, 2 launch params)',
      'onProcessWillExit: closing up',
    ]);
  });
});
