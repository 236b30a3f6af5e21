import { describe, expect, it } from 'vitest';
import { RoundRobin, pickRandom } from '../../../../src/runtime/master/round-robin';

const take = (rr: RoundRobin, n: number, exclude?: Set<string>) => Array.from({ length: n }, () => rr.next(exclude));

describe('RoundRobin (consume placement)', () => {
  it('R-MSG-2: picks the members in turn and wraps around', () => {
    const rr = new RoundRobin();
    rr.setMembers(['W:1', 'W:2', 'W:3']);
    expect(take(rr, 7)).toEqual(['W:1', 'W:2', 'W:3', 'W:1', 'W:2', 'W:3', 'W:1']);
  });

  it('R-MSG-2: gives undefined without members', () => {
    const rr = new RoundRobin();
    expect(rr.next()).toBeUndefined();
    rr.setMembers([]);
    expect(rr.next()).toBeUndefined();
  });

  it('R-MSG-2: a member leaving does not make the rotation skip or repeat the others', () => {
    const rr = new RoundRobin();
    rr.setMembers(['W:1', 'W:2', 'W:3']);
    expect(take(rr, 2)).toEqual(['W:1', 'W:2']);
    rr.setMembers(['W:1', 'W:3']); // W:2 (the last picked) left
    expect(take(rr, 3)).toEqual(['W:3', 'W:1', 'W:3']);
  });

  it('R-MSG-2: a member joining takes its turn after the last one picked', () => {
    const rr = new RoundRobin();
    rr.setMembers(['W:1', 'W:3']);
    expect(take(rr, 1)).toEqual(['W:1']);
    rr.setMembers(['W:1', 'W:2', 'W:3']);
    expect(take(rr, 4)).toEqual(['W:2', 'W:3', 'W:1', 'W:2']);
  });

  it('R-MSG-2: after the highest id left, the rotation starts again at the lowest', () => {
    const rr = new RoundRobin();
    rr.setMembers(['W:1', 'W:2', 'W:10']);
    expect(take(rr, 3)).toEqual(['W:1', 'W:2', 'W:10']);
    rr.setMembers(['W:1', 'W:2']);
    expect(take(rr, 2)).toEqual(['W:1', 'W:2']);
  });

  it('R-MSG-2: skips excluded members (workers already tried) and gives undefined when all are', () => {
    const rr = new RoundRobin();
    rr.setMembers(['W:1', 'W:2', 'W:3']);
    expect(rr.next(new Set(['W:1']))).toBe('W:2');
    expect(rr.next(new Set(['W:3']))).toBe('W:1');
    expect(rr.next(new Set(['W:1', 'W:2', 'W:3']))).toBeUndefined();
  });
});

describe('pickRandom (sendRandom placement)', () => {
  it('R-MSG-4: maps the random number onto the candidates, never past the last', () => {
    const ids = ['W:1', 'W:2', 'W:3'];
    expect(pickRandom(ids, undefined, () => 0)).toBe('W:1');
    expect(pickRandom(ids, undefined, () => 0.5)).toBe('W:2');
    expect(pickRandom(ids, undefined, () => 0.999999)).toBe('W:3');
    expect(pickRandom(ids, undefined, () => 1)).toBe('W:3');
  });

  it('R-MSG-4: skips excluded ids and gives undefined when none is left', () => {
    expect(pickRandom(['W:1', 'W:2'], new Set(['W:1']), () => 0)).toBe('W:2');
    expect(pickRandom(['W:1'], new Set(['W:1']))).toBeUndefined();
    expect(pickRandom([])).toBeUndefined();
  });
});
