/**
 * R-SUP-7 / R-SUP-8: health checks on real groups (fixture test/fixtures/supervise/health.ts):
 * stuck loops, orphans, memory, exit reasons, watch, failed starts. Heartbeat values are small
 * (200 ms / 1 500 ms) so that each run is short.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, isRunning, startCluster, type RunningCluster } from '../../helpers/cluster-process';

interface Report { event: string; pid: number; [k: string]: unknown }
interface Ready extends Report { ids: string[]; pids: number[] }

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function start(scenario: string, workers = 2, setup?: (dir: string) => void): { c: RunningCluster; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-health-'));
  dirs.push(dir);
  setup?.(dir);
  return { c: startCluster(fixture('supervise/health'), [scenario, String(workers)], { FIXTURE_DIR: dir }), dir };
}


/** Time when a line matching `pattern` arrived, measured by polling the output. */
async function arrival(c: RunningCluster, pattern: RegExp, ms: number): Promise<number> {
  await c.waitFor(pattern, ms);
  return Date.now();
}

describe('R-SUP-8: hang detection', () => {
  it('R-SUP-8: a worker stuck in for (;;) {} is reported with the stuck function, killed and replaced within heartbeatTimeout + heartbeatInterval + its start-up', async () => {
    const { c } = start('spin', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    const spinningAt = await arrival(c, /"event":"spinning"/, 15_000);
    const exit = await c.waitForReport<Report>('worker-exit', (r) => r.id === 'W:1', 15_000);
    const exitAt = Date.now();
    expect(exit).toMatchObject({ reason: 'unresponsive', signal: 'SIGKILL' });
    expect((exit.stack as string[])[0]).toMatch(/^spinForever \(.*health\.js:\d+:\d+\)$/);
    const line = c.lines.find((l) => l.includes('missed its heartbeat'));
    expect(line).toMatch(/^\[M\] W:1 \(pid \d+\) missed its heartbeat for \d+ ms \(heartbeatTimeout 1500 ms\): its event loop is stuck at spinForever \(/);
    // heartbeatTimeout (1500) + heartbeatInterval (200), plus 1 s for scheduling on a loaded 2-core machine.
    expect(exitAt - spinningAt).toBeLessThan(1500 + 200 + 1000);
    const again = await c.waitForReport<Report>('init', (r) => r.processId === 'W:1' && r.pid !== before.pids[0], 15_000);
    expect(again.pid).not.toBe(before.pids[0]);
    expect(c.lines).toContain('[M] W:1 exited (code null, signal SIGKILL, reason unresponsive); restarting it now');
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 60_000);

  it('R-SUP-8: sends queued to a stuck worker fail as soon as it is killed instead of staying pending', async () => {
    const { c } = start('spin-flood', 2);
    await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    await c.waitForReport<Report>('worker-exit', (r) => r.id === 'W:1', 15_000);
    const exitAt = Date.now();
    const settled = await c.waitForReport<Report>('flood-settled', undefined, 5000);
    expect(Date.now() - exitAt).toBeLessThan(5000);
    expect((settled.ok as number) + (settled.failed as number)).toBe(3000);
    expect(settled.failed as number).toBeGreaterThan(0);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 60_000);

  it('R-SUP-7: SIGTERM while a worker is stuck still exits within shutdownTimeout + 1 s', async () => {
    const { c } = start('spin-term', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    await c.waitForReport<Report>('spinning', undefined, 15_000);
    const t0 = Date.now();
    c.signal('SIGTERM');
    const exit = await c.exited(10_000);
    expect(Date.now() - t0).toBeLessThan(2000 + 1000);
    expect(exit.code).toBe(0);
    for (const pid of before.pids) expect(isRunning(pid)).toBe(false);
    expect(c.output()).toMatch(/\[M\] W:1 \(pid \d+\) did not exit in time; killing it/);
  }, 60_000);

  it('R-SUP-7: SIGKILL on the master while a worker is stuck leaves no process alive after 1 s', async () => {
    const { c } = start('spin-kill', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    await c.waitForReport<Report>('spinning', undefined, 15_000);
    c.signal('SIGKILL');
    await c.exited(5000);
    const deadline = Date.now() + 1000;
    while (before.pids.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(before.pids.filter(isRunning)).toEqual([]);
  }, 60_000);
});

describe('R-SUP-8: memory limit, exit reasons, watch, failed starts', () => {
  it('R-SUP-8: a worker past maxMemory is replaced gracefully: the new one first, then the old one runs onProcessWillExit; reason memory', async () => {
    const { c } = start('grow', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    await c.waitForReport<Report>('grown', undefined, 15_000);
    const exit = await c.waitForReport<Report>('worker-exit', (r) => r.id === 'W:1', 30_000);
    expect(exit).toMatchObject({ reason: 'memory', code: 0, signal: null });
    const reports = c.reports<Report>();
    const fresh = reports.findIndex((r) => r.event === 'init' && r.processId === 'W:1' && r.pid !== before.pids[0]);
    const willExit = reports.findIndex((r) => r.event === 'will-exit' && r.pid === before.pids[0]);
    expect(fresh).toBeGreaterThan(-1);
    expect(willExit).toBeGreaterThan(fresh);
    expect(c.output()).toMatch(/\[M\] W:1 \(pid \d+\) uses \d+ MB of memory \(RSS\), above maxMemory \(150 MB\): replacing it gracefully/);
    c.signal('SIGWINCH');
    const state = await c.waitForReport<Ready>('state');
    expect(state.ids).toEqual(before.ids);
    expect(state.pids[1]).toBe(before.pids[1]);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 60_000);

  it('R-SUP-8: watch reloads once per burst of changes and names the file', async () => {
    const { c, dir } = start('watch', 2, (d) => fs.mkdirSync(path.join(d, 'watched')));
    await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'watched', `f${i}.js`), String(i));
    await c.waitForCount(/^\[M\] reload: done in/, 1, 60_000);
    expect(c.lines.filter((l) => l.startsWith('[M] watch: '))).toHaveLength(1);
    expect(c.output()).toMatch(new RegExp(`\\[M\\] watch: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/watched/f\\d\\.js changed`));
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, 'watched', `g${i}.js`), String(i));
    await c.waitForCount(/^\[M\] reload: done in/, 2, 60_000);
    expect(c.lines.filter((l) => l.startsWith('[M] watch: '))).toHaveLength(2);
    expect(c.lines.filter((l) => l.startsWith('[M] reload: replacing'))).toHaveLength(2);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 120_000);

  it('ISSUE-14: a worker whose onProcessDidInit throws has failed to start: logged, exits, restarted with back-off, never ready; bootstrap fails naming its error', async () => {
    const { c } = start('failstart', 2, (d) => fs.writeFileSync(path.join(d, 'fail'), '1'));
    // Restarted with back-off while the start waits (startupTimeout 8 000 ms).
    await c.waitFor('[M] W:1 exited (code 1, signal null, reason crash); restarting it in 500 ms (failure 2 in a row)', 20_000);
    const failed = await c.waitForReport<Report>('bootstrap-failed', (r) => r.pid === c.pid, 20_000);
    expect(failed.message).toMatch(/^bootstrap: the group did not start within 8000 ms \(option 'startupTimeout'\): W:1 \(its onProcessDidInit failed: boom from the replacement of W:1\), W:2 \(its onProcessDidInit failed: boom from the replacement of W:2\) did not report ready$/);
    expect((await c.exited(15_000)).code).toBe(1);
    expect(c.output()).toContain('[W:1] W:1 failed to start: onProcessDidInit failed: Error: boom from the replacement of W:1');
    expect(c.lines).toContain('[M] W:1 exited (code 1, signal null, reason crash); restarting it now');
    expect(c.reports<Report>().filter((r) => r.event === 'init' || r.event === 'app-ready')).toEqual([]);
  }, 60_000);
});
