/**
 * Request latency as a fixed log-scale histogram (R-OBS-1): recording is a few integer operations
 * (no allocation, no sort), so it can sit on the reply path. Buckets are in microseconds, four per
 * doubling (each bucket ~19 % wide), from 1 µs to ~36 minutes; quantiles are read off the buckets
 * (the middle of the bucket that holds them, so within ~10 % of the true value).
 */

/** Number of buckets: 4 exact ones for 0–3 µs, then 4 per doubling up to 2^31 µs. */
export const LATENCY_BUCKETS = 120;

/** Largest recordable latency, µs (longer ones land in the last bucket). */
const MAX_US = 0x7fffffff;

/** Bucket of a latency in µs: integer operations only. */
export function bucketOf(us: number): number {
  const v = us >= MAX_US ? MAX_US : us > 0 ? us | 0 : 0;
  if (v < 4) return v;
  const octave = 31 - Math.clz32(v);
  return 4 + (octave - 2) * 4 + ((v >>> (octave - 2)) & 3);
}

/** Lower and upper bound (µs, upper exclusive) of a bucket. */
export function boundsOf(bucket: number): [number, number] {
  if (bucket < 4) return [bucket, bucket + 1];
  const octave = 2 + ((bucket - 4) >> 2);
  const sub = (bucket - 4) & 3;
  const step = 2 ** (octave - 2);
  return [(4 + sub) * step, (5 + sub) * step];
}

/** Latencies recorded in one process since it started. */
export class LatencyHistogram {
  /** Count per bucket. */
  readonly counts = new Float64Array(LATENCY_BUCKETS);
  /** Number of latencies recorded. */
  count = 0;
  /** Sum of every latency recorded, ms. */
  sumMs = 0;

  /** Records one latency in milliseconds. */
  record(ms: number): void {
    this.counts[bucketOf(ms * 1000)]++;
    this.count++;
    this.sumMs += ms;
  }

  /** A copy of the bucket counts (for a window: later counts minus these). */
  copyCounts(): Float64Array {
    return this.counts.slice();
  }
}

/**
 * The `q` quantile (0 < q ≤ 1) of the latencies in `counts` (optionally minus `since`, an earlier
 * copy), in ms; null when no latency was recorded in between.
 */
export function quantileMs(counts: Float64Array, q: number, since?: Float64Array): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] - (since ? since[i] : 0);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] - (since ? since[i] : 0);
    if (seen >= rank) {
      const [lo, hi] = boundsOf(i);
      return (lo + hi) / 2 / 1000;
    }
  }
  return null;
}

/**
 * Cumulative counts at the Prometheus bucket bounds `le` (seconds): every doubling from 32 µs to
 * ~33 s, so each `le` is a bucket edge and the counts are exact.
 */
export function cumulativeBuckets(counts: Float64Array): { le: number[]; counts: number[] } {
  const le: number[] = [];
  const cumulative: number[] = [];
  let seen = 0;
  let bucket = 0;
  for (let power = 5; power <= 25; power++) {
    const edgeUs = 2 ** power;
    while (bucket < counts.length && boundsOf(bucket)[1] <= edgeUs) seen += counts[bucket++];
    le.push(edgeUs / 1e6);
    cumulative.push(seen);
  }
  return { le, counts: cumulative };
}
