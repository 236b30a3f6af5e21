/** Small statistics used by the apps (latency percentiles) and the runner (median of rounds). */

/** The `p`-th percentile (0–100) of `values` (nearest rank); NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Median of `values`, ignoring non-numbers; NaN when none is left. */
export function median(values: (number | null | undefined)[]): number {
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (nums.length === 0) return NaN;
  return percentile(nums, 50);
}
