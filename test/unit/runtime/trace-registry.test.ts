import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TraceRegistry, type TraceHandlers } from '../../../src/runtime/trace-registry';

/** Handlers that record which exit path ran (exactly one must run). */
function recorder() {
  const calls: string[] = [];
  const handlers: TraceHandlers = {
    onReply: (data, from) => calls.push(`reply:${data.action}:${from}`),
    onTimeout: () => calls.push('timeout'),
    onFail: (err) => calls.push(`fail:${err.message}`),
  };
  return { calls, handlers };
}

describe('trace registry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('R-TRACE-3: a reply is matched by trace id and by its source', () => {
    const reg = new TraceRegistry();
    const { calls, handlers } = recorder();
    const id = reg.register('W:1', 1000, handlers);
    expect(reg.take(id, 'W:2')).toBeUndefined();
    expect(reg.take('0'.repeat(24), 'W:1')).toBeUndefined();
    expect(reg.size).toBe(1);
    const h = reg.take(id, 'W:1');
    expect(h).toBe(handlers);
    expect(reg.size).toBe(0);
    expect(reg.take(id, 'W:1')).toBeUndefined();
    vi.advanceTimersByTime(5000);
    expect(calls).toEqual([]);
  });

  it('R-TRACE-4: a time-out drops the entry and runs onTimeout once', () => {
    const reg = new TraceRegistry();
    const { calls, handlers } = recorder();
    const id = reg.register('M', 100, handlers);
    vi.advanceTimersByTime(99);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['timeout']);
    expect(reg.size).toBe(0);
    expect(reg.take(id, 'M')).toBeUndefined();
    expect(reg.fail(id, new Error('late'))).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['timeout']);
  });

  it('ISSUE-3: failTarget fails every trace pending on that target, and only those', () => {
    const reg = new TraceRegistry();
    const a = recorder();
    const b = recorder();
    const c = recorder();
    reg.register('W:1', 1000, a.handlers);
    reg.register('W:1', 1000, b.handlers);
    const other = reg.register('W:2', 1000, c.handlers);
    expect(reg.failTarget('W:1', () => new Error('W:1 exited'))).toBe(2);
    expect(a.calls).toEqual(['fail:W:1 exited']);
    expect(b.calls).toEqual(['fail:W:1 exited']);
    expect(c.calls).toEqual([]);
    expect(reg.size).toBe(1);
    expect(reg.targetOf(other)).toBe('W:2');
    vi.advanceTimersByTime(1000);
    expect(a.calls).toEqual(['fail:W:1 exited']);
    expect(c.calls).toEqual(['timeout']);
    expect(reg.size).toBe(0);
  });

  it('ISSUE-3: fail() ends one trace; peek() does not remove it', () => {
    const reg = new TraceRegistry();
    const { calls, handlers } = recorder();
    const id = reg.register('W:3', 1000, handlers);
    expect(reg.peek(id)).toBe(handlers);
    expect(reg.size).toBe(1);
    expect(reg.fail(id, new Error('gone'))).toBe(true);
    expect(calls).toEqual(['fail:gone']);
    expect(reg.peek(id)).toBeUndefined();
    expect(reg.targetOf(id)).toBeUndefined();
  });

  it('ISSUE-3: size drains to 0 whichever way 10 000 traces end', () => {
    const reg = new TraceRegistry();
    let ended = 0;
    const handlers: TraceHandlers = { onReply: () => ended++, onTimeout: () => ended++, onFail: () => ended++ };
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(reg.register(i % 3 === 2 ? 'W:2' : 'W:1', 50 + (i % 7), handlers));
    expect(new Set(ids).size).toBe(10_000);
    for (let i = 0; i < ids.length; i += 3) reg.take(ids[i], 'W:1')?.onReply({ action: 'R' }, 'W:1');
    reg.failTarget('W:2', () => new Error('exit'));
    expect(reg.size).toBe(10_000 - Math.ceil(10_000 / 3) - Math.floor((10_000 + 0) / 3));
    vi.advanceTimersByTime(100);
    expect(reg.size).toBe(0);
    expect(ended).toBe(10_000);
  });
  it('ISSUE-6: traces that share a time-out value each time out at their own deadline; other values keep theirs', () => {
    const reg = new TraceRegistry();
    const a = recorder();
    const b = recorder();
    const c = recorder();
    reg.register('W:1', 100, a.handlers);
    reg.register('W:1', 30, c.handlers);
    vi.advanceTimersByTime(30);
    expect(c.calls).toEqual(['timeout']);
    vi.advanceTimersByTime(10);
    reg.register('W:1', 100, b.handlers);
    vi.advanceTimersByTime(60);
    expect(a.calls).toEqual(['timeout']);
    expect(b.calls).toEqual([]);
    vi.advanceTimersByTime(39);
    expect(b.calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(b.calls).toEqual(['timeout']);
    expect(reg.size).toBe(0);
  });

  it('ISSUE-6: replies in any order end their traces once; the one left unanswered still times out on time', () => {
    const reg = new TraceRegistry();
    let replies = 0;
    let timeouts = 0;
    const handlers: TraceHandlers = { onReply: () => replies++, onTimeout: () => timeouts++, onFail: () => { throw new Error('no failure expected'); } };
    const late = recorder();
    const lateId = reg.register('W:1', 1000, late.handlers);
    const ids: string[] = [];
    for (let i = 0; i < 5_000; i++) ids.push(reg.register('W:1', 1000, handlers));
    // Newest first, then every other one of the rest: never the head of the deadline FIFO.
    for (let i = ids.length - 1; i >= 0; i -= 2) reg.take(ids[i], 'W:1')?.onReply({ action: 'R' }, 'W:1');
    for (let i = ids.length - 2; i >= 0; i -= 2) reg.take(ids[i], 'W:1')?.onReply({ action: 'R' }, 'W:1');
    expect(replies).toBe(5_000);
    expect(reg.size).toBe(1);
    vi.advanceTimersByTime(999);
    expect(late.calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(late.calls).toEqual(['timeout']);
    expect(timeouts).toBe(0);
    expect(reg.size).toBe(0);
    expect(reg.take(lateId, 'W:1')).toBeUndefined();
  });

  it('ISSUE-6: an onTimeout that throws does not keep the other due traces pending', () => {
    const reg = new TraceRegistry();
    const after = recorder();
    reg.register('W:1', 50, { onReply: () => {}, onTimeout: () => { throw new Error('boom'); }, onFail: () => {} });
    reg.register('W:1', 50, after.handlers);
    expect(() => vi.advanceTimersByTime(50)).toThrow('boom');
    expect(after.calls).toEqual(['timeout']);
    expect(reg.size).toBe(0);
  });
});
