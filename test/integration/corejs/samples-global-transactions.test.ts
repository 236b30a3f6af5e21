/**
 * Seed 000's 数据一致性 samples (samples/corejs/global-query.js, global-update-race.js), run
 * unchanged but for their first line; the helper kills each group once the expected lines are there.
 */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('Corejs samples: global object transactions (query / update)', () => {
  it('R-GLOBAL-4: seed 000 queryGlobalObject sample — each process finds its own entry with a context', async () => {
    const c = startCluster(sample('corejs/global-query.js'));
    const marker = '当前进程的信息 -> ';
    const lines = await c.waitForCount(marker, 5, 30_000);
    const found = lines.map((l) => JSON.parse(l.slice(l.indexOf(marker) + marker.length)) as { processId: string; processPid: number });
    expect(found.map((f) => f.processId).sort()).toEqual(['M', 'W:1', 'W:2', 'W:3', 'W:4']);
    expect(found.find((f) => f.processId === 'M')!.processPid).toBe(c.pid);
    for (const f of found) expect(Number.isInteger(f.processPid)).toBe(true);
  });

  it('R-GLOBAL-4: seed 000 updateGlobalObject resource race — 8 workers, 9 units: handed out + left = 9, never below 0', async () => {
    const c = startCluster(sample('corejs/global-update-race.js'));
    const won = /^进程\[W:(\d+)\]获取资源成功，当前剩余资源 -> (-?\d+)$/;
    const lost = /^进程\[W:(\d+)\]因未获取到资源退出$/;
    const lines = await c.waitForCount(/^进程\[W:\d+\](获取资源成功|因未获取到资源退出)/, 8, 40_000);
    const winners = lines.filter((l) => won.test(l)).map((l) => {
      const m = won.exec(l)!;
      return { offset: Number(m[1]), left: Number(m[2]) };
    });
    const losers = lines.filter((l) => lost.test(l)).map((l) => Number(lost.exec(l)![1]));
    // Every worker has exactly one outcome.
    expect([...winners.map((w) => w.offset), ...losers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const units = (offset: number) => (offset % 2 ? 1 : 2);
    // Replay the winners in the order the master applied them (units left strictly decreasing).
    const ordered = [...winners].sort((a, b) => b.left - a.left);
    let left = 9;
    for (const w of ordered) {
      left -= units(w.offset);
      expect(w.left).toBe(left);
      expect(w.left).toBeGreaterThanOrEqual(0);
    }
    const handedOut = winners.reduce((sum, w) => sum + units(w.offset), 0);
    expect(handedOut + left).toBe(9);
    // A loser lost because fewer units were left than it needed when its update ran, and units
    // only ever decrease, so fewer are left at the end too.
    for (const offset of losers) expect(left).toBeLessThan(units(offset));
  });
});
