/**
 * The master's receive path without processes (ISSUE-14): a real MasterEngine whose children are
 * fake channels; whatever a child writes is refused and counted, or handled, and nothing throws.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEnvelope, type Envelope } from '../../../../src/protocol/envelope';
import { InternalActions } from '../../../../src/protocol/macros';
import { DataLimitError, RemoteError, TargetUnavailableError } from '../../../../src/protocol/errors';
import { MasterEngine } from '../../../../src/runtime/master/master-engine';
import { MessengerHub } from '../../../../src/runtime/master/messenger-hub';
import { remoteErrorOf } from '../../../../src/runtime/remote-error-reply';
import type { Logger } from '../../../../src/runtime/logger';

class FakeChannel {
  readonly written: Envelope[] = [];
  connected = true;
  constructor(readonly peerId: string) {}
  write(env: Envelope, cb?: (e: Error | null) => void): void {
    this.written.push(env);
    cb?.(null);
  }
}

const logger: Logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
let master: MasterEngine;
afterEach(() => {
  for (const id of ['W:1', 'W:2']) master.failTracesTo(id, 'test over');
});

function group() {
  master = new MasterEngine({ traceTimeout: 1000, shutdownTimeout: 100, startupTimeout: 1000, logger });
  const hub = new MessengerHub(master);
  const channels = new Map<string, FakeChannel>();
  for (const id of ['W:1', 'W:2']) {
    const channel = new FakeChannel(id);
    channels.set(id, channel);
    master.table.set({ id, kind: 'worker', channel, pid: 1, pidHex: '0001', state: 'live', startedAt: 0, lastBeat: 0, rss: 0, gone: false, kill: () => {}, ready: true, exited: new Promise(() => {}) });
    master.events.emit('ready', id);
  }
  /** W:1 writes `frame` on its channel. */
  const fromW1 = (frame: unknown) => master.receive(frame, 'W:1');
  return { hub, channels, fromW1 };
}

/** A pending request of the master to W:2 (as request() makes it); resolves with how it ended. */
function pendingRequest(): { traceId: string; ended: Promise<{ value?: unknown; error?: Error }> } {
  let traceId = '';
  const ended = new Promise<{ value?: unknown; error?: Error }>((resolve) => {
    traceId = master.trace('W:2', { action: 'HOLD' }, 1000, {
      // As core's request(): a REMOTE_ERROR answer becomes a RemoteError.
      onReply: (data, from) => {
        const remote = remoteErrorOf(data, from);
        resolve(remote ? { error: remote } : { value: data.payload });
      },
      onTimeout: () => resolve({ error: new Error('timed out') }),
      onFail: (error) => resolve({ error }),
    });
  });
  return { traceId, ended };
}

describe('master receive path (ISSUE-14)', () => {
  it('R-IPC-5: the relay refuses internal actions and transit results between children, and counts them; REMOTE_ERROR answers and user messages cross', () => {
    const { channels, fromW1 } = group();
    fromW1(createEnvelope('W:1', 'W:2', { action: InternalActions.SHUTDOWN }));
    fromW1(createEnvelope('W:1', 'W:2', { action: InternalActions.MESSENGER_RUN, payload: { op: 'consume', action: 'JOB', from: 'M' } }, 'a'.repeat(24)));
    fromW1(createEnvelope('W:1', 'W:2', { action: InternalActions.PROCESS_DID_EXIT, payload: { processId: 'W:1' } }));
    fromW1(createEnvelope('W:1', 'W:2', { action: 'USER' }, null, false, 'b'.repeat(24), true));
    fromW1(createEnvelope('W:1', 'W:2', { action: InternalActions.REMOTE_ERROR }));
    expect(master.stats.malformed).toBe(5);
    expect(channels.get('W:2')!.written).toEqual([]);
    fromW1(createEnvelope('W:1', 'W:2', { action: InternalActions.REMOTE_ERROR, error: { name: 'E', message: 'm' } }, 'c'.repeat(24), true));
    fromW1(createEnvelope('W:1', 'W:2', { action: 'USER', payload: 1 }));
    expect(channels.get('W:2')!.written.map((e) => e.data.action)).toEqual([InternalActions.REMOTE_ERROR, 'USER']);
    expect(master.stats).toMatchObject({ malformed: 5, relayed: 2 });
  });

  it('R-IPC-5: process-did-exit from a child naming a live worker is refused; the master\'s call to that worker stays pending and is answered', async () => {
    const { fromW1 } = group();
    const { traceId, ended } = pendingRequest();
    fromW1(createEnvelope('W:1', 'M', { action: InternalActions.PROCESS_DID_EXIT, payload: { processId: 'W:2' } }));
    expect(master.stats.malformed).toBe(1);
    expect(master.registry.size).toBe(1);
    master.receive(createEnvelope('W:2', 'M', { action: 'HOLD', payload: 'answered' }, traceId, true), 'W:2');
    expect(await ended).toEqual({ value: 'answered' });
  });

  it('R-TRACE-6: hostile error fields in a reply settle the request with a clear error, never throw, never leave it pending', async () => {
    const { hub } = group();
    const first = pendingRequest();
    master.receive(createEnvelope('W:2', 'M', { action: InternalActions.REMOTE_ERROR, error: { name: { toString: 1 }, message: [1], stack: {} } }, first.traceId, true), 'W:2');
    const r1 = await first.ended;
    expect(r1.error).toBeInstanceOf(RemoteError);
    expect(r1.error!.message).toBe('W:2 answered with object: array(1)');
    // A consume acknowledged with an error whose message is an object.
    const consumed = new Promise<Error | null>((resolve) => hub.run('consume', 'W:1', 'JOB', undefined, 1000, (err) => resolve(err)));
    const order = [...master.table.values()].flatMap((e) => (e.channel as unknown as FakeChannel).written).find((e) => e.data.action === InternalActions.MESSENGER_RUN)!;
    master.receive(createEnvelope(order.meta.toProcessId, 'M', { action: InternalActions.MESSENGER_ACK, error: { message: { toString: 1 } } }, order.meta.traceId, true), order.meta.toProcessId);
    const err = await consumed;
    expect(err).toBeInstanceOf(TargetUnavailableError);
    expect(err!.message).toContain("refused consume job 'JOB': object");
    expect(master.registry.size).toBe(0);
  });

  it('R-IPC-2: a reply past a data limit fails its request at once with DataLimitError naming the limit, and is counted', async () => {
    group();
    const { traceId, ended } = pendingRequest();
    let deep: unknown = 1;
    for (let i = 0; i < 150; i++) deep = { a: deep };
    master.receive(createEnvelope('W:2', 'M', { action: 'HOLD', payload: deep }, traceId, true), 'W:2');
    const r = await ended;
    expect(r.error).toBeInstanceOf(DataLimitError);
    expect(r.error!.message).toMatch(/^the reply of W:2 to trace [0-9a-f]{24} was refused: data\.payload\.a.*is nested deeper than MAX_DATA_DEPTH \(100/);
    expect(master.stats.malformed).toBe(1);
  });

  it('R-IPC-2: receive never throws, whatever the frame; each is counted once', () => {
    const { fromW1 } = group();
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const frames: unknown[] = [
      deep, [], new Array(65).fill(1), new Array(300_000).fill(0),
      createEnvelope('W:1', 'M', { action: 'X', payload: deep }),
      createEnvelope('W:1', 'W:2', { action: 'X', payload: deep }),
      { meta: { ...createEnvelope('W:1', 'M', { action: 'X' }).meta, isRes: 'yes' }, data: { action: 'X' } },
      createEnvelope('W:1', 'M', { action: 'X' }, null, false, 'd'.repeat(24), true),
      createEnvelope('W:1', 'M', { action: InternalActions.MESSENGER_RESULT }, 'e'.repeat(24), true),
    ];
    expect(frames).toHaveLength(9);
    for (const f of frames) expect(() => fromW1(f)).not.toThrow();
    // The 20 000-level array is a frame of one non-envelope; the others one drop each.
    expect(master.stats.malformed).toBe(9);
  });
});
