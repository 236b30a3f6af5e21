/**
 * R-OBS-2 with R-SUP-6: `clustercore reload` replaces every worker one by one, printing each, and
 * the table shows the new pids under the same ids (needs MasterEngine.reload from the supervision work).
 */
import { describe, expect, it } from 'vitest';
import type { GroupStatus } from '../../../src/protocol/process-status';
import { isAlive } from '../../helpers/cluster-process';
import { cli, startGroup, uniqueApp, until } from '../../helpers/operate';

describe('R-OBS-2: clustercore reload', () => {
  it('R-OBS-2: reload replaces every worker, shows each one replaced, and keeps ids, the master and the alone process', async () => {
    const app = uniqueApp('reload');
    const { ready } = await startGroup(app);
    const before = Object.fromEntries(ready.status.processes.map((p) => [p.id, p.pid!]));
    const run = await cli(['reload', app], { timeoutMs: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const replaced = lines.slice(0, -1).map((l) => /^(W:\d+) replaced: pid (\d+) → (\d+)$/.exec(l));
    expect(replaced.map((m) => m?.[1]).sort()).toEqual(['W:1', 'W:2']);
    for (const m of replaced) {
      expect(Number(m![2])).toBe(before[m![1]]);
      expect(Number(m![3])).not.toBe(before[m![1]]);
    }
    expect(lines[lines.length - 1]).toBe(`reloaded ${app}: 2 worker(s) replaced`);

    const status = JSON.parse((await cli(['status', app, '--json'])).stdout) as GroupStatus;
    expect(status.processes.map((p) => p.id)).toEqual(['M', 'W:1', 'W:2', 'A']);
    const after = Object.fromEntries(status.processes.map((p) => [p.id, p]));
    expect([after.M.pid, after.A.pid]).toEqual([before.M, before.A]);
    for (const m of replaced) {
      expect(after[m![1]].pid).toBe(Number(m![3]));
      expect(after[m![1]].restarts).toBe(1);
      expect(after[m![1]].lastExit?.reason).toBe('reload');
    }
    await until(() => !isAlive(before['W:1']) && !isAlive(before['W:2']), 'the old workers gone', 10_000);
  });
});
