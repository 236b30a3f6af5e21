import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, LatencyHistogram, boundsOf, bucketOf, cumulativeBuckets, quantileMs } from '../../../../src/runtime/stats/latency-histogram';

describe('latency histogram (R-OBS-1)', () => {
  it('R-OBS-1: every latency lands in the bucket whose bounds hold it; buckets are ordered and about 19 % wide', () => {
    for (const us of [0, 1, 3, 4, 5, 7, 8, 100, 999, 1000, 1024, 65_535, 1_000_000, 2 ** 30, 2 ** 31 - 2]) {
      const b = bucketOf(us);
      const [lo, hi] = boundsOf(b);
      expect(lo <= us && us < hi, `${us} in [${lo}, ${hi})`).toBe(true);
    }
    for (let b = 1; b < LATENCY_BUCKETS; b++) expect(boundsOf(b)[0]).toBe(boundsOf(b - 1)[1]);
    expect(bucketOf(2 ** 40)).toBe(LATENCY_BUCKETS - 1);
    expect(bucketOf(-5)).toBe(0);
    const [lo, hi] = boundsOf(bucketOf(10_000));
    expect(hi / lo).toBeLessThanOrEqual(1.25);
  });

  it('R-OBS-1: p50 and p99 are read off the buckets within 10 %, and over a window of later records only', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 100); // 0.01 … 10 ms, evenly
    expect(h.count).toBe(1000);
    expect(h.sumMs).toBeCloseTo(5005, 6);
    expect(quantileMs(h.counts, 0.5)!).toBeGreaterThan(5 * 0.9);
    expect(quantileMs(h.counts, 0.5)!).toBeLessThan(5 * 1.1);
    expect(quantileMs(h.counts, 0.99)!).toBeGreaterThan(9.9 * 0.9);
    expect(quantileMs(h.counts, 0.99)!).toBeLessThan(9.9 * 1.1);
    const before = h.copyCounts();
    expect(quantileMs(h.counts, 0.5, before)).toBeNull();
    for (let i = 0; i < 10; i++) h.record(200);
    const windowP50 = quantileMs(h.counts, 0.5, before)!;
    expect(windowP50).toBeGreaterThan(180);
    expect(windowP50).toBeLessThan(220);
  });

  it('R-OBS-1: Prometheus buckets are cumulative counts at doubling edges from 32 µs', () => {
    const h = new LatencyHistogram();
    h.record(0.01); // 10 µs
    h.record(0.05); // 50 µs
    h.record(3); // 3 ms
    const { le, counts } = cumulativeBuckets(h.counts);
    expect(le[0]).toBe(0.000032);
    expect(le).toHaveLength(counts.length);
    expect(counts[0]).toBe(1);
    expect(counts[1]).toBe(2);
    expect(counts[counts.length - 1]).toBe(3);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
  });
});
