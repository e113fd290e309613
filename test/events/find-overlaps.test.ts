import { describe, expect, it } from 'vitest';
import type { EventSpec } from '../../src/analysis/types.js';
import { describeOverlap, findOverlaps } from '../../src/events/find-overlaps.js';

const DAY = 86_400_000;
const d = (y: number, m: number, day: number): number => Date.UTC(y, m - 1, day) / DAY;
const ev = (name: string, start: number, end = start, before: number | null = null, after: number | null = null): EventSpec => ({
  name,
  kind: null,
  start,
  end,
  before,
  after,
});
const DEFAULTS = { before: 2, after: 2 };

describe('findOverlaps', () => {
  it('no events, one event, and windows that only touch end to end: no overlap', () => {
    expect(findOverlaps([], DEFAULTS)).toEqual([]);
    expect(findOverlaps([ev('A', d(2024, 1, 10))], DEFAULTS)).toEqual([]);
    // A: 01-08…01-12; B starts 01-15 so its window is 01-13…01-17: adjacent, not shared.
    expect(findOverlaps([ev('A', d(2024, 1, 10)), ev('B', d(2024, 1, 15))], DEFAULTS)).toEqual([]);
  });

  it('one shared day, whatever the input order', () => {
    // A: 01-08…01-12; B (01-14): 01-12…01-16. Shared: 01-12.
    const expected = [
      {
        first: { name: 'A', windowStart: d(2024, 1, 8), windowEnd: d(2024, 1, 12) },
        second: { name: 'B', windowStart: d(2024, 1, 12), windowEnd: d(2024, 1, 16) },
        from: d(2024, 1, 12),
        to: d(2024, 1, 12),
      },
    ];
    expect(findOverlaps([ev('A', d(2024, 1, 10)), ev('B', d(2024, 1, 14))], DEFAULTS)).toEqual(expected);
    expect(findOverlaps([ev('B', d(2024, 1, 14)), ev('A', d(2024, 1, 10))], DEFAULTS)).toEqual(expected);
  });

  it('per-event before/after override the defaults', () => {
    // A 01-10 with after 0: 01-08…01-10. B 01-14 with before 3: 01-11…01-16. No overlap with those,
    expect(findOverlaps([ev('A', d(2024, 1, 10), d(2024, 1, 10), null, 0), ev('B', d(2024, 1, 14), d(2024, 1, 14), 3, null)], DEFAULTS)).toEqual([]);
    // but with B's before 4 (01-10…01-16) they share 01-10.
    const [o] = findOverlaps([ev('A', d(2024, 1, 10), d(2024, 1, 10), null, 0), ev('B', d(2024, 1, 14), d(2024, 1, 14), 4, null)], DEFAULTS);
    expect([o.from, o.to]).toEqual([d(2024, 1, 10), d(2024, 1, 10)]);
  });

  it('a window inside another shares all of its own days; every pair is listed', () => {
    // Long: 01-01…01-31 with no extra window; Short: 01-10…01-12 (±0); Late: 01-30…02-03 (±2 around 02-01).
    const events = [
      ev('Long', d(2024, 1, 1), d(2024, 1, 31), 0, 0),
      ev('Short', d(2024, 1, 11), d(2024, 1, 11), 1, 1),
      ev('Late', d(2024, 2, 1)),
    ];
    const found = findOverlaps(events, DEFAULTS).map((o) => [o.first.name, o.second.name, o.from, o.to]);
    expect(found).toEqual([
      ['Long', 'Short', d(2024, 1, 10), d(2024, 1, 12)],
      ['Long', 'Late', d(2024, 1, 30), d(2024, 1, 31)],
    ]);
  });

  it('three windows over one another give all three pairs', () => {
    const found = findOverlaps([ev('X', d(2024, 3, 1)), ev('Y', d(2024, 3, 2)), ev('Z', d(2024, 3, 3))], DEFAULTS);
    // X 02-28…03-03, Y 02-29…03-04, Z 03-01…03-05 (2024 is a leap year).
    expect(found.map((o) => [o.first.name, o.second.name, o.from, o.to])).toEqual([
      ['X', 'Y', d(2024, 2, 29), d(2024, 3, 3)],
      ['X', 'Z', d(2024, 3, 1), d(2024, 3, 3)],
      ['Y', 'Z', d(2024, 3, 1), d(2024, 3, 4)],
    ]);
  });

  it('within: shared days outside it are not reported, and the rest are clipped', () => {
    const events = [ev('A', d(2024, 1, 10)), ev('B', d(2024, 1, 13))]; // share 01-11…01-12
    expect(findOverlaps(events, DEFAULTS, { from: d(2024, 1, 13), to: d(2024, 2, 1) })).toEqual([]);
    const [o] = findOverlaps(events, DEFAULTS, { from: d(2024, 1, 12), to: d(2024, 2, 1) });
    expect([o.from, o.to]).toEqual([d(2024, 1, 12), d(2024, 1, 12)]);
  });

  it('same-named events are still two events', () => {
    expect(findOverlaps([ev('A', d(2024, 1, 10)), ev('A', d(2024, 1, 10))], DEFAULTS)).toHaveLength(1);
  });
});

describe('describeOverlap', () => {
  it('names both events, their windows and the shared days', () => {
    const [o] = findOverlaps([ev('ASCO 2025', d(2025, 5, 30), d(2025, 6, 3)), ev('Launch', d(2025, 6, 5))], DEFAULTS);
    // ASCO: 05-28…06-05; Launch: 06-03…06-07; shared 06-03…06-05.
    expect(describeOverlap(o)).toBe(
      'the windows of events "ASCO 2025" (2025-05-28…2025-06-05) and "Launch" (2025-06-03…2025-06-07) overlap on 3 days, ' +
        '2025-06-03…2025-06-05: those days count for both events; check the dates, or narrow --before/--after',
    );
  });

  it('one shared day is written as one date', () => {
    const [o] = findOverlaps([ev('A', d(2024, 1, 10)), ev('B', d(2024, 1, 14))], DEFAULTS);
    expect(describeOverlap(o)).toContain('overlap on 1 day, 2024-01-12:');
  });
});
