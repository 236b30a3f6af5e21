import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DropLog, preview } from '../../../src/runtime/drop-log';

describe('drop log (ISSUE-14)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('R-IPC-2: shows the first drops of an interval, counts the others in one line, and starts over', () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const log = new DropLog(logger, 3, 1000);
    for (let i = 0; i < 300_000; i++) log.note('W:1', 'not a clustercore envelope', i);
    expect(logger.warn).toHaveBeenCalledTimes(3);
    expect(logger.warn).toHaveBeenNthCalledWith(1, 'dropped a message from W:1 (not a clustercore envelope): 0');
    vi.advanceTimersByTime(1000);
    expect(logger.warn).toHaveBeenCalledTimes(4);
    expect(logger.warn).toHaveBeenLastCalledWith('dropped 299997 more message(s) in the last 1000 ms (not shown; engine.stats counts them all)');
    log.note('W:2', 'x', 'again');
    expect(logger.warn).toHaveBeenCalledTimes(5);
    vi.advanceTimersByTime(1000);
    // Nothing hidden in that interval: no summary line.
    expect(logger.warn).toHaveBeenCalledTimes(5);
  });

  it('R-IPC-2: preview is bounded whatever the value (deep, wide, long)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(preview(deep)).toBe('[[[[[[[…]]]]]]]');
    const wide = preview(new Array(300_000).fill(7));
    expect(wide.length).toBeLessThanOrEqual(201);
    expect(wide.endsWith('…')).toBe(true);
    expect(preview('x'.repeat(1e6)).length).toBeLessThanOrEqual(201);
    expect(preview({ meta: 1 })).toBe('{"meta":1}');
    expect(preview('garbage')).toBe('"garbage"');
    expect(preview(undefined)).toBe('undefined');
  });
});
