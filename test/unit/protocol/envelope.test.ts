import { describe, expect, it } from 'vitest';
import { createEnvelope, isEnvelope } from '../../../src/protocol/envelope';

describe('envelope', () => {
  it('R-IPC-4: createEnvelope builds { meta: { traceId, toProcessId, fromProcessId, isRes, isTransitRes, transitTraceId }, data }', () => {
    const data = { action: 'A', payload: 1 };
    const env = createEnvelope('W:1', 'M', data, 'a'.repeat(24), true, 'b'.repeat(24), false);
    expect(env).toEqual({
      meta: { traceId: 'a'.repeat(24), toProcessId: 'M', fromProcessId: 'W:1', isRes: true, isTransitRes: false, transitTraceId: 'b'.repeat(24) },
      data,
    });
    expect(env.data).toBe(data);
    expect(createEnvelope('M', 'W:1', data).meta).toEqual({ traceId: null, toProcessId: 'W:1', fromProcessId: 'M', isRes: false, isTransitRes: false, transitTraceId: null });
  });

  it('R-IPC-4: isEnvelope accepts what createEnvelope builds', () => {
    expect(isEnvelope(createEnvelope('M', 'W:1', { action: 'X' }))).toBe(true);
    expect(isEnvelope(createEnvelope('M', 'W:1', { action: 'X' }, 'f'.repeat(24), true))).toBe(true);
  });

  it('ISSUE-3: isEnvelope refuses garbage shapes', () => {
    const good = createEnvelope('M', 'W:1', { action: 'X' });
    const garbage: unknown[] = [
      undefined, null, 0, 1, 'garbage', true, [], [1, 2], () => {},
      {}, { meta: 1 }, { meta: null, data: { action: 'X' } }, { meta: good.meta }, { data: good.data },
      { meta: good.meta, data: null }, { meta: good.meta, data: 'x' },
      { meta: good.meta, data: {} }, { meta: good.meta, data: { action: 5 } },
      { meta: { ...good.meta, toProcessId: 1 }, data: good.data },
      { meta: { ...good.meta, toProcessId: undefined }, data: good.data },
      { meta: { ...good.meta, fromProcessId: null }, data: good.data },
      { meta: { ...good.meta, traceId: 7 }, data: good.data },
      { meta: { ...good.meta, traceId: undefined }, data: good.data },
      { meta: { ...good.meta, transitTraceId: 7 }, data: good.data },
      { meta: 'meta', data: good.data },
    ];
    for (const g of garbage) expect(isEnvelope(g), JSON.stringify(g) ?? String(g)).toBe(false);
  });
});
