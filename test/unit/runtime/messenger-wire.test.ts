import { describe, expect, it } from 'vitest';
import {
  ClusterCoreError,
  DataLimitError,
  MapError,
  NoWorkerError,
  RemoteError,
  TargetUnavailableError,
  TraceTimeoutError,
} from '../../../src/protocol/errors';
import { errorToWire, reviveError } from '../../../src/runtime/messenger-wire';

/** What crosses IPC: a JSON round trip. */
const overIpc = (err: unknown) => reviveError(JSON.parse(JSON.stringify(errorToWire(err))));

describe('messenger errors over IPC', () => {
  it('ISSUE-7: TraceTimeoutError, RemoteError, TargetUnavailableError and NoWorkerError come back as the same class and fields', () => {
    const t = overIpc(new TraceTimeoutError('W:2', 'SLOW', 300));
    expect(t).toBeInstanceOf(TraceTimeoutError);
    expect(t).toMatchObject({ name: 'TraceTimeoutError', toProcessId: 'W:2', action: 'SLOW', timeout: 300, message: "request 'SLOW' to W:2 got no reply within 300 ms" });

    const r = overIpc(new RemoteError('W:1', 'TypeError', 'bad input'));
    expect(r).toBeInstanceOf(RemoteError);
    expect(r).toMatchObject({ name: 'RemoteError', fromProcessId: 'W:1', remoteName: 'TypeError', remoteMessage: 'bad input', message: 'W:1 answered with TypeError: bad input' });

    const u = overIpc(new TargetUnavailableError('W:3', 'exited before acknowledging'));
    expect(u).toBeInstanceOf(TargetUnavailableError);
    expect(u).toMatchObject({ name: 'TargetUnavailableError', toProcessId: 'W:3', message: 'process W:3 exited before acknowledging' });

    const n = overIpc(new NoWorkerError('consume', 'JOB'));
    expect(n).toBeInstanceOf(NoWorkerError);
    expect(n).toMatchObject({ name: 'NoWorkerError', action: 'JOB' });
    expect(n.message).toContain("consume: no live worker to run 'JOB'");
  });

  it('R-IPC-2: a DataLimitError (a map answer past a data limit) comes back as a DataLimitError with its message', () => {
    const d = overIpc(new DataLimitError('the reply of W:2 to trace x was refused: data.payload is nested deeper than MAX_DATA_DEPTH (100 levels of arrays and objects)'));
    expect(d).toBeInstanceOf(DataLimitError);
    expect(d).toMatchObject({ name: 'DataLimitError', message: expect.stringContaining('MAX_DATA_DEPTH (100') });
  });

  it('ISSUE-7: MapError keeps its failures (each revived) and partial results', () => {
    const original = new MapError(
      'SUM',
      [{ processId: 'W:2', error: new TraceTimeoutError('W:2', 'SUM', 200) }, { processId: 'W:3', error: new RemoteError('W:3', 'Error', 'boom') }],
      [{ processId: 'W:1', value: { n: 1 } }],
    );
    const m = overIpc(original) as MapError;
    expect(m).toBeInstanceOf(MapError);
    expect(m.message).toBe(original.message);
    expect(m.message).toContain('W:2 (TraceTimeoutError');
    expect(m.message).toContain('W:3 (RemoteError');
    expect(m.action).toBe('SUM');
    expect(m.results).toEqual([{ processId: 'W:1', value: { n: 1 } }]);
    expect(m.failures.map((f) => f.processId)).toEqual(['W:2', 'W:3']);
    expect(m.failures[0].error).toBeInstanceOf(TraceTimeoutError);
    expect(m.failures[1].error).toBeInstanceOf(RemoteError);
  });

  it('ISSUE-7: any other error comes back as a ClusterCoreError with its name and message', () => {
    const e = overIpc(new TypeError('nope'));
    expect(e).toBeInstanceOf(ClusterCoreError);
    expect(e).toMatchObject({ name: 'TypeError', message: 'nope' });
    const s = overIpc('a string');
    expect(s).toMatchObject({ name: 'Error', message: 'a string' });
  });
});
