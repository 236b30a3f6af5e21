import { describe, expect, it } from 'vitest';
import { fixture, startCluster, type RunningCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

/** Runs the IPC fixture until W:2 finished its sends and W:1 received the closing MARKER. */
async function runIpc(): Promise<{ c: RunningCluster; reports: Report[] }> {
  const c = startCluster(fixture('runtime/ipc'));
  await c.waitForReport('done', undefined, 20_000);
  await c.waitForReport<Report>('hook', (r) => r.processId === 'W:1' && r.hook === 'did' && r.action === 'MARKER');
  return { c, reports: c.reports<Report>() };
}

const of = (reports: Report[], event: string, filter: (r: Report) => boolean = () => true) => reports.filter((r) => r.event === event && filter(r));
const sent = (reports: Report[], name: string) => of(reports, 'sent', (r) => r.case === name)[0];

describe('messages (R-IPC)', () => {
  it('R-IPC-1: sendData between any two processes; worker-to-worker is relayed and cb(null) means it reached the target, cb(err) names an unknown or dead target', async () => {
    const { reports } = await runIpc();
    expect(sent(reports, 'relay').error).toBeNull();
    expect(sent(reports, 'to-master').error).toBeNull();
    expect(sent(reports, 'master-to-worker').error).toBeNull();
    expect(sent(reports, 'unknown').error).toEqual({ name: 'TargetUnavailableError', className: 'TargetUnavailableError', message: 'process W:9 is not a live process of this group' });
    expect(sent(reports, 'dead').error).toEqual({ name: 'TargetUnavailableError', className: 'TargetUnavailableError', message: 'process W:3 is not a live process of this group' });
    expect(sent(reports, 'master-to-dead').error).toMatchObject({ name: 'TargetUnavailableError', message: expect.stringContaining('W:3') });
    // What each target observed, with the sender's id.
    const did = (processId: string) => of(reports, 'hook', (r) => r.processId === processId && r.hook === 'did').map((r) => `${r.peer}>${r.action}:${JSON.stringify(r.payload)}`);
    expect(did('W:1')).toEqual(['M>FROM_M:[1,"two"]', 'W:2>PING:{"n":1,"nested":{"list":[1,2]}}', 'W:2>MARKER:null']);
    expect(did('M').sort()).toEqual(['W:1>HELLO:null', 'W:2>HELLO:null', 'W:2>TO_MASTER:true', 'W:3>HELLO:null']);
  });

  it('R-IPC-2: data that is not a plain object with a string action, or not JSON-safe, is refused with an error and nothing is sent', async () => {
    const { reports } = await runIpc();
    const refused = of(reports, 'refused', (r) => r.case !== 'self' && !r.case.startsWith('internal') && !r.case.startsWith('bad-id'));
    const cases = ['not-object', 'array', 'null', 'no-action', 'empty-action', 'number-action', 'function', 'date', 'map', 'nan', 'cycle', 'bigint'];
    for (const name of cases) {
      const forms = refused.filter((r) => r.case === name && r.form !== 'promise');
      expect(forms.map((r) => r.form), name).toEqual(['callback', 'throw']);
      for (const r of forms) {
        expect(r.error?.name, name).toBe('InvalidArgumentError');
        expect(r.error.message).toMatch(/^sendData: argument 'data(\.action)?' must be /);
      }
    }
    expect(refused.find((r) => r.case === 'function')!.error.message).toContain('data.payload is a function');
    expect(refused.find((r) => r.case === 'cycle')!.error.message).toContain('data.payload.self is a circular reference');
    expect(refused.find((r) => r.case === 'date' && r.form === 'promise')!.error.message).toMatch(/^send: argument 'payload' must be JSON-safe/);
    // W:1, the target of every refused send, saw none of them: only what was really sent.
    const atW1 = of(reports, 'hook', (r) => r.processId === 'W:1').map((r) => `${r.hook}:${r.action}`);
    expect(atW1).toEqual(['will:FROM_M', 'did:FROM_M', 'will:PING', 'did:PING', 'will:MARKER', 'did:MARKER']);
  });

  it("R-IPC-3: a send to the sender's own id is refused with an error", async () => {
    const { reports } = await runIpc();
    const self = of(reports, 'refused', (r) => r.case === 'self');
    expect(self.map((r) => r.form)).toEqual(['callback', 'throw', 'promise']);
    expect(self[0].error).toEqual({ name: 'ClusterCoreError', className: 'ClusterCoreError', message: `sendData: argument 'processId' is "W:2", the sender's own id; a process cannot send a message to itself` });
    expect(self[2].error.message).toBe(`send: argument 'to' is "W:2", the sender's own id; a process cannot send a message to itself`);
    expect(sent(reports, 'master-self').error.message).toContain(`argument 'processId' is "M"`);
    // An id that is no process id (W:0, a number): refused in each of the callback and throwing forms, naming the argument.
    const badIds = of(reports, 'refused', (x) => x.case.startsWith('bad-id'));
    expect(badIds.map((r) => `${r.case}:${r.form}`)).toEqual(['bad-id:callback', 'bad-id:throw', 'bad-id-type:callback', 'bad-id-type:throw']);
    for (const r of badIds) {
      expect(r.error.name).toBe('InvalidArgumentError');
      expect(r.error.message).toMatch(/^(sendData: argument 'processId'|send: argument 'to') must be a process id \('M', 'W:<n>', 'A' or '<node>\/<id>'\), got ("W:0"|number 1)$/);
    }
    // W:2 never received anything from itself.
    expect(of(reports, 'hook', (r) => r.processId === 'W:2' && r.peer === 'W:2')).toEqual([]);
  });

  it('R-IPC-4: handlers see only data; getOriginData() is a deep-copied snapshot of the envelope as received, unchanged by edits', async () => {
    const { reports } = await runIpc();
    const origin = of(reports, 'origin')[0];
    expect(origin.processId).toBe('W:1');
    expect(origin.keys).toEqual(['action', 'payload']);
    expect(origin.before.data).toEqual({ action: 'PING', payload: { n: 1, nested: { list: [1, 2] } } });
    expect(origin.before.meta).toMatchObject({ traceId: null, toProcessId: 'W:1', fromProcessId: 'W:2', isRes: false, isTransitRes: false });
    // W:2 asked for a transit result (it passed a callback): the id it wants it under is in the meta.
    expect(origin.before.meta.transitTraceId).toMatch(/^[0-9a-f]{24}$/);
    expect(Object.keys(origin.before.meta).sort()).toEqual(['fromProcessId', 'isRes', 'isTransitRes', 'toProcessId', 'traceId', 'transitTraceId']);
    // After data.action, data.payload.n and data.payload.nested.list were edited:
    expect(origin.after).toEqual(origin.before);
  });

  it('R-IPC-5: internal actions never reach user hooks, and a user message may not use them', async () => {
    const { reports } = await runIpc();
    const hooks = of(reports, 'hook');
    // Handshakes, getAllProcessIds-free start, transit results and exit notices all happened; none surfaced.
    expect(hooks.length).toBeGreaterThan(10);
    for (const h of hooks) expect(h.action, JSON.stringify(h)).not.toMatch(/^@@cc\//);
    const internal = of(reports, 'refused', (r) => r.case.startsWith('internal'));
    expect(internal).toHaveLength(5);
    for (const r of internal) {
      expect(r.error.name).toBe('ClusterCoreError');
      expect(r.error.message).toMatch(/argument '(data\.)?action' is "@@cc\/.*", an action reserved to clustercore \(Macros\)/);
    }
  });
});
