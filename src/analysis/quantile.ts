/**
 * Type-7 quantile (linear interpolation between order statistics at position
 * p·(m−1)), as SPEC §3 requires. simple-statistics' quantile uses a different
 * rule, hence this small function. `sorted` must be ascending.
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number | null {
  const m = sorted.length;
  if (m === 0) return null;
  const h = p * (m - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
