/**
 * A child's broadcast lane (PendingCasts) without processes: a fake engine records what is sent
 * and delivers MESSENGER_CAST_ACKs, so ranges, out-of-order answers, time-outs and a dead channel
 * can be driven exactly.
 */
import { describe, expect, it } from 'vitest';
import { createEnvelope, type Envelope, type MessageData } from '../../../src/protocol/envelope';
import { InternalActions } from '../../../src/protocol/macros';
import { RemoteError, TraceTimeoutError } from '../../../src/protocol/errors';
import type { Engine } from '../../../src/runtime/engine';
import { PendingCasts } from '../../../src/core/pending-casts';

function fakeEngine() {
  const sent: MessageData[] = [];
  const refused: string[] = [];
  let onAck: ((env: Envelope) => void) | null = null;
  let writeError: Error | null = null;
  const engine = {
    handleInternal: (action: string, fn: (env: Envelope) => void) => {
      if (action === InternalActions.MESSENGER_CAST_ACK) onAck = fn;
    },
    send: (_to: string, data: MessageData, cb?: (e: Error | null) => void) => {
      sent.push(data);
      cb?.(writeError);
    },
    dropMalformed: (_msg: unknown, _peer: string, reason: string) => refused.push(reason),
  } as unknown as Engine;
  const ack = (payload: unknown) => onAck!(createEnvelope('M', 'W:1', { action: InternalActions.MESSENGER_CAST_ACK, payload }));
  return { engine, sent, refused, ack, failWrites: (e: Error) => { writeError = e; } };
}

describe('PendingCasts', () => {
  it('R-MSG-1: casts are numbered in order and resolved by ranges, in any order, each with its own array', async () => {
    const f = fakeEngine();
    const casts = new PendingCasts(f.engine, 5000);
    const results = [casts.send('A', undefined, 'cluster'), casts.send('B', { x: 1 }, 'node'), casts.send('C', 0, 'cluster')];
    expect(f.sent).toEqual([
      { action: InternalActions.MESSENGER_CAST, payload: { seq: 1, action: 'A' } },
      { action: InternalActions.MESSENGER_CAST, payload: { seq: 2, action: 'B', payload: { x: 1 }, scope: 'node' } },
      { action: InternalActions.MESSENGER_CAST, payload: { seq: 3, action: 'C', payload: 0 } },
    ]);
    f.ack([{ to: 3, n: 1, error: { name: 'RemoteError', message: 'no', processId: 'W:2', remoteName: 'Error', remoteMessage: 'no' } }]);
    f.ack([{ to: 2, n: 2, reached: ['W:1', 'W:2'] }]);
    const [a, b] = await Promise.all(results.slice(0, 2));
    expect(a).toEqual(['W:1', 'W:2']);
    expect(b).toEqual(['W:1', 'W:2']);
    expect(a).not.toBe(b);
    await expect(results[2]).rejects.toBeInstanceOf(RemoteError);
    expect(casts.size).toBe(0);
  });

  it('R-MSG-1: a malformed acknowledgement is refused and resolves nothing; a range of unknown numbers is ignored', () => {
    const f = fakeEngine();
    const casts = new PendingCasts(f.engine, 5000);
    void casts.send('A', undefined, 'cluster');
    f.ack('junk');
    f.ack([{ to: 1, n: 0 }, { to: 'x', n: 1 }, null]);
    f.ack([{ to: 99, n: 3, reached: [] }]);
    expect(f.refused).toHaveLength(4);
    expect(casts.size).toBe(1);
    f.ack([{ to: 1, n: 1, reached: [] }]);
    expect(casts.size).toBe(0);
  });

  it('R-MSG-1: an unanswered broadcast fails with TraceTimeoutError after its wait; a failed write fails every pending one', async () => {
    const f = fakeEngine();
    const casts = new PendingCasts(f.engine, 30);
    const late = casts.send('SLOW', undefined, 'cluster');
    await expect(late).rejects.toBeInstanceOf(TraceTimeoutError);
    await expect(late).rejects.toThrow(/broadcast 'SLOW'/);
    expect(casts.size).toBe(0);
    const dead = fakeEngine();
    const lane = new PendingCasts(dead.engine, 5000);
    const first = lane.send('A', undefined, 'cluster');
    dead.failWrites(new Error('channel closed'));
    const second = lane.send('B', undefined, 'cluster');
    await expect(first).rejects.toThrow('channel closed');
    await expect(second).rejects.toThrow('channel closed');
    expect(lane.size).toBe(0);
  });
});
