import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTraceId, isTraceId } from '../../../src/protocol/trace-id';
import { TraceRegistry } from '../../../src/runtime/trace-registry';

const noop = { onReply: () => {}, onTimeout: () => {}, onFail: () => {} };

describe('trace ids', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('R-TRACE-2: 24 lowercase hex characters', () => {
    for (let i = 0; i < 1000; i++) {
      const id = createTraceId();
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(isTraceId(id)).toBe(true);
    }
  });

  it('R-TRACE-2: 12 of the millisecond timestamp, 4 of the pid, 8 random, each zero-padded', () => {
    vi.spyOn(Date, 'now').mockReturnValue(0x1f);
    vi.spyOn(Math, 'random').mockReturnValue(0xab / 0x100000000);
    const id = createTraceId();
    expect(id.slice(0, 12)).toBe('00000000001f');
    expect(id.slice(12, 16)).toBe((process.pid & 0xffff).toString(16).padStart(4, '0'));
    expect(id.slice(16)).toBe('000000ab');
  });

  it('R-TRACE-2: the timestamp part is the current time', () => {
    const before = Date.now();
    const id = createTraceId();
    const after = Date.now();
    const stamp = parseInt(id.slice(0, 12), 16);
    expect(stamp).toBeGreaterThanOrEqual(before);
    expect(stamp).toBeLessThanOrEqual(after);
  });

  it('R-TRACE-2: a clash with a pending id is retried (forced with a stubbed Math.random)', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const random = vi.spyOn(Math, 'random');
    const registry = new TraceRegistry();
    random.mockReturnValue(0.5);
    const first = registry.register('W:1', 10_000, noop);
    // The next draw repeats the first one, then moves on: the second id must not be the first.
    random.mockReturnValueOnce(0.5).mockReturnValueOnce(0.5).mockReturnValue(0.25);
    const second = registry.register('W:1', 10_000, noop);
    expect(second).not.toBe(first);
    expect(second.slice(0, 16)).toBe(first.slice(0, 16));
    expect(second.slice(16)).toBe('40000000');
    expect(random).toHaveBeenCalledTimes(4);
    expect(registry.size).toBe(2);
    registry.failTarget('W:1', () => new Error('cleanup'));
  });

  it('R-TRACE-2: isTaken is consulted until a free id is found', () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    const taken = new Set<string>();
    const seen: string[] = [];
    let calls = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => (calls++ < 3 ? 0.1 : 0.2));
    const fixed = createTraceId();
    taken.add(fixed);
    calls = 0;
    const id = createTraceId((candidate) => { seen.push(candidate); return taken.has(candidate); });
    expect(id).not.toBe(fixed);
    expect(seen).toEqual([fixed, fixed, fixed, id]);
  });

  it('R-TRACE-2: isTraceId refuses other shapes', () => {
    for (const bad of ['', 'ABCDEFABCDEFABCDEFABCDEF', '0'.repeat(23), '0'.repeat(25), 'g'.repeat(24), null, 12, undefined, {}]) {
      expect(isTraceId(bad)).toBe(false);
    }
  });
});
