/**
 * ClusterMessenger's cross-node broadcast without processes: a fake master records what goes to the
 * other node, so the one-way sends and the confirmed (pacing) ones can be answered one by one.
 */
import { describe, expect, it } from 'vitest';
import type { MessageData } from '../../../../src/protocol/envelope';
import { InternalActions } from '../../../../src/protocol/macros';
import { TargetUnavailableError } from '../../../../src/protocol/errors';
import { BROADCAST_PACE_EVERY, ClusterMessenger } from '../../../../src/runtime/cluster/cluster-messenger';
import type { TraceHandlers } from '../../../../src/runtime/trace-registry';

function setup() {
  const sends: { to: string; data: MessageData; cb: (e: Error | null) => void }[] = [];
  const traces: { to: string; data: MessageData; handlers: TraceHandlers }[] = [];
  const master = {
    send: (to: string, data: MessageData, cb: (e: Error | null) => void) => sends.push({ to, data, cb }),
    trace: (to: string, data: MessageData, _ms: number, handlers: TraceHandlers) => traces.push({ to, data, handlers }),
  };
  const hub = { readyWorkers: ['W:1'], runLocal: (_op: string, _f: string, _a: string, _p: unknown, _t: number, done: (e: Error | null, v?: unknown) => void) => done(null, ['W:1']) };
  const messenger = new ClusterMessenger(master as never, hub as never, 'a', () => [{ node: 'b', workers: ['W:1', 'W:2'] }]);
  const results: unknown[][] = [];
  const broadcast = () => messenger.run('broadcast', 'W:1', 'HI', 1, 1000, (err, ids) => results.push(err ? [err] : (ids as unknown[])));
  return { sends, traces, results, broadcast };
}

describe('ClusterMessenger: cross-node broadcast', () => {
  it('R-NODE-3: one-way broadcasts to a node complete only after the confirmed one before them was answered', () => {
    const t = setup();
    for (let i = 0; i < 3; i++) t.broadcast();
    // The first is confirmed by b's master (pacing); the next two go one-way.
    expect(t.traces.map((x) => [x.to, (x.data.payload as { op: string }).op])).toEqual([['b/M', 'broadcast']]);
    expect(t.sends.map((x) => [x.to, x.data.action])).toEqual([['b/M', InternalActions.MESSENGER_DISPATCH], ['b/M', InternalActions.MESSENGER_DISPATCH]]);
    for (const s of t.sends) s.cb(null);
    expect(t.results).toEqual([]);
    t.traces[0].handlers.onReply({ action: InternalActions.MESSENGER_RESULT, payload: ['W:1'] }, 'b/M');
    // Ids: this node's short, then b's qualified (the confirmed one: what b reached; the others: b's announced workers).
    expect(t.results).toEqual([['W:1', 'b/W:1'], ['W:1', 'b/W:1', 'b/W:2'], ['W:1', 'b/W:1', 'b/W:2']]);
  });

  it(`R-NODE-5: one broadcast in ${BROADCAST_PACE_EVERY} is confirmed; a node that leaves releases the held ones at once, without its ids`, () => {
    const t = setup();
    for (let i = 0; i < BROADCAST_PACE_EVERY + 1; i++) t.broadcast();
    expect(t.traces).toHaveLength(2);
    expect(t.sends).toHaveLength(BROADCAST_PACE_EVERY - 1);
    t.sends[0].cb(new TargetUnavailableError('b/M', 'cannot be reached'));
    for (const s of t.sends.slice(1)) s.cb(null);
    expect(t.results).toEqual([]);
    for (const x of t.traces) x.handlers.onFail(new TargetUnavailableError('b/M', 'left'));
    expect(t.results).toHaveLength(BROADCAST_PACE_EVERY + 1);
    // The two confirmed ones (failed), then the held ones in order: the first of them was not sent.
    expect(t.results.slice(0, 4)).toEqual([['W:1'], ['W:1'], ['W:1'], ['W:1', 'b/W:1', 'b/W:2']]);
  });
});
