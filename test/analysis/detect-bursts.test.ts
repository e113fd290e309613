import { describe, expect, it } from 'vitest';
import { burstStates, detectBursts, logFactorial } from '../../src/analysis/detect-bursts.js';
import { formatDay } from '../../src/time/civil-date.js';
import { inputFrom, WORKED_ROWS } from '../helpers/analysis-input.js';

describe("Kleinberg's two-state automaton", () => {
  it('finds no burst in a flat series', () => {
    expect(burstStates([5, 5, 5, 5, 5, 5, 5, 5], 2, 1)).toEqual(Array(8).fill(false));
  });

  it('finds exactly one tall block', () => {
    const counts = [2, 2, 2, 2, 30, 30, 30, 2, 2, 2, 2, 2];
    expect(burstStates(counts, 2, 1)).toEqual(counts.map((c) => c === 30));
  });

  it('prefers the base state on equal cost', () => {
    // With s = 1 and γ = 0 both states cost exactly the same in every week, so
    // every choice is a tie; the rule must keep the whole path in state 0.
    expect(burstStates([1, 9, 2, 30, 4], 1, 0)).toEqual([false, false, false, false, false]);
  });

  it('treats an all-zero series as no campaign', () => {
    expect(burstStates([0, 0, 0], 2, 1)).toEqual([false, false, false]);
    expect(burstStates([], 2, 1)).toEqual([]);
  });

  it('turns a burst run into an event from its first Monday to its last Sunday, clipped to P', () => {
    // Weeks of 2024-01-01 (Mon) …; counts 1 per week except 20 in the weeks of 01-15 and 01-22.
    const rows = [];
    for (let w = 0; w < 10; w++) {
      const monday = new Date(Date.UTC(2024, 0, 1 + 7 * w));
      const n = w === 2 || w === 3 ? 20 : 1;
      for (let i = 0; i < n; i++) rows.push({ stakeholder: `S${i}`, at: new Date(monday.getTime() + 36e5 * (9 + (i % 8))).toISOString() });
    }
    const input = inputFrom(rows, []);
    const events = detectBursts(input.stakeholders, input.period, 2, 1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ name: 'burst 2024-01-15', kind: 'detected', before: 0, after: 0 });
    expect(formatDay(events[0].start)).toBe('2024-01-15');
    expect(formatDay(events[0].end)).toBe('2024-01-28');
  });

  it('finds no campaign in the SPEC §7 log (3 weeks: 3, 3, 1 interactions)', () => {
    // Weeks of 2024-01-01, 01-08, 01-15 hold 2 (01-01, 01-05), 4 (01-09, 01-10 ×2, 01-11), 1 (01-20).
    const input = inputFrom(WORKED_ROWS, []);
    const events = detectBursts(input.stakeholders, input.period, 2, 1);
    // λ0 = 7/3; week 2 alone in state 1 saves (x ln 2 − λ0) = 4·0.693 − 2.333 = 0.44 < γ ln 3 = 1.10 → no burst.
    expect(events).toEqual([]);
  });
});

describe('logFactorial', () => {
  it('sums logarithms up to about a million and follows Stirling beyond, both to a double\'s precision', () => {
    // Reference values: Python's math.lgamma(x + 1).
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 14);
    expect(logFactorial(2 ** 20) / 13487781.810466923).toBeCloseTo(1, 11);
    expect(logFactorial(2 ** 20 + 1) / 13487795.673411487).toBeCloseTo(1, 13);
    expect(logFactorial(1e10) / 220258509311.83643).toBeCloseTo(1, 14);
    expect(logFactorial(1234567890123456) / 4.166604581911216e16).toBeCloseTo(1, 14);
  });

  it('lets a week of ten billion interactions (a rollup row can claim them) be scored at once', () => {
    // Before, ln(x!) was a sum of x logarithms: this ran for hours.
    expect(burstStates([1e10, 1, 1, 1, 1, 1, 1, 1], 2, 1)).toEqual([true, false, false, false, false, false, false, false]);
  });
});
