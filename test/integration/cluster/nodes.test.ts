/**
 * ISSUE-11 / R-NODE-1..3, R-NODE-5 on real nodes: node a (decorator door) and node b (Corejs door)
 * are two independent groups (separate `node` processes, each its own master and two workers) in a
 * fresh namespace of the local Redis; a's W:1 runs the 'basic' scenario against b.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, fixture, theReport } from '../../helpers/cluster-process';
import { keysOf } from '../../helpers/redis';
import { startNode, testNamespace } from '../../helpers/nodes';

type R = Record<string, unknown> & { event: string };
const WAIT = 30_000;
const ns = testNamespace;
const startCluster = startNode;

describe('two nodes over Redis', () => {
  it('R-NODE-2: qualified ids, cross-node send/request both doors, own-node ids stay local', async () => {
    const space = ns('basic');
    const b = startCluster(fixture('cluster/corejs-node'), ['b', space, 'a', 'basic']);
    const a = startCluster(fixture('cluster/deco-node'), ['a', space, 'b', 'basic']);
    const done = await a.waitForReport<R>('basicDone', undefined, WAIT);
    expect(done.pending, 'pending traces in a/W:1 afterwards').toBe(0);
    const one = (event: string) => theReport<R>(a, event);

    // getAllProcessIds: every live process of every node, qualified, nodes in name order.
    expect(one('ids')).toMatchObject({ self: 'W:1', node: 'a', ids: ['a/M', 'a/W:1', 'a/W:2', 'b/M', 'b/W:1', 'b/W:2'] });
    // A message from another node shows the qualified sender; a reply comes back to the requester.
    expect(one('requestRemote')).toMatchObject({ ok: true, value: { self: 'W:1', node: 'b', from: 'a/W:1', payload: { n: 1 } } });
    expect(one('requestRemoteMaster')).toMatchObject({ ok: true, value: { self: 'M', node: 'b', from: 'a/W:1', payload: { n: 2 } } });
    // An id qualified with the own node is local: the handler sees the short sender id.
    expect(one('requestOwnQualified')).toMatchObject({ ok: true, value: { self: 'W:2', node: 'a', from: 'W:1', payload: { n: 3 } } });
    expect(one('requestLocal')).toMatchObject({ ok: true, value: { self: 'W:2', node: 'a', from: 'W:1' } });
    expect(one('sendSelfQualified')).toMatchObject({ ok: false, name: 'ClusterCoreError' });
    expect(one('sendSelfQualified').message).toMatch(/the sender's own id; a process cannot send a message to itself/);
    // Corejs callback forms across nodes: the reply's sender is qualified.
    expect(one('traceCallBack')).toMatchObject({ ok: true, value: { payload: { self: 'W:2', node: 'b', from: 'a/W:1', payload: { n: 5 } }, from: 'b/W:2' } });
    expect(one('sendRemote')).toMatchObject({ ok: true });
    expect(one('sendData')).toMatchObject({ ok: true });
    const got = await b.waitForCount(/"event":"got"/, 2, WAIT);
    const notes = got.map((l) => JSON.parse(l.slice(l.indexOf('{'))) as R).map((r) => ({ self: r.self, from: r.from, tag: r.tag })).sort((x, y) => String(x.tag).localeCompare(String(y.tag)));
    expect(notes).toEqual([{ self: 'W:2', from: 'a/W:1', tag: 'remote-note' }, { self: 'W:1', from: 'a/W:1', tag: 'sendData-note' }]);

    // The Corejs node b asked a's W:2 with sendDataWithTraceCallBack: the decorator handler saw 'b/W:1'.
    const corejs = await b.waitForReport<R>('corejsReply', undefined, WAIT);
    expect(corejs).toMatchObject({ self: 'W:1', from: 'a/W:2', payload: { self: 'W:2', node: 'a', from: 'b/W:1', payload: { n: 7 } } });
    const corejsIds = await b.waitForReport<R>('corejsIds', undefined, WAIT);
    expect(corejsIds.ids).toEqual(['a/M', 'a/W:1', 'a/W:2', 'b/M', 'b/W:1', 'b/W:2']);
  }, 90_000);

  it('R-NODE-5: a message or request to an unknown node or process fails at once with TargetUnavailableError', async () => {
    const space = ns('unknown');
    startCluster(fixture('cluster/corejs-node'), ['b', space, 'a', 'serve']);
    const a = startCluster(fixture('cluster/deco-node'), ['a', space, 'b', 'basic']);
    await a.waitForReport<R>('basicDone', undefined, WAIT);
    const one = (event: string) => theReport<R>(a, event);
    expect(one('requestUnknownNode')).toMatchObject({
      ok: false, name: 'TargetUnavailableError', toProcessId: 'nosuchnode/W:1',
      message: `process nosuchnode/W:1 is on node 'nosuchnode', which is not a live node of the cluster (namespace '${space}')`,
    });
    expect(one('requestUnknownProcess')).toMatchObject({ ok: false, name: 'TargetUnavailableError', toProcessId: 'b/W:9', message: "process b/W:9 is not a live process of node 'b'" });
    expect(one('sendUnknownProcess')).toMatchObject({ ok: false, name: 'TargetUnavailableError', toProcessId: 'b/W:9' });
    // "At once": well below any time-out (the default trace time-out is 10 s).
    for (const e of ['requestUnknownNode', 'requestUnknownProcess', 'sendUnknownProcess']) expect(one(e).ms as number, e).toBeLessThan(3000);
  }, 90_000);

  it('R-NODE-1: a second node with the name of a live node is refused at start, saying so', async () => {
    const space = ns('dup');
    const first = startCluster(fixture('cluster/deco-node'), ['a', space, 'b', 'serve']);
    await first.waitForReport<R>('ready', undefined, WAIT);
    const second = startCluster(fixture('cluster/deco-node'), ['a', space, 'b', 'serve']);
    const failed = await second.waitForReport<R>('bootstrapFailed', undefined, WAIT);
    expect(failed.name).toBe('ClusterCoreError');
    expect(failed.message).toBe(`cluster: a live node named 'a' is already in the cluster (namespace '${space}'); give this node another name with the option cluster.node, or stop the other one first`);
    expect((await second.exited(WAIT)).code).toBe(1);
    // The first node is untouched, and every key lives under the namespace.
    expect(first.reports<R>().filter((r) => r.event === 'bootstrapFailed')).toEqual([]);
    const keys = await keysOf(space);
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k.startsWith(`${space}:`)).toBe(true);
  }, 90_000);

  it('R-NODE-1: without the cluster option ioredis is never loaded; with it, only in the master', () => {
    const script = (cluster: boolean) => `
      const path = require('node:path');
      const { ClusterCore, AppMain } = require(path.join(${JSON.stringify(ROOT)}, 'dist/src'));
      ClusterCore.init(class extends AppMain {}, ${cluster ? "{ cluster: { redis: 'redis://127.0.0.1:6379', node: 'probe' } }" : '{}'});
      const loaded = Object.keys(require.cache).some((k) => k.includes(path.sep + 'ioredis' + path.sep));
      process.stdout.write(String(loaded));
      process.exit(0);`;
    expect(execFileSync(process.execPath, ['-e', script(false)], { encoding: 'utf8', timeout: 20_000 })).toBe('false');
    expect(execFileSync(process.execPath, ['-e', script(true)], { encoding: 'utf8', timeout: 20_000 })).toBe('true');
  }, 90_000);

  it('R-NODE-3: local traffic never touches Redis: the master moves no frame for same-node requests, sends and node-scoped messenger calls', async () => {
    const space = ns('local');
    startCluster(fixture('cluster/corejs-node'), ['b', space, 'a', 'serve']);
    const a = startCluster(fixture('cluster/deco-node'), ['a', space, 'b', 'local']);
    const done = await a.waitForReport<R>('localDone', undefined, WAIT);
    const { before, after, afterRemote } = done as unknown as Record<'before' | 'after' | 'afterRemote', Record<string, number>>;
    expect(before.framesOut, 'the first cross-node request went over Redis').toBeGreaterThan(0);
    expect(after).toEqual(before);
    // The check itself sees traffic: one more cross-node request moves frames both ways.
    expect(afterRemote.framesOut).toBeGreaterThan(after.framesOut);
    expect(afterRemote.framesIn).toBeGreaterThan(after.framesIn);
  }, 90_000);
});
