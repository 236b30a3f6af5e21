/** ISSUE-5: samples/alone — the alone process starts first, takes jobs from workers, survives an uncaught error. */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('ISSUE-5: samples/alone', () => {
  it('R-SUP-4/R-SUP-5/R-MSG-4: jobs go worker → A → worker, A broadcasts, A logs an uncaught error and stays up', async () => {
    const c = startCluster(sample('dist/samples/alone/main.js'));
    const exit = await c.exited();
    expect(exit.code, c.output()).toBe(0);
    const lines = c.lines;
    const first = (p: string) => lines.findIndex((l) => l.startsWith(p));
    expect(first('[A] job runner up (started before any worker)')).toBeGreaterThanOrEqual(0);
    expect(first('[A] job runner up')).toBeLessThan(first('[W:'));
    for (const id of ['w1-1', 'w1-2', 'w2-1', 'w2-2']) {
      const worker = id.startsWith('w1') ? 'W:1' : 'W:2';
      expect(lines).toContain(`[A] queued job ${id} from ${worker}`);
      expect(lines.some((l) => l.startsWith(`[${worker}] job ${id} handed to A (`))).toBe(true);
      expect(lines).toContain(`[${worker}] job ${id} done by A: result ${id.endsWith('1') ? 20 : 40}`);
    }
    expect(lines).toContain('[A] ran 4 jobs; telling the master');
    expect(lines).toContain('[M] A ran all 4 jobs; stopping');
    expect(lines).toContain('[W:1] setting queue=drained from A');
    expect(lines).toContain('[W:2] setting queue=drained from A');
    expect(lines).toContain('[A] uncaught exception (the alone process stays up): Error: a background task failed');
    expect(lines.filter((l) => l.startsWith('[A] job runner up'))).toHaveLength(1);
  });
});
