/**
 * Percentile by linear interpolation between closest ranks (p in 0..100); 0 for an empty list.
 * @example percentile([1, 2, 3, 4], 50) // 2.5
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/**
 * Counts events per bucket of `bucketMs`, from `start` to `end`: the series a rate plot needs.
 * @example bucketCounts([0, 10, 1200], 0, 2000, 1000) // [[0, 2], [1000, 1]]
 */
export function bucketCounts(
  times: readonly number[],
  start: number,
  end: number,
  bucketMs: number,
): [number, number][] {
  const n = Math.max(1, Math.ceil((end - start) / bucketMs));
  const counts = new Array<number>(n).fill(0);
  for (const t of times) {
    const i = Math.floor((t - start) / bucketMs);
    if (i >= 0 && i < n) counts[i]!++;
  }
  return counts.map((c, i) => [i * bucketMs, c]);
}

/** Rounds for display. */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
