import { describe, expect, it } from 'vitest';
import { rateMetrics, rateRatioInterval, spikiness } from '../../src/analysis/rate-ratio.js';
import type { WindowTotals } from '../../src/analysis/window-totals.js';
import { betaInvReference } from '../helpers/beta-reference.js';

function counts(cW: number, cB: number): WindowTotals {
  return { cW, cB, nW: cW, nB: cB, sqW: cW, sqB: cB };
}

function weighted(window: number[], baseline: number[]): WindowTotals {
  const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
  const sq = (a: number[]) => a.reduce((s, x) => s + x * x, 0);
  return { cW: window.length, cB: baseline.length, nW: sum(window), nB: sum(baseline), sqW: sq(window), sqB: sq(baseline) };
}

describe('exact rate-ratio interval', () => {
  it("reproduces SPEC's check: 9 in 30 window days vs 3 in 335 → 33.5, 8.36–192.4", () => {
    const m = rateMetrics(counts(9, 3), 30, 335, 0.95);
    expect(m.rateRatio).toBeCloseTo(33.5, 12);
    expect(m.ciLow).toBeCloseTo(8.36, 2);
    expect(m.ciHigh).toBeCloseTo(192.4, 1);
  });

  it('matches an independent incomplete-beta inversion', () => {
    // θL = BetaInv(0.025; 9, 4), θU = BetaInv(0.975; 10, 3).
    const tl = betaInvReference(0.025, 9, 4);
    const tu = betaInvReference(0.975, 10, 3);
    const m = rateRatioInterval(counts(9, 3), 30, 335, 0.95);
    expect(m.ciLow! / ((tl / (1 - tl)) * (335 / 30))).toBeCloseTo(1, 9);
    expect(m.ciHigh! / ((tu / (1 - tu)) * (335 / 30))).toBeCloseTo(1, 9);
  });

  it('honours weights through Kish effective counts (non-integer beta arguments)', () => {
    // W weights 1 and 3: n 4, Σw² 10, e 1.6, m 2.5. B weight 2: n 2, Σw² 4, e 1, m 2.
    const t = weighted([1, 3], [2]);
    const tl = betaInvReference(0.025, 1.6, 1 + 1);
    const tu = betaInvReference(0.975, 2.6, 1);
    const scale = (100 / 10) * (2.5 / 2);
    const m = rateRatioInterval(t, 10, 100, 0.95);
    expect(m.ciLow! / ((tl / (1 - tl)) * scale)).toBeCloseTo(1, 8);
    expect(m.ciHigh! / ((tu / (1 - tu)) * scale)).toBeCloseTo(1, 8);
  });

  it('is the unweighted interval when every weight is the same', () => {
    const a = rateRatioInterval(counts(9, 3), 30, 335, 0.95);
    const b = rateRatioInterval(weighted(Array(9).fill(2.5), Array(3).fill(2.5)), 30, 335, 0.95);
    expect(b.ciLow).toBeCloseTo(a.ciLow!, 9);
    expect(b.ciHigh).toBeCloseTo(a.ciHigh!, 9);
  });

  it('is unbounded above with no baseline interactions and starts at 0 with no window ones', () => {
    expect(rateRatioInterval(counts(4, 0), 5, 15, 0.95).ciHigh).toBeNull();
    expect(rateRatioInterval(counts(0, 4), 5, 15, 0.95).ciLow).toBe(0);
    expect(rateRatioInterval(counts(0, 0), 5, 15, 0.95)).toEqual({ ciLow: null, ciHigh: null });
  });
});

describe('spikiness', () => {
  it('is 1 with no interactions', () => {
    expect(spikiness(counts(0, 0), 5, 15)).toBeCloseTo(1, 12);
  });

  it('is unchanged when every weight is multiplied by the same factor', () => {
    const a = spikiness(weighted([1, 3], [2, 2, 5]), 10, 90)!;
    const b = spikiness(weighted([7, 21], [14, 14, 35]), 10, 90)!;
    expect(b).toBeCloseTo(a, 12);
  });

  it('adds one average-weight interaction spread by day share', () => {
    // W: 2 (volume 6), B: 1 (volume 3); w̄ = 3, π = 0.1.
    const s = spikiness(weighted([2, 4], [3]), 10, 90)!;
    expect(s).toBeCloseTo((6 + 0.1 * 3) / 10 / ((3 + 0.9 * 3) / 90), 12);
  });

  it('rate ratio is null without baseline volume', () => {
    expect(rateMetrics(counts(3, 0), 5, 15, 0.95).rateRatio).toBeNull();
  });
});
