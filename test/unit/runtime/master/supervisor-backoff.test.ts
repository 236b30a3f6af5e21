/** R-SUP-2: restart back-off of the supervisor — immediate first, then doubling, capped. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, restartDelay } from '../../../../src/runtime/master/supervisor';

describe('R-SUP-2: restartDelay', () => {
  it('R-SUP-2: the first restart is immediate, the next ones double from baseMs', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelay(n))).toEqual([0, 500, 1000, 2000, 4000, 8000]);
  });

  it('R-SUP-2: repeated crashes never wait longer than maxMs', () => {
    expect(restartDelay(7)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(restartDelay(1000)).toBe(DEFAULT_BACKOFF.maxMs);
    expect(restartDelay(4, { baseMs: 10, maxMs: 25, stableMs: 1 })).toBe(25);
  });
});
