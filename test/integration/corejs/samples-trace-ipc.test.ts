import { describe, expect, it } from 'vitest';
import { fixture, sample, startCluster } from '../../helpers/cluster-process';

// any: parsed JSON of fixture reports, checked field by field by the assertions.
type Report = Record<string, any>;

describe('Corejs samples: IPC and TraceIPC', () => {
  it('R-TRACE-1: seed 000 TraceIPC sample — W:2 asks W:1, W:1 answers with resTrace, next() hands the reply to onProcessDidReceiveMessage', async () => {
    const c = startCluster(sample('corejs/trace-ipc.js'));
    await c.waitFor('进程[W:2]处理来自进程[W:1]');
    expect(c.lines.filter((l) => l !== '')).toEqual([
      '进程[W:1]处理来自进程[W:2]的消息:[{"action":"TEST_TRACE_IPC_ACTION","payload":{"value":"这是一个🌰"}}]',
      'TraceIPC收到了应答消息:[{"action":"TEST_TRACE_IPC_RES_ACTION","payload":{"value":"这是一个🌰🌰"}}]',
      '进程[W:2]处理来自进程[W:1]的消息:[{"action":"TEST_TRACE_IPC_RES_ACTION","payload":{"value":"这是一个🌰🌰"}}]',
    ]);
  });

  it('R-IPC-1: seed 001 IPC sample — W:1 sends to M, M prints it', async () => {
    const c = startCluster(sample('corejs/ipc-001.js'));
    await c.waitFor('收到了来自进程');
    expect(c.lines.filter((l) => l !== '')).toEqual(['进程[M]收到了来自进程[W:1]的消息:[{"action":"TEST_IPC_ACTION","payload":{"value":"test"}}]']);
  });

  it("R-TRACE-3: seed 001 TraceIPC sample — its reply is a one-way sendData carrying data.traceId, so (per seed 000, like node-corejs@0.0.23) it is not matched as the reply", async () => {
    // The sample prints nothing by itself; a preload reports its hook calls.
    const c = startCluster(sample('corejs/trace-ipc-001.js'), [], { NODE_OPTIONS: `--require=${fixture('corejs/observe')}` });
    const atMaster = await c.waitForReport<Report>('hook', (r) => r.processId === 'M' && r.action === 'TEST_TRACE_IPC_ACTION');
    expect(atMaster).toMatchObject({ hook: 'onProcessDidReceiveMessage', peer: 'W:1', payload: 1 });
    // The "reply" reaches W:1 as an ordinary message; data.traceId was undefined (meta is not in data).
    const atWorker = await c.waitForReport<Report>('hook', (r) => r.processId === 'W:1');
    expect(atWorker).toMatchObject({ hook: 'onProcessDidReceiveMessage', peer: 'M', action: 'TEST_TRACE_IPC_RES_ACTION', payload: 2 });
    // A matched reply would have run traceCallBack before any hook saw it: it did not.
    expect(c.output()).not.toContain('收到了消息答复');
  });
});
