/**
 * R-SUP-6: rolling reload on real groups (fixture test/fixtures/supervise/health.ts). The HTTP load
 * runs from this process on loopback; every wait is for a printed event or a bounded poll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, startCluster, type RunningCluster } from '../../helpers/cluster-process';
import { startLoad } from '../../helpers/http-load';

interface Report { event: string; pid: number; [k: string]: unknown }
interface Ready extends Report { ids: string[]; pids: number[] }

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function start(scenario: string, workers = 2): { c: RunningCluster; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-reload-'));
  dirs.push(dir);
  return { c: startCluster(fixture('supervise/health'), [scenario, String(workers)], { FIXTURE_DIR: dir }), dir };
}

async function portOf(c: RunningCluster): Promise<number> {
  return (await c.waitForReport<Report>('init', (r) => r.processId === 'W:1')).port as number;
}

/** Reload under load: zero failed requests, every pid replaced, ids kept. */
async function reloadUnderLoad(workers: number, signal: 'SIGHUP' | 'SIGUSR2'): Promise<void> {
  const { c } = start('reload', workers);
  const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
  const port = await portOf(c);
  const load = startLoad(port, { concurrency: 4, maxMs: 90_000 });
  // The load is flowing before the reload starts.
  await waitUntil(() => load.result.ok >= 20, 15_000, 'the first 20 answers');
  c.signal(signal);
  let after: Ready;
  if (signal === 'SIGHUP') {
    after = await c.waitForReport<Ready>('reload-done', undefined, 60_000);
  } else {
    await c.waitFor(/^\[M\] reload: done in \d+ ms$/, 60_000);
    c.signal('SIGWINCH');
    after = await c.waitForReport<Ready>('state', undefined, 15_000);
  }
  const okAtDone = load.result.ok;
  await waitUntil(() => load.result.ok >= okAtDone + 20, 15_000, '20 answers after the reload');
  const result = await load.stop();
  expect(result.failed, c.output()).toEqual([]);
  expect(after.ids).toEqual(before.ids);
  expect(after.pids).toHaveLength(workers);
  for (const pid of after.pids) expect(before.pids).not.toContain(pid);
  // The last answers come from the new workers only.
  const last = result.pids.slice(-10);
  expect(last).toHaveLength(10);
  for (const pid of last) expect(after.pids).toContain(pid);
  // Every old worker retired: onProcessWillExit ran, and it exited for the reload.
  const exits = c.reports<Report>().filter((r) => r.event === 'worker-exit');
  expect(exits.map((r) => r.reason)).toEqual(Array(workers).fill('reload'));
  c.signal('SIGTERM');
  expect((await c.exited(15_000)).code).toBe(0);
}

function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

describe('R-SUP-6: rolling reload', () => {
  it('R-SUP-6: reload() under HTTP load replaces both workers of 2 with zero failed requests, ids kept', async () => {
    await reloadUnderLoad(2, 'SIGHUP');
  }, 120_000);

  it('R-SUP-6: reload() under HTTP load replaces all 4 workers with zero failed requests, ids kept', async () => {
    await reloadUnderLoad(4, 'SIGHUP');
  }, 150_000);

  it('R-SUP-6: SIGUSR2 to the master reloads under HTTP load with zero failed requests', async () => {
    await reloadUnderLoad(2, 'SIGUSR2');
  }, 120_000);
});

describe('R-SUP-6: what the old process received', () => {
  it('R-SUP-6: a request the old W:1 received before the switch is still answered by it; its own request while retiring gets its answer; later messages to W:1 reach the new one', async () => {
    const { c } = start('inflight', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    const done = await c.waitForReport<Ready>('reload-done', undefined, 60_000);
    const answered = await c.waitForReport<Report>('slow-answered', undefined, 5000);
    expect(answered.by).toBe(before.pids[0]);
    const asked = await c.waitForReport<Report>('retiring-asked', (r) => r.pid === before.pids[0], 5000);
    expect(asked.ids).toEqual(['M', 'W:1', 'W:2']);
    expect(done.w1).toBe(done.pids[0]);
    expect(done.pids[0]).not.toBe(before.pids[0]);
    expect(c.reports<Report>().filter((r) => r.event === 'slow-failed')).toEqual([]);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 90_000);
});

describe('R-SUP-6: a reload that cannot complete, concurrent calls, the alone process, other doors', () => {
  it('R-SUP-6: a replacement whose onProcessDidInit throws makes reload() reject with ReloadError carrying its message; the old workers keep answering', async () => {
    const { c, dir } = start('reload', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    const port = await portOf(c);
    const load = startLoad(port, { concurrency: 2, maxMs: 60_000 });
    await waitUntil(() => load.result.ok >= 10, 15_000, 'the first 10 answers');
    fs.writeFileSync(path.join(dir, 'fail'), '1');
    c.signal('SIGHUP');
    const failed = await c.waitForReport<Report>('reload-failed', undefined, 30_000);
    expect(failed).toMatchObject({ name: 'ReloadError', isReloadError: true, processId: 'W:1' });
    expect(failed.message).toContain('boom from the replacement of W:1');
    const okAtFailure = load.result.ok;
    await waitUntil(() => load.result.ok >= okAtFailure + 20, 15_000, '20 answers after the failed reload');
    const result = await load.stop();
    expect(result.failed, c.output()).toEqual([]);
    // Every answer, before and after, came from the old workers; the group is as it was.
    expect(new Set(result.pids)).toEqual(new Set(before.pids));
    c.signal('SIGWINCH');
    const state = await c.waitForReport<Ready>('state');
    expect(state.ids).toEqual(before.ids);
    expect(state.pids).toEqual(before.pids);
    // The replacement exited (reason reload) and was not restarted; the old W:1 did not run onProcessWillExit.
    const exits = c.reports<Report>().filter((r) => r.event === 'worker-exit');
    expect(exits.map((r) => [r.id, r.reason])).toEqual([['W:1', 'reload']]);
    expect(c.reports<Report>().filter((r) => r.event === 'will-exit')).toEqual([]);
    expect(c.output()).toContain('[M] reload stopped after');
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 90_000);

  it('R-SUP-6: a replacement not ready within startupTimeout is killed and reload() rejects with ReloadError naming the worker; nothing else changes', async () => {
    const { c, dir } = start('reload-slow', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    fs.writeFileSync(path.join(dir, 'hang'), '1');
    c.signal('SIGHUP');
    const failed = await c.waitForReport<Report>('reload-failed', undefined, 30_000);
    expect(failed).toMatchObject({ name: 'ReloadError', processId: 'W:1' });
    expect(failed.message).toBe("reload: the replacement of W:1 failed to start: it did not report ready within 6000 ms (option 'startupTimeout'); the rollout stopped and the processes not replaced yet keep serving");
    c.signal('SIGWINCH');
    const state = await c.waitForReport<Ready>('state');
    expect(state.pids).toEqual(before.pids);
    expect(c.reports<Report>().filter((r) => r.event === 'worker-exit').map((r) => [r.id, r.reason, r.signal])).toEqual([['W:1', 'reload', 'SIGKILL']]);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 60_000);

  it('R-SUP-6: concurrent reload() calls coalesce: the calls made while one runs share one queued reload (three calls, each worker replaced twice, not three times)', async () => {
    const { c } = start('coalesce', 2);
    await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    await c.waitForReport<Report>('settled', (r) => r.call === 3, 90_000);
    const settled = c.reports<Report>().filter((r) => r.event === 'settled').map((r) => r.call);
    expect(settled).toHaveLength(3);
    expect(settled[0]).toBe(1);
    expect(settled.slice(1).sort()).toEqual([2, 3]);
    expect(c.lines.filter((l) => l.startsWith('[M] reload: replacing 2 worker(s)'))).toHaveLength(2);
    expect(c.lines.filter((l) => /^\[M\] W:1 replaced \(reload\)/.test(l))).toHaveLength(2);
    expect(c.lines.filter((l) => /^\[M\] W:2 replaced \(reload\)/.test(l))).toHaveLength(2);
    expect(c.reports<Report>().filter((r) => r.event === 'failed')).toEqual([]);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 120_000);

  it('R-SUP-6: reload({ alone: true }) replaces the alone process stop-then-start: two alone processes never run at once', async () => {
    const { c } = start('alone', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    const first = await c.waitForReport<Report>('alone-init');
    c.signal('SIGHUP');
    const after = await c.waitForReport<Ready>('reload-done', undefined, 60_000);
    const inits = c.reports<Report>().filter((r) => r.event === 'alone-init');
    expect(inits).toHaveLength(2);
    expect(inits[1]).toMatchObject({ previous: first.pid, previousAlive: false });
    expect(inits[1].pid).not.toBe(first.pid);
    expect(after.ids).toEqual(before.ids);
    for (const pid of after.pids) expect(before.pids).not.toContain(pid);
    expect(c.reports<Report>().filter((r) => r.event === 'will-exit' && r.pid === first.pid)).toHaveLength(1);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);
  }, 90_000);

  it('R-SUP-6: the alone process can reload the group (core.reload() from a child); Corejs ClusterCore.reload(cb) works in the master', async () => {
    const { c } = start('from-alone', 2);
    const before = await c.waitForReport<Ready>('app-ready', undefined, 30_000);
    c.signal('SIGHUP');
    await c.waitForReport<Report>('alone-reload-done', undefined, 60_000);
    c.signal('SIGWINCH');
    const state = await c.waitForReport<Ready>('state');
    expect(state.ids).toEqual(before.ids);
    for (const pid of state.pids) expect(before.pids).not.toContain(pid);
    c.signal('SIGTERM');
    expect((await c.exited(15_000)).code).toBe(0);

    const d = start('corejs', 2).c;
    const b2 = await d.waitForReport<Ready>('app-ready', undefined, 30_000);
    d.signal('SIGHUP');
    const a2 = await d.waitForReport<Ready>('reload-done', undefined, 60_000);
    for (const pid of a2.pids) expect(b2.pids).not.toContain(pid);
    d.signal('SIGTERM');
    expect((await d.exited(15_000)).code).toBe(0);
  }, 120_000);
});
