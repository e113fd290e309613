import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burstiness, burstinessFromMoments, burstinessOfPieces, sortedInstants } from '../../src/analysis/burstiness.js';
import type { InstantPieces } from '../../src/analysis/types.js';
import { buildCalendar } from '../../src/analysis/calendar.js';
import { daysToBaseline, emptyProfile, peakOffset } from '../../src/analysis/profile.js';
import { quantileType7 } from '../../src/analysis/quantile.js';
import { silenceMetrics } from '../../src/analysis/silence.js';
import { day, event } from '../helpers/analysis-input.js';

const H = 3_600_000;
const D = 24 * H;

describe('Kim–Jo burstiness', () => {
  it('is 0.14989 for gaps of 8 d, 1 d, 1 h, 9 d 23 h (SPEC §7)', () => {
    const t0 = Date.parse('2024-01-01T10:00:00Z');
    const ts = [t0, t0 + 8 * D, t0 + 9 * D, t0 + 9 * D + H, t0 + 19 * D];
    // Hand computation: gaps in hours 192, 24, 1, 239; μ = 114, σ = sqrt(Σ(g−μ)²/4) = 95.9036…
    const gaps = [192, 24, 1, 239];
    const mu = 114;
    const sigma = Math.sqrt(gaps.reduce((s, g) => s + (g - mu) ** 2, 0) / 4);
    const r = sigma / mu;
    const expected = (Math.sqrt(5) * r - Math.sqrt(3)) / ((Math.sqrt(5) - 2) * r + Math.sqrt(3));
    expect(burstiness(ts)).toBeCloseTo(expected, 12);
    expect(burstiness(ts)).toBeCloseTo(0.14989, 5);
  });

  it('is −1 for perfectly regular contact', () => {
    expect(burstiness([0, D, 2 * D, 3 * D, 4 * D])).toBeCloseTo(-1, 12);
  });

  it('is null with fewer than two gaps or a zero mean gap', () => {
    expect(burstiness([0, D])).toBeNull();
    expect(burstiness([5, 5, 5])).toBeNull();
  });

  /** Pieces of `arrays` as (array, start, length) triples, after two unrelated triples in the shared table. */
  const piecesOf = (arrays: Float64Array[], triples: number[][], skip: number, count: number): InstantPieces => ({
    arrays,
    table: Int32Array.from([0, 0, 1, 0, 1, 1, ...triples.flat()]),
    first: 2,
    pieces: triples.length,
    skip,
    count,
  });

  it('reads SPEC §7\'s instants where they lie, in pieces of shared arrays', () => {
    const t0 = Date.parse('2024-01-01T10:00:00Z');
    // Another stakeholder's instants (−7) sit around SPEC §7's in both arrays.
    const a = Float64Array.of(-7, t0, t0 + 8 * D, -7);
    const b = Float64Array.of(t0 + 9 * D, t0 + 9 * D + H, t0 + 19 * D, -7);
    const p = piecesOf([a, b], [[0, 1, 2], [1, 0, 3]], 0, 5);
    expect(burstinessOfPieces(p)).toBeCloseTo(0.14989, 5);
    expect([...sortedInstants(p)]).toEqual([t0, t0 + 8 * D, t0 + 9 * D, t0 + 9 * D + H, t0 + 19 * D]);
    // The same five instants arriving out of order are sorted first.
    expect(burstinessOfPieces(piecesOf([a, b], [[1, 0, 3], [0, 1, 2]], 0, 5))).toBeCloseTo(0.14989, 5);
    // Positions 1…4 once sorted: gaps of 1 d, 1 h, 9 d 23 h.
    const tail = [24, 1, 239];
    const mu = 88;
    const r = Math.sqrt(tail.reduce((x, g) => x + (g - mu) ** 2, 0) / 3) / mu;
    const expected = (2 * r - Math.sqrt(2)) / ((2 - 2) * r + Math.sqrt(2));
    expect(burstinessOfPieces(piecesOf([a, b], [[1, 0, 3], [0, 1, 2]], 1, 4))).toBeCloseTo(expected, 12);
    expect(burstinessOfPieces(piecesOf([a, b], [[0, 1, 2], [1, 0, 3]], 1, 4))).toBeCloseTo(expected, 12);
    // Two gaps at least.
    expect(burstinessOfPieces(piecesOf([a, b], [[0, 1, 2], [1, 0, 3]], 3, 2))).toBeNull();
  });

  it('gives from pieces exactly what it gives from the sorted instants, in order or not, over any positions', () => {
    const instant = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 40 * D }) }, { weight: 1, arbitrary: fc.constantFrom(0, -0, 5, D) });
    fc.assert(
      fc.property(
        fc.array(fc.array(instant, { maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.nat(),
        fc.nat(),
        (parts, ascending, x, y) => {
          const flat = parts.flat();
          // A time-ordered log's pieces are in order: most runs take the path that reads them in place.
          const values = ascending ? [...flat].sort((u, v) => u - v) : flat;
          const arrays: Float64Array[] = [];
          const triples: number[][] = [];
          let at = 0;
          for (const part of parts) {
            const padded = Float64Array.from([-1, ...values.slice(at, at + part.length), -1]);
            arrays.push(padded);
            triples.push([arrays.length - 1, 1, part.length]);
            at += part.length;
          }
          const skip = flat.length === 0 ? 0 : x % (flat.length + 1);
          const count = y % (flat.length - skip + 1);
          const p = piecesOf(arrays, triples, skip, count);
          const sorted = Float64Array.from(values).sort().subarray(skip, skip + count);
          expect([...sortedInstants(p)]).toEqual([...sorted]);
          expect(Object.is(burstinessOfPieces(p), burstiness(sorted))).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('comes out the same from a rollup\'s gap count, sum and sum of squares', () => {
    // SPEC §7's gaps in seconds: 691200, 86400, 3600, 860400.
    const gaps = [691_200, 86_400, 3_600, 860_400];
    const m = { count: 4, sum: 1_641_600, sumSq: 477_757_440_000 + 7_464_960_000 + 12_960_000 + 740_288_160_000 };
    expect(m.sumSq).toBe(gaps.reduce((s, g) => s + g * g, 0));
    expect(burstinessFromMoments(m)).toBeCloseTo(0.14989, 5);
    expect(burstinessFromMoments({ count: 3, sum: 3 * 86_400, sumSq: 3 * 86_400 ** 2 })).toBe(-1);
    expect(burstinessFromMoments({ count: 1, sum: 60, sumSq: 3600 })).toBeNull();
    expect(burstinessFromMoments({ count: 3, sum: 0, sumSq: 0 })).toBeNull();
  });

  it('floors a variance that cancellation pushed below zero', () => {
    // Three equal gaps of 0.1 s: Σg²/k − μ² is a hair negative in floating point.
    const g = 0.1;
    const m = { count: 3, sum: g + g + g, sumSq: g * g * 3 };
    expect(m.sumSq / 3 - (m.sum / 3) ** 2).toBeLessThan(0);
    expect(burstinessFromMoments(m)).toBe(-1);
  });
});

describe('type-7 quantile', () => {
  it('interpolates between order statistics at p·(m−1)', () => {
    expect(quantileType7([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileType7([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileType7([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 12);
    expect(quantileType7([7], 0.9)).toBe(7);
    expect(quantileType7([], 0.5)).toBeNull();
  });
});

describe('silence and dark periods', () => {
  // P 2024-01-01..2024-03-31 (91 days); one event 2024-02-15 ±2 → window 02-13..02-17.
  const cal = buildCalendar({ from: day('2024-01-01'), to: day('2024-03-31') }, [event('E', '2024-02-15', '2024-02-15', 2, 2)], { before: 14, after: 14 });

  it('counts runs from the first interaction day to the end of P', () => {
    // Active 01-10, 02-15, 03-01: runs 01-11..02-14 (35 d), 02-16..02-29 (14 d), 03-02..03-31 (30 d).
    const days = Int32Array.from([day('2024-01-10'), day('2024-02-15'), day('2024-03-01')]);
    const m = silenceMetrics(days, cal, 30);
    expect(m.longestSilenceDays).toBe(35);
    expect(m.darkPeriods).toBe(2);
    // Baseline days inside dark runs: 01-11..02-12 (33) + 03-02..03-31 (30) = 63; D_B = 91 − 5 = 86.
    expect(m.darkBaselineShare).toBeCloseTo(63 / 86, 12);
  });

  it('ignores days before the first interaction', () => {
    const m = silenceMetrics(Int32Array.from([day('2024-03-31')]), cal, 30);
    expect(m).toEqual({ longestSilenceDays: 0, darkPeriods: 0, darkBaselineShare: 0 });
  });
});

describe('return to baseline and peak', () => {
  it('finds the first run of settleDays offsets at or below (1 + tolerance)·r_B·exposure', () => {
    const p = emptyProfile(5);
    // offsets 1..5 volumes 9, 3, 1, 1, 0 with exposure 1 each; r_B = 1, tolerance 0.2, settle 2.
    [9, 3, 1, 1, 0].forEach((v, i) => {
      p.volume[5 + 1 + i] = v;
      p.exposure[5 + 1 + i] = 1;
    });
    // k=1: 12 > 2.4; k=2: 4 > 2.4; k=3: 2 ≤ 2.4 → 3.
    expect(daysToBaseline(p, { volume: 1, days: 1 }, 2, 0.2)).toBe(3);
    // settle 5 → only k=1 fits (1+5−1 ≤ 5): 14 > 6 → null.
    expect(daysToBaseline(p, { volume: 1, days: 1 }, 5, 0.2)).toBeNull();
  });

  it('needs exposure in the run', () => {
    const p = emptyProfile(3);
    expect(daysToBaseline(p, { volume: 1, days: 1 }, 2, 0.2)).toBeNull();
  });

  it('peaks at the earliest offset with the largest volume among contributing offsets', () => {
    const p = emptyProfile(2);
    p.exposure.fill(1);
    p.volume.set([1, 4, 2, 4, 0]);
    expect(peakOffset(p)).toBe(-1);
    expect(peakOffset(emptyProfile(2))).toBeNull();
  });
});
