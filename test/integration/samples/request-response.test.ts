/** ISSUE-5: samples/request-response prints every outcome of the decorator API's requests, in order. */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('ISSUE-5: samples/request-response', () => {
  it('R-DEC-4: replies, RemoteError, refusal of a missing handler and TraceTimeoutError, as printed', async () => {
    const c = startCluster(sample('dist/samples/request-response/main.js'));
    const exit = await c.exited();
    expect(exit.code, c.output()).toBe(0);
    expect(c.lines.filter((l) => l.startsWith('[M] '))).toEqual([
      '[M] 2 + 3 = 5',
      '[M] 10 / 4 = 2.5',
      '[M] ada: {"user":"ada","plan":"pro"}',
      '[M] W:1 asked W:2: 20 + 22 = 42',
      '[M] RemoteError from W:1: RangeError: W:1 answered with RangeError: cannot divide 1 by zero',
      '[M] refused at once: W:1 answered with ClusterCoreError: W:1 (worker) has no @OnMessage("math:sqrt") handler; nothing answered the request',
      "[M] TraceTimeoutError: request 'slow' to W:2 got no reply within 100 ms",
      '[M] done',
    ]);
    expect(c.lines).toContain('[W:2] lookup of ada asked by M');
  });
});
