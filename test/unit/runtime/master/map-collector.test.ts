import { describe, expect, it, vi } from 'vitest';
import { MapCollector } from '../../../../src/runtime/master/map-collector';

describe('MapCollector (map result collection)', () => {
  it('R-MSG-3: reports the answers in worker order, whatever order they arrive in', () => {
    const done = vi.fn();
    const c = new MapCollector(['W:1', 'W:2', 'W:3'], done);
    c.resolve('W:3', 'c');
    c.resolve('W:1', 'a');
    expect(done).not.toHaveBeenCalled();
    c.resolve('W:2', 'b');
    expect(done).toHaveBeenCalledTimes(1);
    expect(done).toHaveBeenCalledWith(
      [{ processId: 'W:1', value: 'a' }, { processId: 'W:2', value: 'b' }, { processId: 'W:3', value: 'c' }],
      [],
    );
    expect(c.settled).toBe(true);
  });

  it('R-MSG-3: lists failures apart from the answers, both in worker order', () => {
    const done = vi.fn();
    const c = new MapCollector(['W:1', 'W:2', 'W:3'], done);
    const e3 = new Error('slow');
    const e1 = new Error('gone');
    c.reject('W:3', e3);
    c.resolve('W:2', 2);
    c.reject('W:1', e1);
    expect(done).toHaveBeenCalledWith([{ processId: 'W:2', value: 2 }], [{ processId: 'W:1', error: e1 }, { processId: 'W:3', error: e3 }]);
  });

  it('R-MSG-3: a slot settles once; a second answer, or one from a worker not asked, is ignored', () => {
    const done = vi.fn();
    const c = new MapCollector(['W:1', 'W:2'], done);
    expect(c.resolve('W:1', 'first')).toBe(true);
    expect(c.reject('W:1', new Error('late'))).toBe(false);
    expect(c.resolve('W:9', 'stranger')).toBe(false);
    expect(done).not.toHaveBeenCalled();
    c.resolve('W:2', 'x');
    c.resolve('W:2', 'again');
    expect(done).toHaveBeenCalledTimes(1);
    expect(done.mock.calls[0][0]).toEqual([{ processId: 'W:1', value: 'first' }, { processId: 'W:2', value: 'x' }]);
  });

  it('R-MSG-3: with no worker the outcome is reported at once, empty', () => {
    const done = vi.fn();
    const c = new MapCollector([], done);
    expect(done).toHaveBeenCalledWith([], []);
    expect(c.settled).toBe(true);
  });
});
