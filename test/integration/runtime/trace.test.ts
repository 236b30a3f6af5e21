import { describe, expect, it } from 'vitest';
import { fixture, startCluster, type RunningCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

/** Runs the TraceIPC fixture until W:1 finished every step. */
async function runTrace(): Promise<{ c: RunningCluster; reports: Report[]; startedAt: number }> {
  const startedAt = Date.now();
  const c = startCluster(fixture('runtime/trace'));
  await c.waitForReport('done', undefined, 20_000);
  await c.waitForReport<Report>('trace-sent', (r) => r.label === 'throw');
  await c.waitFor("sendDataWithTraceCallBack 'THROW' to M: M answered with TypeError: bad input");
  return { c, reports: c.reports<Report>(), startedAt };
}

const of = (reports: Report[], event: string, filter: (r: Report) => boolean = () => true) => reports.filter((r) => r.event === event && filter(r));
const hooksOf = (reports: Report[], processId: string, hook: string) =>
  of(reports, 'hook', (r) => r.processId === processId && r.hook === hook).map((r) => `${r.peer}>${r.action}`);

describe('TraceIPC (R-TRACE)', () => {
  it('R-TRACE-1: sendDataWithTraceCallBack with { timeout, traceCallBack } or a function; traceCallBack(resData, next) and next() passes the reply on', async () => {
    const { reports } = await runTrace();
    const objectForm = of(reports, 'trace-cb', (r) => r.label === 'object')[0];
    expect(objectForm.res).toEqual({ action: 'ECHO_RES', payload: { v: 1 } });
    expect(objectForm.keys).toEqual(['action', 'payload']);
    const functionForm = of(reports, 'trace-cb', (r) => r.label === 'function')[0];
    expect(functionForm.res).toEqual({ action: 'ECHO_RES', payload: { v: 2 } });
    // callBack(null) once the request reached the target, for both forms.
    expect(of(reports, 'trace-sent', (r) => r.label === 'object' || r.label === 'function').map((r) => r.error)).toEqual([null, null]);
    // next() was called for the object form only: its reply reached onProcessDidReceiveMessage, the other did not.
    const did = hooksOf(reports, 'W:1', 'did');
    expect(did.filter((x) => x.endsWith('>ECHO_RES'))).toEqual(['W:2>ECHO_RES', 'W:2>ECHO_RES', 'M>ECHO_RES', 'W:2>ECHO_RES', 'M>ECHO_RES', 'W:2>ECHO_RES']);
    // A reply's data has its real envelope behind getOriginData().
    expect(objectForm.origin.meta).toMatchObject({ isRes: true, fromProcessId: 'W:2', toProcessId: 'W:1' });
    expect(objectForm.responsive).toBe(false);
  });

  it('R-TRACE-2: trace ids are 24 hex characters: timestamp, pid of the sender, random; unique', async () => {
    const { reports, startedAt } = await runTrace();
    const w1Pid = of(reports, 'done')[0].pid as number;
    const ids = of(reports, 'detail').map((r) => r.traceId as string);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      const stamp = parseInt(id.slice(0, 12), 16);
      expect(stamp).toBeGreaterThanOrEqual(startedAt);
      expect(stamp).toBeLessThanOrEqual(Date.now());
      expect(id.slice(12, 16)).toBe((w1Pid & 0xffff).toString(16).padStart(4, '0'));
    }
  });

  it('R-TRACE-3: a reply is matched by trace id and by coming from the target; one from another process is not', async () => {
    const { reports } = await runTrace();
    // W:2 forged a reply to W:1's request to M, with the right trace id: it was discarded, not matched.
    const forged = of(reports, 'discard-origin', (r) => r.from === 'W:2')[0];
    const real = of(reports, 'trace-cb', (r) => r.label === 'forged')[0];
    expect(forged.meta.traceId).toBe(real.origin.meta.traceId);
    expect(forged.meta.fromProcessId).toBe('W:2'); // the master stamps the real sender over the claimed 'M'
    expect(hooksOf(reports, 'W:1', 'discard')).toContain('W:2>FORGED_RES');
    // The real answer from M, which came after, was matched.
    expect(real.res).toEqual({ action: 'REAL_RES' });
    expect(real.origin.meta.fromProcessId).toBe('M');
    expect(of(reports, 'trace-cb', (r) => r.res.action === 'FORGED_RES')).toEqual([]);
  });

  it('R-TRACE-4: no reply within the time-out runs onProcessTraceMessageTimeout(toProcessId, data); a later reply goes to onProcessDidDiscardMessage', async () => {
    const { reports } = await runTrace();
    const timeouts = of(reports, 'hook', (r) => r.processId === 'W:1' && r.hook === 'timeout');
    expect(timeouts[0]).toMatchObject({ peer: 'W:2', action: 'SLOW', payload: 'wait' });
    expect(hooksOf(reports, 'W:1', 'discard')).toContain('W:2>SLOW_RES');
    // The late answer never reached the traceCallBack.
    expect(of(reports, 'trace-cb', (r) => r.label === 'slow')).toEqual([]);
    // The time-out hook ran before the late reply was discarded.
    const order = reports.map((r) => (r.event === 'hook' ? `${r.hook}:${r.action}` : r.event));
    expect(order.indexOf('timeout:SLOW')).toBeLessThan(order.indexOf('discard:SLOW_RES'));
  });

  it('R-TRACE-5: getTraceDetail() → { traceId, responsive, resTrace }; responsive is false for one-way messages and after the first answer; a second answer is refused', async () => {
    const { reports } = await runTrace();
    const details = of(reports, 'detail');
    expect(details.length).toBe(7);
    for (const d of details) {
      expect(d.responsive).toBe(true);
      expect(d.after).toBe(false);
      expect(d.afterFresh).toBe(false);
      expect(d.secondError).toBe(`resTrace: request 'ECHO' (trace ${d.traceId}) from W:1 was already answered`);
      expect(d.thrown).toBe(d.secondError);
    }
    // Each request was answered exactly once: the requester got one reply per request.
    expect(of(reports, 'answered').every((r) => r.error === null)).toBe(true);
    expect(of(reports, 'trace-cb', (r) => r.label === 'object' || r.label.startsWith('id-') || r.label === 'function')).toHaveLength(7);
    expect(of(reports, 'one-way-detail')[0]).toEqual(expect.objectContaining({
      traceId: null, responsive: false, error: "resTrace: message 'ONE_WAY' from W:1 is not a request; there is nothing to answer",
    }));
    expect(hooksOf(reports, 'W:1', 'did')).not.toContain('W:2>NOPE');
  });

  it('R-TRACE-6: request() resolves with the reply payload, rejects with TraceTimeoutError on time-out and RemoteError when the handler threw, at once', async () => {
    const { c, reports } = await runTrace();
    const req = (label: string) => of(reports, 'request', (r) => r.label === label)[0];
    expect(req('add-worker')).toMatchObject({ value: 5, error: null });
    expect(req('add-master')).toMatchObject({ value: 9, error: null });
    expect(req('timeout')).toMatchObject({ isTimeout: true, error: { name: 'TraceTimeoutError', message: "request 'IGNORED' to W:2 got no reply within 200 ms", toProcessId: 'W:2' } });
    expect(req('throw')).toMatchObject({ isRemote: true, error: { name: 'RemoteError', remoteName: 'TypeError', message: 'W:2 answered with TypeError: bad input' } });
    expect(req('unknown')).toMatchObject({ isUnavailable: true, error: { name: 'TargetUnavailableError', toProcessId: 'W:9', message: 'process W:9 is not a live process of this group' } });
    expect(req('bad-timeout').error.name).toBe('InvalidArgumentError');
    // The thrower logged its error and stayed up; the request timed out in no case but 'timeout'.
    // (stderr, where the error is logged, and stdout, where reports go, are two pipes: wait for the line.)
    await c.waitFor(/^\[W:2\] onProcessDidReceiveMessage threw: TypeError: bad input/);
    expect(of(reports, 'hook', (r) => r.processId === 'W:1' && r.hook === 'timeout').map((r) => r.action)).toEqual(['SLOW', 'IGNORED']);
    // The Corejs form: the internal error reply never reaches traceCallBack.
    expect(of(reports, 'unexpected-trace-cb')).toEqual([]);
  });
});
