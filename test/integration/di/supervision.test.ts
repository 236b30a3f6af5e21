/**
 * R-SUP-1..5 and the bootstrap options on real groups (fixture test/fixtures/di/supervise.ts, one
 * scenario per run). Every wait is for a printed event; every run ends with the master's exit.
 */
import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

interface Report { event: string; pid: number; processId?: string; [k: string]: unknown }

const start = (scenario: string) => startCluster(fixture('di/supervise'), [scenario]);

describe('ISSUE-5: supervision of a bootstrapped group', () => {
  it('R-SUP-1: workers: 0 starts one worker per CPU (os.availableParallelism())', async () => {
    const c = start('cpus');
    const ready = await c.waitForReport<Report>('app-ready');
    const ids = ready.ids as string[];
    expect(ids.filter((id) => id.startsWith('W:'))).toHaveLength(ready.cpus as number);
    c.signal('SIGTERM');
    expect((await c.exited()).code).toBe(0);
  });

  it('R-SUP-2: a worker that exits unexpectedly is replaced with the same id, keeping the count', async () => {
    const c = start('crash');
    await c.waitForReport('app-ready');
    const first = c.reports<Report>().find((r) => r.event === 'init' && r.processId === 'W:1')!;
    const exit = await c.waitForReport<Report>('worker-exit', (r) => r.id === 'W:1');
    expect(exit).toMatchObject({ code: 1, signal: null });
    const again = await c.waitForReport<Report>('init', (r) => r.processId === 'W:1' && r.pid !== first.pid);
    expect(again.ids).toEqual(['M', 'W:1', 'W:2']);
    expect(c.lines).toContain('[M] W:1 exited (code 1, signal null, reason crash); restarting it now');
    c.signal('SIGTERM');
    expect((await c.exited()).code).toBe(0);
  });

  it('R-SUP-2/R-SUP-3: repeated crashes back off; with no live worker for `limit` s the group exits non-zero and says why', async () => {
    const c = start('crashloop');
    const exit = await c.exited(30_000);
    expect(exit.code, c.output()).toBe(1);
    const delays = c.lines
      .map((l) => /^\[M\] W:1 exited \(code 1, signal null, reason crash\); restarting it (now|in (\d+) ms)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => (m[1] === 'now' ? 0 : Number(m[2])));
    expect(delays.length, c.output()).toBeGreaterThanOrEqual(3);
    expect(delays.slice(0, 3)).toEqual([0, 500, 1000]);
    expect(c.lines).toContain("[M] no worker has been alive for 10 s (option 'limit'): shutting the group down with exit code 1");
  }, 40_000);

  it('ISSUE-5: with refork off an exited worker is not replaced; the logger option receives the lines', async () => {
    const c = start('norefork');
    const exit = await c.waitForReport<Report>('worker-exit', (r) => r.id === 'W:1');
    expect(exit.ids).toEqual(['M', 'W:2']);
    expect(c.lines).toContain('CUSTOM W:1 exited (code 1, signal null, reason crash); not replaced (refork is off)');
    expect(c.output()).not.toContain('restarting');
    c.signal('SIGTERM');
    expect((await c.exited()).code).toBe(0);
  });

  it('R-SUP-5: an uncaught error in the alone process is logged and the process stays up', async () => {
    const c = start('alone-throw');
    const r = await c.waitForReport<Report>('alone-after-throw');
    expect(r.after).toBe(r.before);
    expect(r.again).toBe(r.before);
    expect(c.output()).toContain('[A] uncaught exception (the alone process stays up): Error: boom in the alone process');
    c.signal('SIGTERM');
    expect((await c.exited()).code).toBe(0);
  });

  it('R-SUP-5: when the alone process exits, the master starts it again', async () => {
    const c = start('alone-exit');
    const before = await c.waitForReport<Report>('alone-before');
    const again = await c.waitForReport<Report>('init', (r) => r.processId === 'A' && r.pid !== before.pid);
    expect(again.processId).toBe('A');
    expect(c.lines).toContain('[M] A exited (code 3, signal null, reason crash); restarting it now');
    c.signal('SIGTERM');
    expect((await c.exited()).code).toBe(0);
  });

  it('R-SUP-4: a start that misses startupTimeout fails naming the worker that did not come up, and exits non-zero', async () => {
    const c = start('stuck-worker');
    const failed = await c.waitForReport<Report>('bootstrap-failed');
    expect(failed.name).toBe('ClusterCoreError');
    expect(failed.message).toBe("bootstrap: the group did not start within 5000 ms (option 'startupTimeout'): W:2 did not report ready");
    expect((await c.exited()).code).toBe(1);
  });

  it('R-SUP-4: an alone process that does not come up is named, and no worker is forked', async () => {
    const c = start('stuck-alone');
    const failed = await c.waitForReport<Report>('bootstrap-failed');
    expect(failed.message).toBe("bootstrap: the group did not start within 1500 ms (option 'startupTimeout'): A did not report ready (no worker was started yet)");
    expect((await c.exited()).code).toBe(1);
    expect(c.reports<Report>().filter((r) => r.event === 'init')).toEqual([]);
  });

  it("ISSUE-5: option env reaches every child; option title names each process '<title> <id>'", async () => {
    const c = start('env-title');
    const ready = await c.waitForReport<Report>('app-ready');
    expect(ready.title).toBe('cc-fixture M');
    const inits = c.reports<Report>().filter((r) => r.event === 'init');
    expect(inits.map((r) => [r.processId, r.title, r.flag]).sort()).toEqual([
      ['A', 'cc-fixture A', 'on'],
      ['W:1', 'cc-fixture W:1', 'on'],
      ['W:2', 'cc-fixture W:2', 'on'],
    ]);
    c.signal('SIGTERM');
    expect((await c.exited()).code).toBe(0);
  });
});
