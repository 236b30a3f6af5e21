import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/core/options';

const ok = { redis: 'redis://127.0.0.1:6379' };

describe('option cluster', () => {
  it('R-NODE-1: absent by default; defaults filled in when given', () => {
    expect(resolveOptions('bootstrap', {}).cluster).toBeNull();
    expect(resolveOptions('bootstrap', { cluster: ok }).cluster).toEqual({
      redis: 'redis://127.0.0.1:6379', node: null, namespace: 'clustercore', nodeTimeout: 5000, aloneScope: 'cluster',
    });
    const full = resolveOptions('ClusterCore.init', { cluster: { redis: { host: '10.0.0.1', port: 7000 }, node: 'web-1', namespace: 'shop:prod', nodeTimeout: 800, aloneScope: 'node' } }).cluster;
    expect(full).toEqual({ redis: { host: '10.0.0.1', port: 7000 }, node: 'web-1', namespace: 'shop:prod', nodeTimeout: 800, aloneScope: 'node' });
  });

  it('R-NODE-1: a wrong value is refused with the method, the option and the value', () => {
    const cases: [unknown, RegExp][] = [
      ['redis://x', /bootstrap: option 'cluster' must be an object \{ redis, node\?, namespace\?, nodeTimeout\?, aloneScope\? \}, got "redis:\/\/x"/],
      [{}, /option 'cluster.redis' must be a 'redis:\/\/' or 'rediss:\/\/' URL or an object of ioredis options, got undefined/],
      [{ redis: 'http://x' }, /option 'cluster.redis' must be .*, got "http:\/\/x"/],
      [{ ...ok, node: 'a/b' }, /option 'cluster.node' must be a name of 1-100 letters, digits, '.', '_' or '-' \(no '\/'\), got "a\/b"/],
      [{ ...ok, node: 7 }, /option 'cluster.node' .* got number 7/],
      [{ ...ok, namespace: '' }, /option 'cluster.namespace' .* got ""/],
      [{ ...ok, nodeTimeout: 10 }, /option 'cluster.nodeTimeout' must be a number of ms >= 500, got number 10/],
      [{ ...ok, nodeTimeout: '5000' }, /option 'cluster.nodeTimeout' .* got "5000"/],
      [{ ...ok, aloneScope: 'host' }, /option 'cluster.aloneScope' must be 'cluster' or 'node', got "host"/],
      [{ ...ok, nodes: 3 }, /bootstrap: unknown option 'cluster.nodes' \(known: redis, node, namespace, nodeTimeout, aloneScope\)/],
    ];
    for (const [cluster, re] of cases) expect(() => resolveOptions('bootstrap', { cluster }), JSON.stringify(cluster)).toThrow(re);
  });
});
