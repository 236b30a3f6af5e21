/**
 * Seed 000's global-object samples for get / set / array commands / remove (samples/corejs/global-*.js),
 * run unchanged but for their first line. They never exit by themselves: each test waits for the
 * lines the sample prints, then the helper kills the group.
 */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

const after = (line: string, marker: string) => line.slice(line.indexOf(marker) + marker.length);

describe('Corejs samples: global object (set / get / array commands / remove)', () => {
  it('R-GLOBAL-2: seed 000 setGlobalObject sample — every process writes its pid under processDetail and reads it back after 1 s', async () => {
    const c = startCluster(sample('corejs/global-set.js'));
    const lines = await c.waitForCount(/^进程\[.+\]的PID -> /, 5, 30_000);
    const pids = new Map(lines.map((l) => {
      const m = /^进程\[(.+)\]的PID -> (.*)$/.exec(l)!;
      return [m[1], m[2]] as const;
    }));
    expect([...pids.keys()].sort()).toEqual(['1', '2', '3', '4', 'M']);
    expect(pids.get('M')).toBe(String(c.pid));
    // Five distinct pids, each a number.
    expect([...pids.values()].filter((pid) => /^\d+$/.test(pid))).toHaveLength(5);
    expect(new Set(pids.values()).size).toBe(5);
  });

  it('R-GLOBAL-2: seed 000 array-command sample — PUSH from every process; every printed global object is a prefix of one linear history', async () => {
    const c = startCluster(sample('corejs/global-array-commands.js'));
    const marker = '当前应用程序中的全局对象为 -> ';
    const lines = await c.waitForCount(marker, 5, 30_000);
    const arrays = lines.map((l) => (JSON.parse(after(l, marker)) as { processDetail: { processId: string; processPid: number }[] }).processDetail);
    const longest = arrays.reduce((a, b) => (b.length > a.length ? b : a));
    // Each worker printed after its own PUSH, so the union of what was printed holds every process.
    expect(longest.map((d) => d.processId).sort()).toEqual(['M', 'W:1', 'W:2', 'W:3', 'W:4']);
    expect(longest[0]).toEqual({ processId: 'M', processPid: c.pid });
    // Pushes apply one at a time: every snapshot (at least one per process) is a prefix of the longest one.
    expect(arrays.length).toBeGreaterThanOrEqual(5);
    expect(arrays.filter((a) => JSON.stringify(longest.slice(0, a.length)) === JSON.stringify(a))).toHaveLength(arrays.length);
  });

  it('R-GLOBAL-3: seed 000 removeGlobalObject sample — processDetail.M is deleted, then processDetail', async () => {
    const c = startCluster(sample('corejs/global-remove.js'));
    const first = await c.waitFor('移除processDetail.M后的全局对象 -> ', 30_000);
    const second = await c.waitFor('移除processDetail后的全局对象 -> ', 30_000);
    const afterFirst = JSON.parse(after(first, ' -> ')) as { processDetail: Record<string, number> };
    expect(Object.keys(afterFirst)).toEqual(['processDetail']);
    expect(afterFirst.processDetail).not.toHaveProperty('M');
    // Workers that wrote before the removal (1 s after start: how many did is up to the machine's
    // speed, 0 to 4) are still there, each under its offset with the pid of a distinct worker.
    const entries = Object.entries(afterFirst.processDetail);
    expect(entries.length).toBeLessThanOrEqual(4);
    expect(entries.filter(([key, pid]) => ['1', '2', '3', '4'].includes(key) && Number.isInteger(pid) && pid !== c.pid)).toHaveLength(entries.length);
    expect(new Set(entries.map(([, pid]) => pid)).size).toBe(entries.length);
    expect(after(second, ' -> ')).toBe('{}');
    expect(c.lines.indexOf(first)).toBeLessThan(c.lines.indexOf(second));
  });
});
