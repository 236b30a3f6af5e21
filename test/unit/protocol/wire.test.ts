import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../../src/protocol/envelope';
import { fromWire, toWire } from '../../../src/protocol/wire';

const TRACE = '0123456789abcdef01234567';
const TRANSIT = 'fedcba9876543210fedcba98';

describe('wire form of an envelope', () => {
  it('R-IPC-4: every kind of envelope survives toWire → JSON → fromWire unchanged', () => {
    const cases = [
      createEnvelope('W:2', 'W:1', { action: 'A' }),
      createEnvelope('W:2', 'W:1', { action: 'A', payload: { x: [1, null] } }, TRACE),
      createEnvelope('M', 'W:1', { action: 'A', payload: 1 }, TRACE, true),
      createEnvelope('W:2', 'W:1', { action: 'A' }, null, false, TRANSIT),
      createEnvelope('W:2', 'W:1', { action: 'A' }, TRACE, false, TRANSIT),
      createEnvelope('M', 'W:2', { action: '@@cc/res:transit' }, null, false, TRANSIT, true),
      createEnvelope('b/W:1', 'M', { action: 'A' }, TRACE, true, TRANSIT, true),
    ];
    for (const env of cases) expect(fromWire(JSON.parse(JSON.stringify(toWire(env))))).toEqual(env);
  });

  it('R-IPC-4: a one-way message carries only its two ids besides its data', () => {
    expect(JSON.stringify(toWire(createEnvelope('W:2', 'W:1', { action: 'A' })))).toBe('{"m":["W:1","W:2"],"d":{"action":"A"}}');
  });

  it('R-IPC-4: the named form is accepted as it is (what the Redis gateway hands over)', () => {
    const env = createEnvelope('W:2', 'W:1', { action: 'A' }, TRACE);
    expect(fromWire(env)).toBe(env);
  });

  it('ISSUE-14: malformed wire envelopes are refused, never half-read', () => {
    const garbage: unknown[] = [
      null, 1, 'x', [], {}, { m: 'W:1', d: { action: 'A' } }, { m: ['W:1'], d: { action: 'A' } },
      { m: ['W:1', 'W:2'], d: null }, { m: ['W:1', 'W:2'], d: { action: 1 } }, { m: ['W:1', 2], d: { action: 'A' } },
      { m: ['W:1', 'W:2', null], d: { action: 'A' } }, { m: ['W:1', 'W:2', 0, 4], d: { action: 'A' } },
      { m: ['W:1', 'W:2', 0, '1'], d: { action: 'A' } }, { m: ['W:1', 'W:2', 0, 0, 7], d: { action: 'A' } },
      { m: ['W:1', 'W:2', 0, 0, null, 1], d: { action: 'A' } }, { m: { 0: 'W:1', 1: 'W:2', length: 2 }, d: { action: 'A' } },
    ];
    for (const g of garbage) expect(fromWire(g), JSON.stringify(g)).toBeNull();
  });
});
