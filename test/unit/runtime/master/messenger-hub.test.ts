/**
 * MessengerHub without processes: a real MasterEngine whose children are fake channels, so every
 * write, acknowledgement, exit and malformed order can be driven and observed exactly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope, type Envelope, type MessageData } from '../../../../src/protocol/envelope';
import { InternalActions } from '../../../../src/protocol/macros';
import { MapError, NoWorkerError, RemoteError, TargetUnavailableError, TraceTimeoutError } from '../../../../src/protocol/errors';
import { MasterEngine, type RemoteRoutes } from '../../../../src/runtime/master/master-engine';
import { MessengerHub } from '../../../../src/runtime/master/messenger-hub';
import type { Logger } from '../../../../src/runtime/logger';

/** The fields of a live child entry these tests do not look at. */
const LIVE = { pidHex: '0001', state: 'live' as const, startedAt: 0, lastBeat: 0, rss: 0, gone: false };

class FakeChannel {
  readonly written: Envelope[] = [];
  connected = true;
  /** Error the next write calls back with (then cleared). */
  failNext: Error | null = null;
  constructor(readonly peerId: string) {}
  write(env: Envelope, cb?: (e: Error | null) => void): void {
    const err = this.failNext;
    this.failNext = null;
    if (!err) this.written.push(env);
    cb?.(err);
  }
}

const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
let engines: MasterEngine[] = [];
afterEach(() => {
  for (const e of engines) for (const id of ['W:1', 'W:2', 'W:3', 'A']) e.failTracesTo(id, 'test over');
  engines = [];
});

function group(workers: string[], opts: { alone?: boolean } = {}) {
  const master = new MasterEngine({ traceTimeout: 1000, shutdownTimeout: 100, startupTimeout: 1000, logger });
  engines.push(master);
  const hub = new MessengerHub(master);
  const channels = new Map<string, FakeChannel>();
  const add = (id: string, kind: 'worker' | 'alone') => {
    const channel = new FakeChannel(id);
    channels.set(id, channel);
    master.table.set({ id, kind, channel, pid: 1, kill: () => {}, ready: true, exited: new Promise(() => {}), ...LIVE });
    master.events.emit('ready', id);
  };
  for (const w of workers) add(w, 'worker');
  if (opts.alone) add('A', 'alone');
  const exit = (id: string) => {
    master.table.delete(id);
    master.failTracesTo(id, 'exited (code 3, signal null) before answering');
    master.events.emit('exit', id, { code: 3, signal: null, reason: 'crash' }, 'worker', { id, ...LIVE } as never);
  };
  /** The child `id` answers the master's pending trace `env` with `data`. */
  const answer = (id: string, env: Envelope, data: MessageData) => master.receive(createEnvelope(id, 'M', data, env.meta.traceId, true), id);
  const run = (op: 'broadcast' | 'consume' | 'map' | 'sendRandom', action: string, payload?: unknown, timeout = 1000) =>
    new Promise<{ err: Error | null; value?: unknown }>((resolve) => hub.run(op, 'W:1', action, payload, timeout, (err, value) => resolve({ err, value })));
  return { master, hub, channels, exit, answer, run };
}

describe('MessengerHub (master side of the messenger)', () => {
  it('R-MSG-1: broadcast writes the user message to every ready worker, from the original sender, never to the alone', async () => {
    const g = group(['W:1', 'W:2', 'W:3'], { alone: true });
    expect(g.hub.readyWorkers).toEqual(['W:1', 'W:2', 'W:3']);
    const r = await g.run('broadcast', 'HELLO', { n: 1 });
    expect(r).toEqual({ err: null, value: ['W:1', 'W:2', 'W:3'] });
    for (const w of ['W:1', 'W:2', 'W:3']) {
      expect(g.channels.get(w)!.written.map((e) => [e.meta.fromProcessId, e.meta.toProcessId, e.data])).toEqual([['W:1', w, { action: 'HELLO', payload: { n: 1 } }]]);
    }
    expect(g.channels.get('A')!.written).toEqual([]);
  });

  it('R-MSG-1: broadcast leaves out workers whose write failed and workers not ready yet', async () => {
    const g = group(['W:1', 'W:2', 'W:3']);
    g.channels.get('W:2')!.failNext = new Error('pipe closed');
    g.channels.get('W:3')!.connected = false;
    g.master.table.set({ id: 'W:4', kind: 'worker', channel: new FakeChannel('W:4'), pid: 1, kill: () => {}, ready: false, exited: new Promise(() => {}), ...LIVE });
    expect(await g.run('broadcast', 'HELLO')).toEqual({ err: null, value: ['W:1'] });
  });

  it('R-MSG-2: consume resolves with the worker that acknowledged, round robin; a second ack changes nothing', async () => {
    const g = group(['W:1', 'W:2']);
    const takers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = g.run('consume', 'JOB', { i });
      const id = i % 2 === 0 ? 'W:1' : 'W:2';
      const order = g.channels.get(id)!.written.at(-1)!;
      expect(order.data).toEqual({ action: InternalActions.MESSENGER_RUN, payload: { op: 'consume', action: 'JOB', from: 'W:1', payload: { i } } });
      g.answer(id, order, { action: InternalActions.MESSENGER_ACK });
      g.answer(id, order, { action: InternalActions.MESSENGER_ACK });
      const r = await p;
      takers.push(r.value as string);
    }
    expect(takers).toEqual(['W:1', 'W:2', 'W:1']);
    expect(g.master.registry.size).toBe(0);
  });

  it('R-MSG-2: a worker whose channel is closed never got the job, so the next worker takes it', async () => {
    const g = group(['W:1', 'W:2']);
    g.channels.get('W:1')!.connected = false;
    const p = g.run('consume', 'JOB');
    const order = g.channels.get('W:2')!.written[0];
    expect(order).toBeDefined();
    g.answer('W:2', order, { action: InternalActions.MESSENGER_ACK });
    expect(await p).toEqual({ err: null, value: 'W:2' });
  });

  it('R-MSG-2: a worker that exits after the job was written rejects consume naming it; the job goes nowhere else', async () => {
    const g = group(['W:1', 'W:2']);
    const p = g.run('consume', 'JOB');
    g.exit('W:1');
    const { err } = await p;
    expect(err).toBeInstanceOf(TargetUnavailableError);
    expect((err as TargetUnavailableError).toProcessId).toBe('W:1');
    expect(err!.message).toMatch(/^process W:1 exited before acknowledging consume job 'JOB' .*not sent to another worker$/);
    expect(g.channels.get('W:2')!.written).toEqual([]);
    expect(g.master.registry.size).toBe(0);
  });

  it('R-MSG-2: no acknowledgement within the time-out rejects with TraceTimeoutError and leaves no entry', async () => {
    const g = group(['W:1']);
    const { err } = await g.run('consume', 'JOB', undefined, 20);
    expect(err).toBeInstanceOf(TraceTimeoutError);
    expect(err).toMatchObject({ toProcessId: 'W:1', action: 'JOB', timeout: 20 });
    expect(g.master.registry.size).toBe(0);
  });

  it('R-MSG-2: consume and sendRandom without a ready worker reject with NoWorkerError; broadcast and map resolve empty', async () => {
    const g = group([]);
    expect((await g.run('consume', 'JOB')).err).toBeInstanceOf(NoWorkerError);
    expect((await g.run('sendRandom', 'JOB')).err).toBeInstanceOf(NoWorkerError);
    expect(await g.run('broadcast', 'JOB')).toEqual({ err: null, value: [] });
    expect(await g.run('map', 'JOB')).toEqual({ err: null, value: [] });
  });

  it('R-MSG-3: map collects answers in worker order; a worker that throws, exits or times out is named in MapError; no entry is left', async () => {
    const g = group(['W:1', 'W:2', 'W:3']);
    const ok = g.run('map', 'WHO');
    for (const w of ['W:3', 'W:1', 'W:2']) g.answer(w, g.channels.get(w)!.written[0], { action: 'WHO', payload: w.toLowerCase() });
    expect(await ok).toEqual({ err: null, value: ['w:1', 'w:2', 'w:3'] });

    const bad = g.run('map', 'WHO', undefined, 50);
    g.answer('W:1', g.channels.get('W:1')!.written[1], { action: InternalActions.REMOTE_ERROR, error: { name: 'TypeError', message: 'no' } });
    g.exit('W:2');
    const { err } = await bad; // W:3 never answers: time-out
    expect(err).toBeInstanceOf(MapError);
    const m = err as MapError;
    expect(m.failures.map((f) => [f.processId, f.error.constructor])).toEqual([['W:1', RemoteError], ['W:2', TargetUnavailableError], ['W:3', TraceTimeoutError]]);
    expect(m.results).toEqual([]);
    expect(g.master.registry.size).toBe(0);

    // A user answer may carry its own `error` field: only our internal answers count as failures.
    const mixed = g.run('map', 'WHO');
    g.answer('W:1', g.channels.get('W:1')!.written[2], { action: 'WHO', payload: 1, error: 'user field' });
    g.answer('W:3', g.channels.get('W:3')!.written[2], { action: InternalActions.MESSENGER_ACK, error: { name: 'ClusterCoreError', message: 'malformed' } });
    const r = await mixed;
    expect((r.err as MapError).failures.map((f) => [f.processId, f.error.message])).toEqual([['W:3', "process W:3 refused map request 'WHO': malformed"]]);
    expect((r.err as MapError).results).toEqual([{ processId: 'W:1', value: 1 }]);
    expect(g.master.registry.size).toBe(0);
  });

  it('R-MSG-4: sendRandom writes to one ready worker; a failed write is tried on another one, never twice on the same', async () => {
    const g = group(['W:1', 'W:2']);
    const r = await g.run('sendRandom', 'PICK', { x: 1 });
    const written = ['W:1', 'W:2'].filter((w) => g.channels.get(w)!.written.length > 0);
    expect(written).toEqual([r.value]);
    for (const w of ['W:1', 'W:2']) g.channels.get(w)!.failNext = new Error('closing');
    const both = await g.run('sendRandom', 'PICK');
    expect(both.err).toBeInstanceOf(NoWorkerError);
    expect(g.channels.get('W:1')!.written.length + g.channels.get('W:2')!.written.length).toBe(1);
  });

  it('ISSUE-7: a malformed MESSENGER_DISPATCH is answered with an error naming what was wrong, and nothing is sent', () => {
    const g = group(['W:1', 'W:2']);
    const send = (payload: unknown) => {
      g.master.receive(createEnvelope('W:1', 'M', { action: InternalActions.MESSENGER_DISPATCH, payload }, 'a'.repeat(24)), 'W:1');
      return g.channels.get('W:1')!.written.pop()!;
    };
    const cases: [unknown, RegExp][] = [
      [undefined, /unknown operation undefined/],
      [{ op: 'explode', action: 'X', timeout: 10 }, /unknown operation "explode"/],
      [{ op: 'consume', action: '', timeout: 10 }, /^consume: argument 'action' must be a non-empty string/],
      [{ op: 'map', action: '@@cc/x', timeout: 10 }, /^map: argument 'action' is "@@cc\/x", an action reserved/],
      [{ op: 'map', action: 'X', timeout: -5 }, /^map: argument 'timeout' must be a positive number/],
    ];
    for (const [payload, message] of cases) {
      const reply = send(payload);
      expect(reply.meta).toMatchObject({ isRes: true, traceId: 'a'.repeat(24), toProcessId: 'W:1' });
      expect(reply.data.action).toBe(InternalActions.MESSENGER_RESULT);
      expect((reply.data.error as { message: string }).message).toMatch(message);
    }
    expect(g.channels.get('W:2')!.written).toEqual([]);
    expect(g.master.registry.size).toBe(0);
  });

  it('ISSUE-7: a dispatched broadcast is answered to the sender with the ids reached', () => {
    const g = group(['W:1', 'W:2']);
    g.master.receive(createEnvelope('W:2', 'M', { action: InternalActions.MESSENGER_DISPATCH, payload: { op: 'broadcast', action: 'HI', timeout: 100 } }, 'b'.repeat(24)), 'W:2');
    const w2 = g.channels.get('W:2')!.written;
    expect(w2.map((e) => e.data)).toEqual([{ action: 'HI' }, { action: InternalActions.MESSENGER_RESULT, payload: ['W:1', 'W:2'] }]);
    expect(w2[0].meta.fromProcessId).toBe('W:2');
  });

  it('R-MSG-1: broadcasts cast by a child are answered once per turn, consecutive outcomes folded into one range', async () => {
    const g = group(['W:1', 'W:2']);
    const cast = (seq: number, action = 'HI') => createEnvelope('W:2', 'M', { action: InternalActions.MESSENGER_CAST, payload: { seq, action } });
    g.master.receive([cast(1), cast(2), cast(3)], 'W:2');
    await Promise.resolve();
    const w1 = g.channels.get('W:1')!.written;
    const w2 = g.channels.get('W:2')!.written;
    expect(w1.map((e) => [e.data.action, e.meta.fromProcessId])).toEqual([['HI', 'W:2'], ['HI', 'W:2'], ['HI', 'W:2']]);
    const acks = w2.filter((e) => e.data.action === InternalActions.MESSENGER_CAST_ACK);
    expect(acks.map((e) => e.data.payload)).toEqual([[{ to: 3, n: 3, reached: ['W:1', 'W:2'] }]]);
    expect(acks[0].meta).toMatchObject({ traceId: null, isRes: false, toProcessId: 'W:2' });
    expect(g.master.registry.size).toBe(0);
  });

  it('R-MSG-1: a cast that reached fewer workers or broke an argument rule gets its own range; one without its number is refused', async () => {
    const g = group(['W:1', 'W:2']);
    const cast = (payload: unknown) => createEnvelope('W:2', 'M', { action: InternalActions.MESSENGER_CAST, payload });
    g.master.receive(cast({ seq: 1, action: 'HI' }), 'W:2');
    g.channels.get('W:1')!.failNext = new Error('gone');
    g.master.receive(cast({ seq: 2, action: 'HI' }), 'W:2');
    g.master.receive(cast({ seq: 3, action: '' }), 'W:2');
    g.master.receive(cast({ seq: 4, action: 'HI', scope: 'galaxy' }), 'W:2');
    const malformed = g.master.stats.malformed;
    g.master.receive(cast({ action: 'HI' }), 'W:2');
    g.master.receive(cast('junk'), 'W:2');
    expect(g.master.stats.malformed).toBe(malformed + 2);
    await Promise.resolve();
    const acks = g.channels.get('W:2')!.written.filter((e) => e.data.action === InternalActions.MESSENGER_CAST_ACK);
    expect(acks).toHaveLength(1);
    const ranges = acks[0].data.payload as { to: number; n: number; reached?: string[]; error?: { name: string; message: string } }[];
    expect(ranges.map((r) => [r.to, r.n, r.reached ?? r.error!.message])).toEqual([
      [1, 1, ['W:1', 'W:2']],
      [2, 1, ['W:2']],
      [3, 1, expect.stringMatching(/^broadcast: argument 'action' must be a non-empty string/)],
      [4, 1, expect.stringMatching(/unknown scope "galaxy"/)],
    ]);
  });

  it('R-NODE-3: another node\'s one-way broadcast reaches every ready worker as sent by the caller on that node, and is not answered', () => {
    const g = group(['W:1', 'W:2']);
    // The way back to node b: whatever this master would answer would be written here.
    const toB = new FakeChannel('b');
    g.master.remote = { nodeId: 'a', channelTo: (id: string) => (id.startsWith('b/') ? toB : undefined), aloneChannel: () => undefined } as unknown as RemoteRoutes;
    const order = { op: 'broadcast', action: 'HI', timeout: 100, scope: 'node', origin: 'W:3', payload: 7 };
    g.master.receive(createEnvelope('M', 'M', { action: InternalActions.MESSENGER_DISPATCH, payload: order }), 'b/M');
    for (const id of ['W:1', 'W:2']) {
      const written = g.channels.get(id)!.written;
      expect(written.map((e) => e.data)).toEqual([{ action: 'HI', payload: 7 }]);
      expect(written[0].meta).toMatchObject({ fromProcessId: 'b/W:3', toProcessId: id, traceId: null });
    }
    expect(toB.written).toEqual([]);
    expect(g.master.registry.size).toBe(0);
    expect(logger.warn).not.toHaveBeenCalledWith(expect.stringMatching(/one-way dispatch/));
  });
});
