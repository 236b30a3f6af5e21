/** The worker's side of consume/map, over a stand-in engine that records what the runner does. */
import { describe, expect, it, vi } from 'vitest';
import { createEnvelope, type Envelope, type MessageData } from '../../../../src/protocol/envelope';
import { InternalActions } from '../../../../src/protocol/macros';
import { installMessengerRunner } from '../../../../src/runtime/child/messenger-runner';
import type { Engine, InternalHandler } from '../../../../src/runtime/engine';
import type { ProcessHooks, ReceivedData } from '../../../../src/runtime/hooks';
import { toReceivedData, type Responder } from '../../../../src/runtime/received-data';
import { copyReceived } from '../../../../src/protocol/json-safe';

function worker(hooks: ProcessHooks) {
  const handlers = new Map<string, InternalHandler>();
  const calls = {
    replyInternal: [] as [Envelope, MessageData][],
    reply: [] as [string, string, MessageData][],
    replyError: [] as [string, string, unknown][],
    refused: 0,
  };
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const engine = {
    processId: 'W:2',
    hooks,
    options: { logger },
    handleInternal: (action: string, h: InternalHandler) => handlers.set(action, h),
    replyInternal: (env: Envelope, data: MessageData) => calls.replyInternal.push([env, data]),
    reply: (to: string, traceId: string, data: MessageData) => { calls.reply.push([to, traceId, data]); return null; },
    replyError: (to: string, traceId: string, error: unknown) => calls.replyError.push([to, traceId, error]),
    // As Engine.acceptUserData: the checked copy, or null (counted) past a data limit.
    acceptUserData: (env: Envelope, _peer: string, responder: Responder) => {
      try {
        return toReceivedData(env, responder, copyReceived(env.data));
      } catch {
        calls.refused++;
        return null;
      }
    },
    noteInbound: () => undefined,
  };
  installMessengerRunner(engine as unknown as Engine);
  const order = (payload: unknown, traceId = 't'.repeat(24)) =>
    handlers.get(InternalActions.MESSENGER_RUN)!(createEnvelope('M', 'W:2', { action: InternalActions.MESSENGER_RUN, payload }, traceId));
  return { calls, logger, order };
}

describe('messenger runner (worker side of consume / map)', () => {
  it('R-MSG-2: a consume job reaches the pipeline as a one-way message from the caller, then is acknowledged', () => {
    const seen: [string, ReceivedData][] = [];
    const w = worker({ onProcessDidReceiveMessage: (from, data) => { seen.push([from, data]); } });
    w.order({ op: 'consume', action: 'JOB', payload: { id: 7 }, from: 'W:3' });
    expect(seen).toHaveLength(1);
    const [from, data] = seen[0];
    expect(from).toBe('W:3');
    expect({ ...data }).toEqual({ action: 'JOB', payload: { id: 7 } });
    expect(data.getTraceDetail().responsive).toBe(false);
    expect(data.getOriginData().meta).toMatchObject({ fromProcessId: 'W:3', toProcessId: 'W:2', traceId: null });
    expect(w.calls.replyInternal.map(([, d]) => d)).toEqual([{ action: InternalActions.MESSENGER_ACK }]);
  });

  it('R-MSG-2: a job the middleware discards is still acknowledged (it was handled, once)', () => {
    const discarded = vi.fn();
    const w = worker({ onProcessWillReceiveMessage: (_f, _d, next) => next('@@cc/command:discard'), onProcessDidDiscardMessage: discarded });
    w.order({ op: 'consume', action: 'JOB', from: 'M' });
    expect(discarded).toHaveBeenCalledTimes(1);
    expect(w.calls.replyInternal).toHaveLength(1);
  });

  it('R-MSG-3: a map request is answerable; the answer goes to the master under the master trace id', () => {
    const w = worker({
      onProcessDidReceiveMessage: (from, data) => data.getTraceDetail().resTrace({ action: 'WHO', payload: { from } }),
    });
    w.order({ op: 'map', action: 'WHO', from: 'A' }, 'c'.repeat(24));
    expect(w.calls.reply).toEqual([['M', 'c'.repeat(24), { action: 'WHO', payload: { from: 'A' } }]]);
    expect(w.calls.replyInternal).toEqual([]);
  });

  it('R-MSG-3: a map handler that throws answers the master with the error', () => {
    const boom = new RangeError('boom');
    const w = worker({ onProcessDidReceiveMessage: () => { throw boom; } });
    w.order({ op: 'map', action: 'WHO', from: 'M' }, 'd'.repeat(24));
    expect(w.calls.replyError).toEqual([['M', 'd'.repeat(24), boom]]);
  });

  it('ISSUE-7: a malformed order is logged and refused, never run, never thrown', () => {
    const hook = vi.fn();
    const w = worker({ onProcessDidReceiveMessage: hook });
    for (const bad of [undefined, 'x', { op: 'explode', action: 'A', from: 'M' }, { op: 'consume', action: 5, from: 'M' }, { op: 'map', action: 'A', from: 'nobody' }]) {
      expect(() => w.order(bad)).not.toThrow();
    }
    expect(hook).not.toHaveBeenCalled();
    expect(w.logger.warn).toHaveBeenCalledTimes(5);
    expect(w.calls.replyInternal.every(([, d]) => d.action === InternalActions.MESSENGER_ACK && typeof d.error === 'object')).toBe(true);
    expect(w.calls.replyInternal).toHaveLength(5);
  });

  it('R-IPC-2: an order whose payload breaks a data limit is refused with an error acknowledgement, never run', () => {
    const hook = vi.fn();
    const w = worker({ onProcessDidReceiveMessage: hook });
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    w.order({ op: 'consume', action: 'JOB', payload: deep, from: 'W:1' });
    w.order({ op: 'map', action: 'JOB', payload: JSON.parse('{"__proto__":{"x":1}}'), from: 'W:1' });
    expect(hook).not.toHaveBeenCalled();
    expect(w.calls.refused).toBe(2);
    expect(w.calls.replyInternal).toHaveLength(2);
    for (const [, d] of w.calls.replyInternal) expect(d).toMatchObject({ action: InternalActions.MESSENGER_ACK, error: { message: expect.stringContaining('data limit') } });
  });
});
