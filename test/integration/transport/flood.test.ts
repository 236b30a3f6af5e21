import { describe, expect, it } from 'vitest';
import { fixture, startCluster } from '../../helpers/cluster-process';

interface FloodReport {
  sent: number;
  received: number;
  outOfOrder: number;
  workerMaxRssMb: number;
  masterMaxRssMb: number;
  drainWaits: number;
}

describe('transport back-pressure', () => {
  it('ISSUE-6: 1 000 000 one-way sends from a worker, awaiting only when told to: nothing lost, in order, both RSS under 300 MB', async () => {
    const c = startCluster(fixture('transport/flood'), ['1000000']);
    const r = await c.waitForReport<FloodReport>('flood-done', undefined, 80_000);
    expect(r.sent).toBe(1_000_000);
    expect(r.received).toBe(1_000_000);
    expect(r.outOfOrder).toBe(0);
    expect(r.workerMaxRssMb).toBeLessThan(300);
    expect(r.masterMaxRssMb).toBeLessThan(300);
    // The channel did hold the worker back at least once: the bound comes from back-pressure.
    expect(r.drainWaits).toBeGreaterThan(0);
  }, 90_000);
});
