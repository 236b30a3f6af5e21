/**
 * ISSUE-11 / R-NODE-3: the Redis transport coalesces what is written to one node in one turn of
 * the event loop into one PUBLISH, strips the target's node part, and reports every failure to the
 * write's callback (or to the lost handler) with TargetUnavailableError — no Redis needed here.
 */
import { describe, expect, it } from 'vitest';
import { createEnvelope, type Envelope } from '../../../src/protocol/envelope';
import { TargetUnavailableError } from '../../../src/protocol/errors';
import { RedisTransport, messageChannel, type RedisFrame } from '../../../src/transport/redis-transport';
import type { RedisPair } from '../../../src/transport/redis-connection';

function fakePair(answer: () => Promise<number>): { pair: RedisPair; published: { channel: string; frame: RedisFrame }[] } {
  const published: { channel: string; frame: RedisFrame }[] = [];
  const cmd = { publish: (channel: string, text: string) => { published.push({ channel, frame: JSON.parse(text) as RedisFrame }); return answer(); } };
  const pair = { cmd, sub: {}, up: true, where: 'redis://fake:1', ready: async () => {}, close: async () => {} } as unknown as RedisPair;
  return { pair, published };
}

const env = (to: string, n: number): Envelope => createEnvelope('W:1', to, { action: 'X', payload: n });
const written = (cbs: number) => {
  const results: (Error | null)[] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => { resolve = r; });
  return { results, done, cb: (err: Error | null) => { results.push(err); if (results.length === cbs) resolve(); } };
};

describe('RedisTransport', () => {
  it('R-NODE-3: writes to one node in one turn go out as one PUBLISH, ids local to the target node', async () => {
    const { pair, published } = fakePair(async () => 1);
    const lost: Envelope[] = [];
    const t = new RedisTransport(pair, 'ns', 'a', () => null, (e) => lost.push(e));
    const w = written(4);
    const b = t.channel('b');
    expect(t.channel('b')).toBe(b);
    b.write(env('b/W:1', 1), w.cb);
    b.write(env('b/W:2', 2), w.cb);
    b.write(env('b/M', 3), w.cb);
    t.channel('c').write(env('c/A', 4), w.cb);
    await w.done;
    expect(w.results).toEqual([null, null, null, null]);
    expect(published.map((p) => p.channel)).toEqual([messageChannel('ns', 'b'), messageChannel('ns', 'c')]);
    expect(published[0].frame.n).toBe('a');
    expect(published[0].frame.e.map((e) => [e.meta.toProcessId, e.meta.fromProcessId, e.data.payload])).toEqual([['W:1', 'W:1', 1], ['W:2', 'W:1', 2], ['M', 'W:1', 3]]);
    expect(published[1].frame.e.map((e) => e.meta.toProcessId)).toEqual(['A']);
    expect(t.stats).toMatchObject({ framesOut: 2, envelopesOut: 4 });
    // The next turn is a new frame.
    const w2 = written(1);
    b.write(env('b/W:1', 5), w2.cb);
    await w2.done;
    expect(published).toHaveLength(3);
    expect(lost).toEqual([]);
  });

  it('R-NODE-5: a node nobody listens for, Redis failing, or a refused node fail each write with TargetUnavailableError', async () => {
    const none = fakePair(async () => 0);
    const lost: [Envelope, Error][] = [];
    const t = new RedisTransport(none.pair, 'ns', 'a', () => null, (e, err) => lost.push([e, err]));
    const w = written(1);
    t.channel('b').write(env('b/W:1', 1), w.cb);
    t.channel('b').write(env('b/W:2', 2));
    await w.done;
    await new Promise((r) => setImmediate(r));
    expect(w.results[0]).toBeInstanceOf(TargetUnavailableError);
    expect(w.results[0]!.message).toBe("process b/W:1 cannot be reached: node 'b' is not listening (it left the cluster)");
    // Without a callback the loss goes to the lost handler (which fails the request at once).
    expect(lost).toHaveLength(1);
    expect(lost[0][0].meta.toProcessId).toBe('W:2');
    expect(lost[0][1].message).toBe("process b/W:2 cannot be reached: node 'b' is not listening (it left the cluster)");

    const down = fakePair(async () => { throw new Error('Connection is closed.'); });
    const t2 = new RedisTransport(down.pair, 'ns', 'a', () => null, () => {});
    const w2 = written(1);
    t2.channel('b').write(env('b/W:1', 1), w2.cb);
    await w2.done;
    expect(w2.results[0]!.message).toBe('process b/W:1 cannot be reached: Redis at redis://fake:1 is unreachable (Connection is closed.)');

    const refused = fakePair(async () => 1);
    const t3 = new RedisTransport(refused.pair, 'ns', 'a', (node, id) => new TargetUnavailableError(id, `is on node '${node}', which is not a live node`), () => {});
    const w3 = written(1);
    let sync = true;
    t3.channel('x').write(env('x/W:1', 1), (err) => { expect(sync).toBe(false); w3.cb(err); });
    sync = false;
    await w3.done;
    expect(w3.results[0]!.message).toBe("process x/W:1 is on node 'x', which is not a live node");
    expect(refused.published).toEqual([]);
  });
});
