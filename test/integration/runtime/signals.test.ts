import { describe, expect, it } from 'vitest';
import { fixture, isRunning, startCluster, type RunningCluster } from '../../helpers/cluster-process';


/** Resolves once none of `pids` runs; rejects after `timeoutMs`. Polls: a foreign process gives no event. */
function allGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      const left = pids.filter(isRunning);
      if (left.length === 0) return resolve();
      if (Date.now() > deadline) return reject(new Error(`still running after ${timeoutMs} ms: ${left.join(', ')}`));
      setTimeout(check, 25);
    };
    check();
  });
}

async function startGroup(): Promise<{ c: RunningCluster; pids: number[] }> {
  const c = startCluster(fixture('runtime/signals'));
  const ready = await c.waitForReport<{ master: number; workers: number[] }>('ready', undefined, 20_000);
  expect(ready.master).toBe(c.pid);
  const pids = [ready.master, ...ready.workers];
  for (const pid of pids) expect(isRunning(pid)).toBe(true);
  return { c, pids };
}

describe('stopping the group', () => {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`R-SUP-7: ${sig} to the master stops the whole group: onProcessWillExit everywhere, exit code 0, no process left`, async () => {
      const { c, pids } = await startGroup();
      c.signal(sig);
      expect(await c.exited(15_000)).toEqual({ code: 0, signal: null });
      await allGone(pids, 5000);
      const willExit = c.reports<{ event: string; processId: string }>().filter((r) => r.event === 'will-exit').map((r) => r.processId);
      expect(willExit.sort()).toEqual(['M', 'W:1', 'W:2']);
      expect(c.output()).toContain(`[M] ${sig} received: shutting the group down`);
    });
  }

  it('R-SUP-7: killing the master with SIGKILL makes every child, the alone process included, exit within a second (no orphans)', async () => {
    const c = startCluster(fixture('runtime/orphans'));
    const ready = await c.waitForReport<{ master: number; children: Record<string, number> }>('ready', undefined, 20_000);
    expect(Object.keys(ready.children)).toEqual(['W:1', 'W:2', 'A']);
    const children = Object.values(ready.children);
    expect(children.filter(isRunning)).toHaveLength(3);
    // The SPEC's second counts from the master's death: the clock starts before the signal is sent.
    const killedAt = Date.now();
    c.signal('SIGKILL');
    await allGone(children, 1000);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(1000);
    expect(await c.exited(5000)).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
