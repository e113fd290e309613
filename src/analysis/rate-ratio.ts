import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import type { WindowTotals } from './window-totals.js';

/** The window-versus-baseline figures shared by stakeholders, segments and the whole log (SPEC §3). */
export interface RateMetrics {
  windowRate: number | null;
  baselineRate: number | null;
  spikiness: number | null;
  rateRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  windowShare: number | null;
}

/**
 * Spikiness: the rate ratio after one imaginary interaction of average weight
 * is spread evenly over every day of P, which pulls thin evidence towards 1.
 * Null when the calendar has no window days or no baseline days (nothing to compare).
 */
export function spikiness(t: WindowTotals, windowDays: number, baselineDays: number): number | null {
  if (windowDays === 0 || baselineDays === 0) return null;
  const pi = windowDays / (windowDays + baselineDays);
  const c = t.cW + t.cB;
  const wBar = c === 0 ? 1 : (t.nW + t.nB) / c;
  return ((t.nW + pi * wBar) / windowDays) / ((t.nB + (1 - pi) * wBar) / baselineDays);
}

export function rateRatio(t: WindowTotals, windowDays: number, baselineDays: number): number | null {
  if (windowDays === 0 || baselineDays === 0 || t.nB === 0) return null;
  return (t.nW / windowDays) / (t.nB / baselineDays);
}

/**
 * Exact conditional (Clopper–Pearson) interval for the rate ratio on Kish
 * effective counts, so weighted logs get an honest width. Without weights
 * e = c and m = 1, and this is the textbook interval.
 */
export function rateRatioInterval(
  t: WindowTotals,
  windowDays: number,
  baselineDays: number,
  confidence: number,
): { ciLow: number | null; ciHigh: number | null } {
  if (windowDays === 0 || baselineDays === 0) return { ciLow: null, ciHigh: null };
  const eW = t.nW > 0 ? (t.nW * t.nW) / t.sqW : 0;
  const eB = t.nB > 0 ? (t.nB * t.nB) / t.sqB : 0;
  const N = eW + eB;
  if (N === 0) return { ciLow: null, ciHigh: null };
  let mW = t.nW > 0 ? t.sqW / t.nW : NaN;
  let mB = t.nB > 0 ? t.sqB / t.nB : NaN;
  if (t.nW === 0) mW = mB;
  if (t.nB === 0) mB = mW;
  const x = eW;
  const thetaL = x === 0 ? 0 : betaQuantile((1 - confidence) / 2, x, N - x + 1);
  const thetaU = x === N ? 1 : betaQuantile((1 + confidence) / 2, x + 1, N - x);
  const scale = (baselineDays / windowDays) * (mW / mB);
  return {
    ciLow: (thetaL / (1 - thetaL)) * scale,
    ciHigh: thetaU === 1 ? null : (thetaU / (1 - thetaU)) * scale,
  };
}

export function rateMetrics(
  t: WindowTotals,
  windowDays: number,
  baselineDays: number,
  confidence: number,
): RateMetrics {
  const n = t.nW + t.nB;
  return {
    windowRate: windowDays > 0 ? t.nW / windowDays : null,
    baselineRate: baselineDays > 0 ? t.nB / baselineDays : null,
    spikiness: spikiness(t, windowDays, baselineDays),
    rateRatio: rateRatio(t, windowDays, baselineDays),
    ...rateRatioInterval(t, windowDays, baselineDays, confidence),
    windowShare: windowDays > 0 && n > 0 ? t.nW / n : null,
  };
}
