/**
 * ISSUE-11: samples/multihost (npm run sample:multihost) runs as documented: two nodes on one
 * machine share a counter in Redis and call each other, then both exit 0 and the sample's keys
 * are gone.
 */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';
import { afterEach } from 'vitest';
import { dropNamespace, keysOf } from '../../helpers/redis';
import type { RunningCluster } from '../../helpers/cluster-process';

let running: RunningCluster | null = null;

// A failed run leaves the sample's keys: its namespace is in its first line.
afterEach(async () => {
  const first = running?.lines[0] ?? '';
  running?.kill();
  running = null;
  const ns = /namespace '([^']+)'/.exec(first)?.[1];
  if (ns) await dropNamespace(ns);
});

describe('ISSUE-11: samples/multihost', () => {
  it('R-NODE-4: two nodes share one counter (10 increments, none lost) and greet each other across nodes', async () => {
    const c = startCluster(sample('dist/samples/multihost/main.js'));
    running = c;
    const exit = await c.exited(80_000);
    expect(exit.code, c.output()).toBe(0);
    const lines = c.lines;
    const ns = /namespace '([^']+)'/.exec(lines[0])?.[1];
    expect(ns).toMatch(/^multihost-sample-[0-9a-f]{8}$/);
    expect(lines).toContain('both nodes exited (codes 0, 0)');
    for (const n of ['a', 'b']) {
      expect(lines).toContain(`[${n}/M] the cluster: a/M, a/W:1, a/W:2, b/M, b/W:1, b/W:2`);
      expect(lines).toContain(`[${n}/M] both nodes done: counter = 10`);
    }
    // Every increment saw its own value: 1..10 once each, five by each node's W:1.
    const counts = lines.map((l) => /^\[(a|b)\/W:1\] counter \+1 -> (\d+)$/.exec(l)).filter((m) => m !== null);
    expect(counts.map((m) => Number(m[2])).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(counts.filter((m) => m[1] === 'a')).toHaveLength(5);
    // Requests across nodes: the callee sees the caller's qualified id.
    expect(lines).toContain('[a/W:1] asked b/W:1: hello a/W:1, this is b/W:1 (you are a/W:1 to me)');
    expect(lines).toContain('[a/W:1] asked b/W:2: hello a/W:1, this is b/W:2 (you are a/W:1 to me)');
    expect(lines).toContain('[b/W:1] asked a/W:1: hello b/W:1, this is a/W:1 (you are b/W:1 to me)');
    expect(lines).toContain('[b/W:1] asked a/W:2: hello b/W:1, this is a/W:2 (you are b/W:1 to me)');
    expect(await keysOf(ns!)).toEqual([]);
  }, 90_000);
});
