import type { GapMoments } from './types.js';

/** Kim–Jo's finite-size correction of (σ − μ)/(σ + μ) for k gaps with r = σ/μ. */
function kimJo(k: number, r: number): number {
  const a = Math.sqrt(k + 1);
  const b = Math.sqrt(k - 1);
  return (a * r - b) / ((a - 2) * r + b);
}

/**
 * Kim–Jo finite-size burstiness of the gaps between consecutive instants:
 * −1 perfectly regular, 0 Poisson-like, 1 maximally bursty. It needs no
 * calendar, so it also flags bursts that no declared event explains.
 * Null with fewer than two gaps or a zero mean gap.
 */
export function burstiness(sortedInstants: ArrayLike<number>): number | null {
  const k = sortedInstants.length - 1;
  if (k < 2) return null;
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += (sortedInstants[i] - sortedInstants[i - 1]) / 1000;
  const mean = sum / k;
  if (mean === 0) return null;
  // Two passes avoid the cancellation of Σg²/k − μ² when gaps are nearly equal.
  let ss = 0;
  for (let i = 1; i <= k; i++) {
    const d = (sortedInstants[i] - sortedInstants[i - 1]) / 1000 - mean;
    ss += d * d;
  }
  return kimJo(k, Math.sqrt(ss / k) / mean);
}

/**
 * The same statistic from the gaps' count, sum and sum of squares, as a
 * rollup carries them. One pass over moments loses a little to cancellation
 * when the gaps are nearly equal, so the variance is floored at zero.
 */
export function burstinessFromMoments(m: GapMoments): number | null {
  const k = m.count;
  if (k < 2) return null;
  const mean = m.sum / k;
  if (mean === 0) return null;
  const variance = Math.max(0, m.sumSq / k - mean * mean);
  return kimJo(k, Math.sqrt(variance) / mean);
}
