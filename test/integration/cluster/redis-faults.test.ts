/**
 * ISSUE-11 faults of Redis itself, on a private redis-server (free port, temporary directory,
 * `--appendonly yes`; the shared one on 6379 is never touched): Redis stops → local traffic goes
 * on, cross-node operations fail fast with a clear error; Redis restarts → the nodes rejoin by
 * themselves and the global object written before is intact.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/cluster-process';
import { startNode, testNamespace } from '../../helpers/nodes';
import { privateRedis, type PrivateRedis } from '../../helpers/redis';

type R = Record<string, unknown> & { event: string };
const WAIT = 30_000;
let redis: PrivateRedis | null = null;

afterEach(async () => {
  await redis?.destroy();
  redis = null;
});

describe('Redis goes away and comes back', () => {
  it('R-NODE-5: cross-node operations fail fast while local ones go on; the node rejoins; R-NODE-4: the global object survives the restart', async () => {
    redis = await privateRedis();
    await redis.start();
    const space = testNamespace('outage', redis.url);
    const env = { CC_REDIS: redis.url, CC_NODE_TIMEOUT: '2000' };
    startNode(fixture('cluster/corejs-node'), ['b', space, 'a', 'serve'], env);
    const a = startNode(fixture('cluster/deco-node'), ['a', space, 'b', 'outage'], env);
    await a.waitForReport<R>('outageReady', undefined, WAIT);

    await redis.stop();
    const failed = await a.waitForReport<R>('crossFailed', undefined, WAIT);
    expect(failed.name).toBe('TargetUnavailableError');
    expect(failed.message).toMatch(/^process b\/W:1 (cannot be reached: Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable|is on node 'b', which left the cluster before answering|exited before answering)/);
    // Fast: no hang until the 30 s time-out of the request.
    expect(failed.ms as number).toBeLessThan(5000);
    await a.waitForReport<R>('outageChecked', undefined, WAIT);
    const one = (event: string) => a.reports<R>().find((r) => r.event === event)!;
    expect(one('localDuringOutage')).toMatchObject({ ok: true, value: { self: 'W:2', node: 'a', from: 'W:1', payload: { local: true } } });
    expect(one('localSendDuringOutage')).toMatchObject({ ok: true });
    const global = one('globalDuringOutage');
    expect(global).toMatchObject({ ok: false, name: 'GlobalObjectError' });
    expect(global.message).toMatch(/^getGlobalObject: the global object lives in Redis at redis:\/\/127\.0\.0\.1:\d+, which cannot be reached/);
    expect(global.ms as number).toBeLessThan(5000);
    // The messenger goes on with this node's workers.
    expect(one('broadcastDuringOutage')).toMatchObject({ ok: true, value: ['W:1', 'W:2'] });

    await redis.start();
    const back = await a.waitForReport<R>('rejoined', undefined, WAIT);
    expect(back.ids).toEqual(['a/M', 'a/W:1', 'a/W:2', 'b/M', 'b/W:1', 'b/W:2']);
    expect(back.answer).toMatchObject({ self: 'W:1', node: 'b', from: 'a/W:1', payload: { back: true } });
    expect(back.kept).toEqual({ n: 42, list: [1, 2, 3] });
  }, 90_000);
});
