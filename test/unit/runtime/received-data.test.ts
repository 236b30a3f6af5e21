import { describe, expect, it } from 'vitest';
import { toReceivedData, type Responder } from '../../../src/runtime/received-data';
import { createEnvelope, type MessageData } from '../../../src/protocol/envelope';
import { ClusterCoreError } from '../../../src/protocol/errors';

const TRACE = 'abcdefabcdef0001deadbeef';

function responder(result: Error | null = null): Responder & { sent: [string, string, MessageData][] } {
  const sent: [string, string, MessageData][] = [];
  return { sent, reply: (to, traceId, data) => { if (!result) sent.push([to, traceId, data]); return result; } };
}

describe('received data', () => {
  it('R-IPC-4: handlers see only data; getOriginData() is the whole envelope as received', () => {
    const env = createEnvelope('W:2', 'W:1', { action: 'A', payload: { list: [1, 2] } }, TRACE);
    const data = toReceivedData(env, responder());
    expect(JSON.stringify(data)).toBe('{"action":"A","payload":{"list":[1,2]}}');
    expect(Object.keys(data)).toEqual(['action', 'payload']);
    expect(data.getOriginData()).toEqual({
      meta: { traceId: TRACE, toProcessId: 'W:1', fromProcessId: 'W:2', isRes: false, isTransitRes: false, transitTraceId: null },
      data: { action: 'A', payload: { list: [1, 2] } },
    });
  });

  it('R-IPC-4: the snapshot is a deep copy: editing data never changes it', () => {
    const data = toReceivedData(createEnvelope('M', 'W:1', { action: 'A', payload: { list: [1, 2], o: { k: 'v' } } }), responder());
    const payload = data.payload as { list: number[]; o: { k: string } };
    payload.list.push(3);
    payload.o.k = 'changed';
    data.action = 'B';
    (data as Record<string, unknown>).extra = true;
    expect(data.getOriginData().data).toEqual({ action: 'A', payload: { list: [1, 2], o: { k: 'v' } } });
    expect(data.getOriginData().data).not.toBe(data);
  });

  it('R-TRACE-5: getTraceDetail() of a request is responsive until the first answer; a second answer is refused', () => {
    const r = responder();
    const data = toReceivedData(createEnvelope('W:2', 'W:1', { action: 'Q' }, TRACE), r);
    const detail = data.getTraceDetail();
    expect(detail.traceId).toBe(TRACE);
    expect(detail.responsive).toBe(true);
    const errors: (Error | null)[] = [];
    detail.resTrace({ action: 'ANSWER', payload: 1 }, (e) => errors.push(e));
    expect(r.sent).toEqual([['W:2', TRACE, { action: 'ANSWER', payload: 1 }]]);
    expect(detail.responsive).toBe(false);
    expect(data.getTraceDetail().responsive).toBe(false);
    detail.resTrace({ action: 'ANSWER', payload: 2 }, (e) => errors.push(e));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ClusterCoreError);
    expect(errors[0]!.message).toMatch(/resTrace: request 'Q' .*W:2 was already answered/);
    expect(() => detail.resTrace({ action: 'ANSWER' })).toThrow(/already answered/);
    expect(r.sent).toHaveLength(1);
  });

  it('R-TRACE-5: a one-way message and a reply are not responsive; answering them is refused', () => {
    for (const env of [createEnvelope('W:2', 'W:1', { action: 'ONE_WAY' }), createEnvelope('W:2', 'W:1', { action: 'REPLY' }, TRACE, true)]) {
      const r = responder();
      const detail = toReceivedData(env, r).getTraceDetail();
      expect(detail.responsive).toBe(false);
      let err: Error | null = null;
      detail.resTrace({ action: 'X' }, (e) => { err = e; });
      expect(err).toBeInstanceOf(ClusterCoreError);
      expect(String(err)).toMatch(/is not a request/);
      expect(r.sent).toEqual([]);
    }
  });

  it('R-TRACE-5: an answer refused by the responder (bad data) leaves the request answerable', () => {
    const refused = new ClusterCoreError('resTrace: bad');
    const data = toReceivedData(createEnvelope('M', 'W:1', { action: 'Q' }, TRACE), responder(refused));
    const detail = data.getTraceDetail();
    let err: Error | null = null;
    detail.resTrace({ action: 'X' }, (e) => { err = e; });
    expect(err).toBe(refused);
    expect(detail.responsive).toBe(true);
  });
  it('R-TRACE-5: getTraceDetail() shows own enumerable traceId, responsive (live) and resTrace, which also works detached', () => {
    const r = responder();
    const data = toReceivedData(createEnvelope('W:2', 'W:1', { action: 'Q' }, TRACE), r);
    const detail = data.getTraceDetail();
    expect(Object.keys(detail)).toEqual(['traceId', 'responsive', 'resTrace']);
    expect(JSON.stringify(detail)).toBe(`{"traceId":"${TRACE}","responsive":true}`);
    const { resTrace } = detail;
    resTrace({ action: 'ANSWER' });
    expect(r.sent).toHaveLength(1);
    expect(detail.responsive).toBe(false);
    expect({ ...detail }.responsive).toBe(false);
  });

  it('R-IPC-4: received data has no own keys or symbols besides the user fields and the two methods', () => {
    const data = toReceivedData(createEnvelope('W:2', 'W:1', { action: 'A', payload: 1 }, TRACE), responder());
    expect(Object.getOwnPropertyNames(data).sort()).toEqual(['action', 'getOriginData', 'getTraceDetail', 'payload']);
    expect(Object.getOwnPropertySymbols(data)).toEqual([]);
    expect({ ...data }).toEqual({ action: 'A', payload: 1 });
  });

  it('R-IPC-4: a data object received again gets a new snapshot and trace detail', () => {
    const env = createEnvelope('W:2', 'W:1', { action: 'A', payload: 1 }, TRACE);
    const first = toReceivedData(env, responder());
    first.getTraceDetail().resTrace({ action: 'R' });
    first.payload = 2;
    const again = toReceivedData(env, responder());
    expect(again).toBe(first);
    expect(again.getOriginData().data).toEqual({ action: 'A', payload: 2 });
    expect(again.getTraceDetail().responsive).toBe(true);
  });
});
