/**
 * Seed 001's global-object calls (SLICE read, PUSH with several values, remove by index), each
 * wrapped in a runnable sample (samples/corejs/global-slice.js, global-push-values.js,
 * global-remove-index.js) whose worker runs the seed's call against the seed's starting object.
 */
import { describe, expect, it } from 'vitest';
import { sample, startCluster } from '../../helpers/cluster-process';

describe('Corejs samples: seed 001 global-object calls', () => {
  it('R-GLOBAL-1: seed 001 SLICE — getGlobalObject([key1, SLICE], 1, 2, cb) on [0..5] gives [1]', async () => {
    const c = startCluster(sample('corejs/global-slice.js'));
    expect(await c.waitFor('slice(1, 2)', 30_000)).toBe('[W:1] slice(1, 2) of key1 -> err: null, value: [1]');
  });

  it('R-GLOBAL-2: seed 001 PUSH — setGlobalObject([key1, PUSH], value1, value2, value3, cb) on [] gives length 3', async () => {
    const c = startCluster(sample('corejs/global-push-values.js'));
    expect(await c.waitFor('push ->', 30_000)).toBe('[W:1] push -> err: null, detail: {"globalObject":{"key1":["value1","value2","value3"]},"commandResult":3}');
  });

  it("R-GLOBAL-3: seed 001 remove — removeGlobalObject(['key1', '0'], cb) on [0..5] splices index 0 out", async () => {
    const c = startCluster(sample('corejs/global-remove-index.js'));
    expect(await c.waitFor('remove key1[0] ->', 30_000)).toBe('[W:1] remove key1[0] -> err: null, detail: {"key1":[1,2,3,4,5]}');
  });
});
