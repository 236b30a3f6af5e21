/**
 * R-OBS-1: every process keeps counters; core.status() from any process resolves with the group's
 * table, one row per process, and the master adds restarts and the last exit reason.
 */
import { describe, expect, it } from 'vitest';
import type { GroupStatus, ProcessStatus } from '../../../src/protocol/process-status';
import { isAlive } from '../../helpers/cluster-process';
import { cli, startGroup, uniqueApp, until } from '../../helpers/operate';

const byId = (s: GroupStatus) => Object.fromEntries(s.processes.map((p) => [p.id, p])) as Record<string, ProcessStatus>;

describe('R-OBS-1: counters and core.status()', () => {
  it('R-OBS-1: core.status() in the master and in a worker (and ClusterCore.status(cb)) lists every process with its counters', async () => {
    const app = uniqueApp('status');
    const { ready } = await startGroup(app, { REQUESTS: '7' });
    for (const table of [ready.status, ready.fromWorker]) {
      expect(table.app).toBe(app);
      expect(table.processes.map((p) => p.id)).toEqual(['M', 'W:1', 'W:2', 'A']);
      expect(table.processes.map((p) => p.role)).toEqual(['master', 'worker', 'worker', 'alone']);
      expect(table.processes.map((p) => p.state)).toEqual(['ready', 'ready', 'ready', 'ready']);
      for (const p of table.processes) {
        expect(p.counters, p.id).not.toBeNull();
        expect(p.counters!.pid).toBe(p.pid);
        expect(p.counters!.memory.rss).toBeGreaterThan(1_000_000);
        expect(p.counters!.messages.in).toBeGreaterThan(0);
        expect(p.counters!.messages.out).toBeGreaterThan(0);
        // Bytes come from Node's IPC pipe: at least a byte per envelope each way.
        expect(p.counters!.bytes!.in).toBeGreaterThan(p.counters!.messages.in);
        expect(p.counters!.bytes!.out).toBeGreaterThan(p.counters!.messages.out);
        expect(p.restarts).toBe(0);
        expect(p.lastExit).toBeNull();
      }
    }
    // The Corejs-style callback form, static: ClusterCore.status((err, status) => …).
    expect(ready.viaCallback).toEqual(['M', 'W:1', 'W:2', 'A']);
    const m = byId(ready.status).M.counters!;
    // 7 PINGs to each of two workers answered, one FAIL answered with a RemoteError; nothing timed out.
    expect(m.requests).toMatchObject({ started: 15, answered: 14, failed: 1, timedOut: 0 });
    expect(m.histogram.count).toBe(15);
    expect(m.histogram.counts[m.histogram.counts.length - 1]).toBe(15);
    expect(m.latency.p50).toBeGreaterThan(0);
    expect(m.latency.p99!).toBeGreaterThanOrEqual(m.latency.p50!);
    // Each worker served its PINGs (+ W:1 the FAIL); the status gathering itself is not counted.
    const w = byId(ready.status);
    expect(w['W:1'].counters!.requests.served).toBe(8);
    expect(w['W:2'].counters!.requests.served).toBe(7);
    // Seen from W:1 (asked by the master's STATUS request, which is still in flight): 16 started, the same outcomes.
    expect(byId(ready.fromWorker).M.counters!.requests).toMatchObject({ started: 16, answered: 14, failed: 1, timedOut: 0 });
  });

  it('R-OBS-1: a worker killed and replaced shows one restart and its last exit reason', async () => {
    const app = uniqueApp('restart');
    const { ready } = await startGroup(app);
    const old = byId(ready.status)['W:2'].pid!;
    process.kill(old, 'SIGKILL');
    let row: ProcessStatus | undefined;
    await until(async () => {
      const run = await cli(['status', app, '--json']);
      row = run.code === 0 ? byId(JSON.parse(run.stdout) as GroupStatus)['W:2'] : undefined;
      return row !== undefined && row.pid !== old && row.state === 'ready' && row.counters !== null;
    }, 'W:2 replaced and ready', 20_000);
    expect(isAlive(old)).toBe(false);
    expect(row!.restarts).toBe(1);
    expect(row!.lastExit).toMatchObject({ code: null, signal: 'SIGKILL', reason: 'crash' });
    expect(row!.counters!.uptime).toBeLessThan(60);
  });
});
