import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('Corejs samples: AppMain lifecycle', () => {
  it('R-PROC-3: seed 000 standard sample — M forks 4 workers; each exits after 1.5 s and reboot() restarts it with the same id', async () => {
    // The sample restarts its workers forever: wait for every worker to come back once, then the helper kills the group.
    const c = startCluster(sample('corejs/lifecycle.js'));
    await c.waitFor('Master进程初始化完成');
    const lines = await c.waitForCount(/^Worker进程初始化完成 -> /, 8, 20_000);
    expect(c.lines.filter((l) => l === 'Master进程初始化完成')).toHaveLength(1);
    const ids = lines.map((l) => l.replace('Worker进程初始化完成 -> ', ''));
    expect([...new Set(ids.slice(0, 4))].sort()).toEqual(['W:1', 'W:2', 'W:3', 'W:4']);
    // Restarts reuse the ids: no W:5 ever.
    expect([...new Set(ids)].sort()).toEqual(['W:1', 'W:2', 'W:3', 'W:4']);
    expect(c.output()).not.toMatch(/threw|failed|Error/);
  });

  it('R-PROC-1: seed 001 AppMain sample — M forks 4 workers with this.clusterCore.fork(4), each prints its id', async () => {
    const c = startCluster(sample('corejs/app-main-001.js'));
    const lines = await c.waitForCount(/^Worker进程创建完成 -> /, 4);
    expect(lines.sort()).toEqual(['W:1', 'W:2', 'W:3', 'W:4'].map((id) => `Worker进程创建完成 -> ${id}`));
    expect(c.lines.filter((l) => l === 'Master进程创建完成')).toHaveLength(1);
    expect(c.lines.indexOf('Master进程创建完成')).toBeLessThan(c.lines.indexOf(lines[0]));
  });
});
