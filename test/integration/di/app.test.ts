/**
 * ISSUE-5 / R-DEC: the decorator API on a real group (fixture test/fixtures/di/app.ts: M + 2 workers +
 * alone). The fixture reports constructions, inits, per-process state and the outcome of requests;
 * these tests read them. Request time-outs in the fixture are 20 s and the test is bounded at 15 s,
 * so a RemoteError here can never be a time-out in disguise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, startCluster, type RunningCluster } from '../../helpers/cluster-process';

interface Report { event: string; pid: number; [k: string]: unknown }
interface Outcome extends Report { name: string; value?: unknown; error?: { isRemote: boolean; name: string; remoteName: string; fromProcessId: string; message: string } }
interface State { processId: string; constructed: string[]; initialized: string[]; sameCore: boolean; sameRegistry: boolean; registryId: string }

let run: RunningCluster;
let reports: Report[];
const outcome = (name: string) => reports.find((r) => r.event === 'outcome' && r.name === name) as Outcome;

describe('ISSUE-5: decorators and bootstrap on a real group', () => {
  beforeAll(async () => {
    run = startCluster(fixture('di/app'));
    await run.waitForReport('done', undefined, 14_000);
    const exit = await run.exited(10_000);
    expect(exit.code, run.output()).toBe(0);
    reports = run.reports<Report>();
  }, 25_000);

  it('R-DEC-1: bootstrap(AppModule) resolves in every process with that process\'s ClusterCore', () => {
    const ids = reports.filter((r) => r.event === 'bootstrapped').map((r) => r.processId as string);
    expect(ids.sort()).toEqual(['A', 'M', 'W:1', 'W:2']);
  });

  it('R-DEC-2: role classes are constructed only in their own processes, in declared order', () => {
    const constructs = reports.filter((r) => r.event === 'construct').map((r) => `${r.processId}:${r.cls}`);
    expect(constructs.sort()).toEqual(['A:Job', 'M:Boss', 'W:1:Web', 'W:1:Web2', 'W:2:Web', 'W:2:Web2']);
    for (const id of ['W:1', 'W:2']) {
      expect(reports.filter((r) => r.event === 'construct' && r.processId === id).map((r) => r.cls)).toEqual(['Web', 'Web2']);
    }
    const states = (reports.find((r) => r.event === 'states')!.states as State[]);
    expect(states.map((s) => [s.processId, s.constructed])).toEqual([['M', ['Boss']], ['W:1', ['Web', 'Web2']], ['W:2', ['Web', 'Web2']], ['A', ['Job']]]);
  });

  it('R-DEC-2: ClusterCore and a @singleton service are one instance per process (and differ between processes)', () => {
    const states = reports.find((r) => r.event === 'states')!.states as State[];
    for (const s of states) {
      expect(s.sameCore, s.processId).toBe(true);
      expect(s.sameRegistry, s.processId).toBe(true);
    }
    expect(new Set(states.map((s) => s.registryId)).size).toBe(states.length);
  });

  it('R-SUP-4: start order — master, then alone ready, then workers forked; onApplicationReady after every process initialised', () => {
    const lines = run.lines;
    const at = (pred: (r: Report) => boolean) => lines.findIndex((l) => l.startsWith('REPORT ') && pred(JSON.parse(l.slice(7)) as Report));
    const masterInit = at((r) => r.event === 'init' && r.processId === 'M');
    const aloneInit = at((r) => r.event === 'init' && r.processId === 'A');
    const firstWorker = at((r) => r.event === 'construct' && r.role === 'worker');
    const appReady = at((r) => r.event === 'app-ready');
    expect(masterInit).toBeGreaterThanOrEqual(0);
    expect(aloneInit).toBeGreaterThan(masterInit);
    expect(firstWorker).toBeGreaterThan(aloneInit);
    const inits = lines.map((l, i) => (l.includes('"event":"init"') ? i : -1)).filter((i) => i >= 0);
    expect(inits).toHaveLength(6);
    expect(Math.max(...inits)).toBeLessThan(appReady);
    const states = reports.find((r) => r.event === 'states')!.states as State[];
    expect(states.map((s) => s.initialized)).toEqual([['Boss'], ['Web', 'Web2'], ['Web', 'Web2'], ['Job']]);
  });

  it("R-PROC-6: getAllProcessIds lists 'M', the workers, then the alone process 'A' (from the master and from A)", () => {
    expect(reports.find((r) => r.event === 'app-ready')!.ids).toEqual(['M', 'W:1', 'W:2', 'A']);
    expect(outcome('ids-from-alone').value).toEqual(['M', 'W:1', 'W:2', 'A']);
  });

  it('R-DEC-4: a @Trace handler answers with its (awaited) return value, also relayed and from the alone process', () => {
    expect(outcome('add').value).toBe(5);
    expect(outcome('slow-echo').value).toEqual({ echo: { x: 1 }, by: 'hello from W:2' });
    expect(outcome('alone-to-worker').value).toBe(42);
  });

  it('R-DEC-4: a throw (sync or async) reaches the requester as RemoteError with the remote name and message', () => {
    expect(outcome('fail').error).toMatchObject({ isRemote: true, name: 'RemoteError', remoteName: 'TypeError', fromProcessId: 'W:1' });
    expect(outcome('fail').error!.message).toContain('bad thing in W:1');
    expect(outcome('fail-async').error).toMatchObject({ isRemote: true, remoteName: 'RangeError', message: 'W:1 answered with RangeError: async bad thing' });
    expect(outcome('worker-to-worker-fail').value).toMatchObject({ isRemote: true, remoteName: 'TypeError', fromProcessId: 'W:2' });
  });

  it('R-DEC-4: a request to an action nobody handles, or to a handler without @Trace, is refused with RemoteError (not a time-out)', () => {
    expect(outcome('missing').error).toMatchObject({ isRemote: true, remoteName: 'ClusterCoreError', fromProcessId: 'W:1' });
    expect(outcome('missing').error!.message).toContain('has no @OnMessage("NOPE") handler');
    expect(outcome('missing-in-alone').error).toMatchObject({ isRemote: true, fromProcessId: 'A' });
    expect(outcome('no-trace').error).toMatchObject({ isRemote: true, remoteName: 'ClusterCoreError' });
    expect(outcome('no-trace').error!.message).toContain('Web.oneWay handles "ONE_WAY" in W:1 but has no @Trace()');
  });

  it('ISSUE-5: a @Trace result that cannot cross IPC is answered with a RemoteError naming the handler', () => {
    expect(outcome('bad-result').error!.message).toContain('@Trace handler Web.badResult returned a value that cannot be sent');
  });

  it('R-DEC-3: ctx carries action, fromProcessId, traceId, responsive, getOriginData(); ctx.reply answers early', () => {
    expect(outcome('ctx').value).toEqual({ action: 'CTX', fromProcessId: 'M', traceIdLength: 24, responsive: true, origin: 'W:2' });
    expect(outcome('early').value).toBe('early answer');
  });

  it('R-DEC-5: an action without a handler falls back to onProcessDidReceiveMessage (which may answer Corejs-style)', () => {
    const fallbacks = reports.filter((r) => r.event === 'fallback').map((r) => [r.action, r.payload]);
    expect(fallbacks).toEqual([['NOPE', { q: 1 }], ['CORE_STYLE', null], ['UNHANDLED', { x: 1 }]]);
    expect(outcome('core-style').value).toBe('answered by onProcessDidReceiveMessage');
  });

  it('ISSUE-5: a one-way message runs a @Trace handler and drops its result', () => {
    // ONE_WAY (+1), COUNT sent one-way (+1), then COUNT as a request (+1) answers 3.
    expect(outcome('count-after-one-way').value).toBe(3);
  });
});
