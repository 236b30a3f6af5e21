import { describe, expect, it } from 'vitest';
import { fixture, isAlive, startCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

describe('malformed messages', () => {
  it('ISSUE-3: garbage on an IPC channel (worker → master and master → worker) is counted and logged, never crashes a process or reaches user hooks', async () => {
    const c = startCluster(fixture('runtime/malformed'));
    const master = await c.waitForReport<Report>('stats', (r) => r.processId === 'M', 20_000);
    const worker = await c.waitForReport<Report>('stats', (r) => r.processId === 'W:2');
    // Every garbage message counted once; the frame [1, 2] is two messages.
    expect(master.stats.malformed).toBe(master.expected);
    expect(master.expected).toBe(10);
    // W:2 also dropped one well-formed envelope addressed to another process.
    expect(worker.stats.malformed).toBe(worker.expected);
    expect(worker.expected).toBe(11);
    // Logged with the peer and the reason.
    const out = c.output();
    expect(out).toContain('[M] dropped a message from W:1 (not a clustercore envelope): "garbage"');
    expect(out).toContain('[M] dropped a message from W:1 (not a clustercore envelope): {"meta":1}');
    expect(out).toContain('[M] dropped a message from W:1 (unknown internal action @@cc/no-such-internal-action)');
    expect(out).toContain('[W:2] dropped a message from M (not a clustercore envelope): "garbage"');
    // Logged at a limited rate (ISSUE-14): the first five of an interval in full, the rest as one count.
    // (A burst of 11 is shown as 5 + a count, unless a loaded machine spreads it over two intervals.)
    const shown = (p: string) => c.lines.filter((l) => l.startsWith(`[${p}] dropped a message`)).length;
    const [w2Hidden] = await c.waitFor(/\[W:2\] dropped \d+ more message\(s\) in the last 1000 ms/).then((l) => [Number(/dropped (\d+) more/.exec(l)![1])]);
    const [mHidden] = await c.waitFor(/\[M\] dropped \d+ more message\(s\) in the last 1000 ms/).then((l) => [Number(/dropped (\d+) more/.exec(l)![1])]);
    expect(shown('W:2')).toBeLessThan(11);
    expect(shown('M')).toBeLessThan(10);
    expect(w2Hidden).toBeGreaterThan(0);
    expect(mHidden).toBeGreaterThan(0);
    // User hooks saw only the real messages (including the good envelope inside a mixed frame).
    const hooks = c.reports<Report>().filter((r) => r.event === 'hook').map((r) => `${r.processId}:${r.hook}:${r.action}`);
    expect(hooks.sort()).toEqual([
      'M:did:AFTER_GARBAGE', 'M:did:HELLO', 'M:did:INSIDE_MIXED_FRAME', 'M:will:AFTER_GARBAGE', 'M:will:HELLO', 'M:will:INSIDE_MIXED_FRAME',
      'W:2:did:AFTER_GARBAGE', 'W:2:did:INSIDE_MIXED_FRAME', 'W:2:will:AFTER_GARBAGE', 'W:2:will:INSIDE_MIXED_FRAME',
    ]);
    // Nobody crashed.
    expect(isAlive(c.pid)).toBe(true);
    expect(isAlive(worker.pid)).toBe(true);
    expect(out).not.toMatch(/exited|Uncaught|TypeError/);
  });
});
