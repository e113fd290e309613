import type { GapMoments, InstantPieces } from './types.js';

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

/** The instants of `p` sorted (as InstantList.sorted sorts them), at positions [skip, skip + count): a copy. */
export function sortedInstants(p: InstantPieces): Float64Array {
  const { arrays, table } = p;
  const end = p.first + p.pieces;
  let total = 0;
  for (let j = p.first; j < end; j++) total += table[3 * j + 2];
  const all = new Float64Array(total);
  let at = 0;
  for (let j = p.first; j < end; j++) {
    const from = table[3 * j + 1];
    const length = table[3 * j + 2];
    all.set(arrays[table[3 * j]].subarray(from, from + length), at);
    at += length;
  }
  return all.sort().subarray(p.skip, p.skip + p.count);
}

/**
 * burstiness(sortedInstants(p)) without the copy: the same sums in the same
 * order while the pieces hold the instants in ascending order, as a
 * time-ordered log brings them (equal instants in either order give the same
 * gaps: a zero gap adds nothing, whichever its sign). Otherwise it sorts a copy.
 */
export function burstinessOfPieces(p: InstantPieces): number | null {
  const k = p.count - 1;
  if (k < 2) return null;
  const { arrays, table, skip } = p;
  const last = p.first + p.pieces;
  const end = skip + p.count;
  let i = 0;
  let prev = 0;
  let sum = 0;
  for (let j = p.first; j < last; j++) {
    const values = arrays[table[3 * j]];
    const from = table[3 * j + 1];
    const to = from + table[3 * j + 2];
    for (let q = from; q < to; q++) {
      const t = values[q];
      if (i > 0 && !(prev <= t)) return burstiness(sortedInstants(p));
      if (i > skip && i < end) sum += (t - prev) / 1000;
      prev = t;
      i++;
    }
  }
  const mean = sum / k;
  if (mean === 0) return null;
  let ss = 0;
  i = 0;
  for (let j = p.first; j < last && i < end; j++) {
    const values = arrays[table[3 * j]];
    const from = table[3 * j + 1];
    const to = from + table[3 * j + 2];
    for (let q = from; q < to && i < end; q++) {
      const t = values[q];
      if (i > skip) {
        const d = (t - prev) / 1000 - mean;
        ss += d * d;
      }
      prev = t;
      i++;
    }
  }
  return kimJo(k, Math.sqrt(ss / k) / mean);
}
