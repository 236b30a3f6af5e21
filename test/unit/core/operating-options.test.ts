import { describe, expect, it } from 'vitest';
import { loggerFor, resolveOptions } from '../../../src/core/options';
import { TraceRegistry } from '../../../src/runtime/trace-registry';
import { ClusterCoreError } from '../../../src/protocol/errors';
import { thrownBy } from '../../helpers/thrown';

describe('operating options and counters (R-OBS)', () => {
  it('R-OBS-2: metrics is off by default; { port, host } is checked with the option named', () => {
    expect(resolveOptions('bootstrap', {}).metrics).toBeNull();
    expect(resolveOptions('bootstrap', { metrics: { port: 0 } }).metrics).toEqual({ port: 0, host: '127.0.0.1' });
    expect(resolveOptions('bootstrap', { metrics: { port: 9464, host: '::1' } }).metrics).toEqual({ port: 9464, host: '::1' });
    const bad: [unknown, string][] = [
      [9464, "option 'metrics' must be an object { port, host? }, got number 9464"],
      [{}, "option 'metrics.port' must be an integer from 0 to 65535, got undefined"],
      [{ port: 70000 }, "option 'metrics.port' must be an integer from 0 to 65535, got number 70000"],
      [{ port: 1.5 }, "option 'metrics.port' must be an integer from 0 to 65535, got number 1.5"],
      [{ port: 1, host: '' }, "option 'metrics.host' must be a non-empty string, got \"\""],
      [{ port: 1, tls: true }, "unknown option 'metrics.tls' (known: port, host)"],
    ];
    for (const [value, message] of bad) {
      const err = thrownBy(ClusterCoreError, () => resolveOptions('bootstrap', { metrics: value }));
      expect(err).toMatchObject({ name: 'ClusterCoreError', message: `bootstrap: ${message}` });
    }
  });

  it('R-OBS-1: a logger with child() gets one child per process id, bound to { processId }', () => {
    const made: { processId: string; lines: unknown[][] }[] = [];
    const base = {
      info() {}, warn() {}, error() {},
      child(b: { processId: string }) {
        const c = { processId: b.processId, lines: [] as unknown[][] };
        made.push(c);
        const log = (level: string) => (...a: unknown[]) => c.lines.push([level, ...a]);
        return { info: log('info'), warn: log('warn'), error: log('error') };
      },
    };
    let id = '?';
    const logger = loggerFor(resolveOptions('bootstrap', { logger: base }), () => id);
    id = 'W:3';
    logger.info('started', 2);
    logger.warn('odd');
    const err = new Error('boom');
    logger.error('failed:', err);
    expect(made.map((m) => m.processId)).toEqual(['W:3']);
    expect(made[0].lines).toEqual([['info', 'started 2'], ['warn', 'odd'], ['error', { err }, 'failed:']]);
    id = 'W:4';
    logger.info('again');
    expect(made.map((m) => m.processId)).toEqual(['W:3', 'W:4']);
    // A logger without child() is used as it is.
    const plain = { info: () => {}, warn: () => {}, error: () => {} };
    expect(loggerFor(resolveOptions('bootstrap', { logger: plain }), () => id)).toBe(plain);
  });

  it('R-OBS-1: the trace registry counts requests by outcome and leaves bookkeeping traces out', () => {
    const r = new TraceRegistry();
    const h = { onReply() {}, onTimeout() {}, onFail() {} };
    const a = r.register('W:1', 10_000, h);
    const b = r.register('W:1', 10_000, h);
    const c = r.register('W:2', 10_000, h);
    const d = r.register('M', 10_000, h, false);
    r.take(a, 'W:1');
    r.take(b, 'W:1', true);
    r.fail(c, new Error('gone'));
    r.take(d, 'M');
    expect(r.counters).toMatchObject({ started: 3, answered: 1, failed: 2, timedOut: 0 });
    expect(r.counters.latency.count).toBe(2);
    expect(r.size).toBe(0);
  });
});
