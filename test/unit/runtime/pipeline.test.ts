import { describe, expect, it, vi } from 'vitest';
import { runPipeline } from '../../../src/runtime/pipeline';
import { toReceivedData } from '../../../src/runtime/received-data';
import { createEnvelope } from '../../../src/protocol/envelope';
import { Macros } from '../../../src/protocol/macros';
import type { ProcessHooks, ReceivedData } from '../../../src/runtime/hooks';
import type { Logger } from '../../../src/runtime/logger';

function silentLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (...args: unknown[]) => { lines.push(args.map(String).join(' ')); };
  return { lines, info: log, warn: log, error: log };
}

function received(payload: unknown = { n: 1 }): ReceivedData {
  return toReceivedData(createEnvelope('W:2', 'W:1', { action: 'A', payload }), { reply: () => null });
}

describe('pipeline', () => {
  it('R-PIPE-1: every message passes onProcessWillReceiveMessage first; without it, next() is implied', () => {
    const order: string[] = [];
    const hooks: ProcessHooks = {
      onProcessWillReceiveMessage: (from, data, next) => { order.push(`will:${from}:${data.action}`); next(); },
      onProcessDidReceiveMessage: (from, data) => { order.push(`did:${from}:${data.action}`); },
    };
    runPipeline(hooks, silentLogger(), 'W:2', received());
    expect(order).toEqual(['will:W:2:A', 'did:W:2:A']);

    const only: string[] = [];
    runPipeline({ onProcessDidReceiveMessage: (from) => { only.push(from); } }, silentLogger(), 'M', received());
    expect(only).toEqual(['M']);
  });

  it('R-PIPE-2: next() passes data on, next(x) replaces payload, next(DISCARD) discards', () => {
    const did = vi.fn();
    const discarded = vi.fn();
    const run = (arg: unknown[], payload: unknown = { n: 1 }) => {
      did.mockClear();
      discarded.mockClear();
      const data = received(payload);
      runPipeline({
        onProcessWillReceiveMessage: (_f, _d, next) => next(...(arg as [unknown])),
        onProcessDidReceiveMessage: did,
        onProcessDidDiscardMessage: discarded,
      }, silentLogger(), 'W:2', data);
      return data;
    };
    let data = run([]);
    expect(did).toHaveBeenCalledExactlyOnceWith('W:2', data);
    expect(data.payload).toEqual({ n: 1 });
    expect(discarded).not.toHaveBeenCalled();

    data = run([{ replaced: true }]);
    expect(did).toHaveBeenCalledExactlyOnceWith('W:2', data);
    expect(data.payload).toEqual({ replaced: true });
    expect(data.getOriginData().data.payload).toEqual({ n: 1 });

    data = run([0]);
    expect(data.payload).toBe(0);

    data = run([Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD]);
    expect(discarded).toHaveBeenCalledExactlyOnceWith('W:2', data);
    expect(did).not.toHaveBeenCalled();
    expect(data.payload).toEqual({ n: 1 });
  });

  it('R-PIPE-2: next() called twice is ignored and logged', () => {
    const did = vi.fn();
    const logger = silentLogger();
    runPipeline({ onProcessWillReceiveMessage: (_f, _d, next) => { next(); next(Macros.CLUSTER_CORE_MESSAGE_COMMAND_DISCARD); }, onProcessDidReceiveMessage: did }, logger, 'M', received());
    expect(did).toHaveBeenCalledTimes(1);
    expect(logger.lines.join('\n')).toMatch(/next\(\) called twice/);
  });

  it('R-PIPE-3: changes a hook makes to data are seen by the later stages', () => {
    let seen: unknown;
    const data = received({ n: 1 });
    runPipeline({
      onProcessWillReceiveMessage: (_f, d, next) => { (d as Record<string, unknown>).stamp = 'will'; (d.payload as { n: number }).n = 2; next(); },
      onProcessDidReceiveMessage: (_f, d) => { seen = { stamp: (d as Record<string, unknown>).stamp, payload: d.payload }; },
    }, silentLogger(), 'W:2', data);
    expect(seen).toEqual({ stamp: 'will', payload: { n: 2 } });
  });

  it('ISSUE-3: a hook that throws is logged, never thrown at the router', () => {
    const logger = silentLogger();
    expect(() => runPipeline({ onProcessWillReceiveMessage: () => { throw new Error('boom'); } }, logger, 'M', received())).not.toThrow();
    expect(() => runPipeline({ onProcessDidReceiveMessage: () => { throw new Error('bang'); } }, logger, 'M', received())).not.toThrow();
    expect(logger.lines.join('\n')).toMatch(/onProcessWillReceiveMessage threw.*boom/);
    expect(logger.lines.join('\n')).toMatch(/onProcessDidReceiveMessage threw.*bang/);
  });

  it('R-TRACE-6: a hook that throws (or rejects) on an unanswered request answers it with the error, once', async () => {
    const errors: [string, string, unknown][] = [];
    const responder = { reply: () => null, replyError: (to: string, traceId: string, e: unknown) => { errors.push([to, traceId, e]); } };
    const TRACE = 'abcdefabcdef0001deadbeef';
    const request = () => toReceivedData(createEnvelope('W:2', 'W:1', { action: 'Q' }, TRACE), responder);
    const boom = new Error('boom');
    runPipeline({ onProcessDidReceiveMessage: () => { throw boom; } }, silentLogger(), 'W:2', request());
    expect(errors).toEqual([['W:2', TRACE, boom]]);

    errors.length = 0;
    const rejected = new Error('later');
    let settle!: () => void;
    const settled = new Promise<void>((r) => { settle = r; });
    runPipeline({ onProcessWillReceiveMessage: async () => { settle(); throw rejected; } }, silentLogger(), 'W:2', request());
    await settled;
    await new Promise<void>((r) => setImmediate(r));
    expect(errors).toEqual([['W:2', TRACE, rejected]]);

    errors.length = 0;
    runPipeline({ onProcessDidReceiveMessage: (_f, d) => { d.getTraceDetail().resTrace({ action: 'OK' }); throw boom; } }, silentLogger(), 'W:2', request());
    runPipeline({ onProcessDidReceiveMessage: () => { throw boom; } }, silentLogger(), 'W:2', toReceivedData(createEnvelope('W:2', 'W:1', { action: 'ONE_WAY' }), responder));
    expect(errors).toEqual([]);
  });
});
