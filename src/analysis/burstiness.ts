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
  let ss = 0;
  for (let i = 1; i <= k; i++) {
    const d = (sortedInstants[i] - sortedInstants[i - 1]) / 1000 - mean;
    ss += d * d;
  }
  const r = Math.sqrt(ss / k) / mean;
  const a = Math.sqrt(k + 1);
  const b = Math.sqrt(k - 1);
  return (a * r - b) / ((a - 2) * r + b);
}
