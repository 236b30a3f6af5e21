import { describe, expect, it } from 'vitest';
import { fixture, startCluster, type RunningCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

const ARGS = ['extra-arg', '--flag=1', 'x y'];

/** Runs the lifecycle fixture to its end (it shuts itself down) and returns what every process reported. */
async function runLifecycle(): Promise<{ c: RunningCluster; reports: Report[] }> {
  const c = startCluster(fixture('runtime/lifecycle'), ARGS);
  const exit = await c.exited(20_000);
  expect(exit, c.output()).toEqual({ code: 0, signal: null });
  return { c, reports: c.reports<Report>() };
}

const of = (reports: Report[], event: string) => reports.filter((r) => r.event === event);

describe('processes (R-PROC)', () => {
  // The alone process 'A' of R-PROC-1 starts only with an @Alone class: tested with the decorator API, not here.
  it("R-PROC-1: the master is 'M', workers are 'W:<n>' in creation order, an id is reused only by reboot()", async () => {
    const { reports } = await runLifecycle();
    const inits = of(reports, 'init');
    expect(inits.map((r) => r.processId)).toContain('M');
    expect(inits.find((r) => r.processId === 'M')!.pid).not.toBe(inits.find((r) => r.processId === 'W:1')!.pid);
    expect(of(reports, 'forked').map((r) => r.ids)).toEqual([['W:1', 'W:2'], ['W:3']]);
    // W:1 twice (the reboot, a new pid), W:2 once, W:3 once (the fork after W:2 died does not reuse W:2).
    const workerInits = inits.filter((r) => r.processId !== 'M');
    expect(workerInits.map((r) => r.processId).sort()).toEqual(['W:1', 'W:1', 'W:2', 'W:3']);
    const w1 = workerInits.filter((r) => r.processId === 'W:1');
    expect(w1[0].pid).not.toBe(w1[1].pid);
    for (const r of inits) expect(r.after.coreProcessId).toBe(r.processId);
  });

  it('R-PROC-2: fork() and shutdown() in a worker fail with a ClusterCoreError, static and instance forms', async () => {
    const { reports } = await runLifecycle();
    const attempts = of(reports, 'master-only');
    // Four attempts in each of the four worker processes; none succeeded.
    expect(attempts).toHaveLength(16);
    for (const a of attempts) {
      expect(a.threw, JSON.stringify(a)).toBe(true);
      expect(a.isClusterCoreError).toBe(true);
      expect(a.name).toBe('ClusterCoreError');
      const method = a.what.split('.')[1];
      expect(a.message).toBe(`${method}: only the master process can ${method}; this is ${a.processId}`);
    }
    // The worker's failed fork() started nothing: only the master's forks appear.
    expect(of(reports, 'init')).toHaveLength(5);
  });

  it('R-PROC-3: onWorkerProcessDidExit(id, { code, signal }, reboot) runs in the master; reboot() reuses the id, fork() gives a new one', async () => {
    const { c, reports } = await runLifecycle();
    const exits = of(reports, 'exit');
    expect(exits.every((e) => e.processId === 'M')).toBe(true);
    expect(exits[0]).toMatchObject({ exitedProcessId: 'W:1', exitedDetail: { code: 3, signal: null, reason: 'crash' } });
    expect(exits[1]).toMatchObject({ exitedProcessId: 'W:2', exitedDetail: { code: null, signal: 'SIGKILL', reason: 'crash' } });
    // reboot(): W:1 again; the second reboot() call was ignored (one W:1 restart only).
    const inits = of(reports, 'init').map((r) => r.processId);
    expect(inits.filter((id) => id === 'W:1')).toHaveLength(2);
    expect(c.output()).toContain('reboot() of W:1 called again; ignored');
    // fork() after W:2 died: W:3.
    expect(of(reports, 'forked').at(-1)!.ids).toEqual(['W:3']);
    // The shutdown's worker exits are reported too (code 0, R-SUP-8 reason 'shutdown').
    expect(exits.slice(2).map((e) => e.exitedDetail)).toEqual([{ code: 0, signal: null, reason: 'shutdown' }, { code: 0, signal: null, reason: 'shutdown' }]);
  });

  it("R-PROC-4: each process's onProcessDidInit gets its id and the master's process.argv; a message sent before the handshake arrives after it", async () => {
    const { reports } = await runLifecycle();
    const inits = of(reports, 'init');
    const master = inits.find((r) => r.processId === 'M')!;
    expect(master.argv.slice(2)).toEqual(ARGS);
    for (const r of inits) {
      expect(r.launchParams, r.processId).toEqual(master.argv);
      expect(r.after.launchParams).toEqual(master.argv);
    }
    // The EARLY messages were sent right after fork(): each worker saw it after its own init.
    const lines = reports.map((r) => `${r.event}:${r.processId}`);
    for (const id of ['W:1', 'W:2']) {
      expect(lines).toContain(`early:${id}`);
      expect(lines.indexOf(`early:${id}`)).toBeGreaterThan(lines.indexOf(`init:${id}`));
    }
  });

  it('R-PROC-5: clusterCore is set before any hook runs; the default onProcessDidInit sets processId and launchParams', async () => {
    const { reports } = await runLifecycle();
    const inits = of(reports, 'init');
    expect(inits).toHaveLength(5);
    for (const r of inits) {
      expect(r.before).toEqual({ hasClusterCore: true, processId: null, launchParams: null });
      expect(r.after.processId).toBe(r.processId);
      expect(r.after.launchParams).toEqual(r.launchParams);
    }
  });

  it("R-PROC-6: getAllProcessIds gives every live id, 'M' first then workers by offset, from the master and from a worker", async () => {
    const { reports } = await runLifecycle();
    const workerIds = of(reports, 'ids');
    for (const r of workerIds) expect(r.error).toBeNull();
    expect(workerIds.filter((r) => r.processId === 'W:3').map((r) => r.ids)).toEqual([['M', 'W:1', 'W:3']]);
    // The rebooted W:1 was added after W:2, yet comes before it.
    expect(workerIds.filter((r) => r.processId === 'W:1').at(-1)!.ids).toEqual(['M', 'W:1', 'W:2']);
    const masterIds = of(reports, 'master-ids');
    expect(masterIds.find((r) => r.phase === 'rebooted')!.ids).toEqual(['M', 'W:1', 'W:2']);
    expect(masterIds.at(-1)!.ids).toEqual(['M', 'W:1', 'W:3']);
    expect(of(reports, 'master-ids-cb')[0]).toMatchObject({ ids: ['M', 'W:1', 'W:2'], error: null });
  });
});
