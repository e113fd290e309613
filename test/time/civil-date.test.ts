import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MS_PER_DAY,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatDay,
  isLeapYear,
  isValidCivil,
  isoWeekday,
  mondayOf,
  parseDay,
} from '../../src/time/civil-date.js';

/** Independent oracle: the day number through the JS Date UTC arithmetic (years 100–9999 are exact). */
const utcDay = (y: number, m: number, d: number): number => {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  dt.setUTCHours(0, 0, 0, 0);
  return dt.getTime() / MS_PER_DAY;
};

describe('daysFromCivil / civilFromDays', () => {
  it('hits known anchors', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    // 2000-01-01 = 946684800 s since the epoch; 2024-01-01 = 1704067200 s; 1900-01-01 = -2208988800 s.
    expect(daysFromCivil(2000, 1, 1)).toBe(10957);
    expect(daysFromCivil(2024, 1, 1)).toBe(19723);
    expect(daysFromCivil(1900, 1, 1)).toBe(-25567);
    // 2024-02-29 is 31 + 28 days after 2024-01-01.
    expect(daysFromCivil(2024, 2, 29)).toBe(19723 + 59);
    expect(daysFromCivil(2024, 3, 1)).toBe(19723 + 60);
    // 1900 is not a leap year: 1900-03-01 is 31 + 28 days after 1900-01-01.
    expect(daysFromCivil(1900, 3, 1)).toBe(-25567 + 59);
    // 2000 is a leap year (divisible by 400).
    expect(daysFromCivil(2000, 3, 1)).toBe(10957 + 60);
  });

  it('knows the leap years 1900 (no), 2000 (yes), 2024 (yes), 2023 (no), 2100 (no)', () => {
    const feb = (y: number) => daysFromCivil(y, 3, 1) - daysFromCivil(y, 2, 1);
    expect(feb(1900)).toBe(28);
    expect(feb(2000)).toBe(29);
    expect(feb(2024)).toBe(29);
    expect(feb(2023)).toBe(28);
    expect(feb(2100)).toBe(28);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2023)).toBe(false);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });

  it('year lengths over four centuries add up to 146097 days', () => {
    expect(daysFromCivil(2000, 1, 1) - daysFromCivil(1600, 1, 1)).toBe(146097);
    expect(daysFromCivil(2024, 1, 1) - daysFromCivil(2023, 1, 1)).toBe(365);
    expect(daysFromCivil(2025, 1, 1) - daysFromCivil(2024, 1, 1)).toBe(366);
  });

  it('agrees with the Date oracle for every day of 1890–2110 and round-trips', () => {
    let expected = utcDay(1890, 1, 1);
    for (let y = 1890; y <= 2110; y++) {
      for (let m = 1; m <= 12; m++) {
        const len = new Date(Date.UTC(y, m, 0)).getUTCDate();
        for (let d = 1; d <= len; d++) {
          const n = daysFromCivil(y, m, d);
          if (n !== expected) throw new Error(`daysFromCivil(${y}, ${m}, ${d}) = ${n}, expected ${expected}`);
          const back = civilFromDays(n);
          if (back.y !== y || back.m !== m || back.d !== d) {
            throw new Error(`civilFromDays(${n}) = ${JSON.stringify(back)}, expected ${y}-${m}-${d}`);
          }
          expected++;
        }
      }
    }
  });

  it('round-trips over a wide range (property, years ≈ -5000…+5000 and beyond)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3_000_000, max: 3_000_000 }), (n) => {
        const { y, m, d } = civilFromDays(n);
        expect(isValidCivil(y, m, d)).toBe(true);
        expect(daysFromCivil(y, m, d)).toBe(n);
        // consecutive day numbers are consecutive calendar days
        const next = civilFromDays(n + 1);
        if (d < daysInMonth(y, m)) expect(next).toEqual({ y, m, d: d + 1 });
        else if (m < 12) expect(next).toEqual({ y, m: m + 1, d: 1 });
        else expect(next).toEqual({ y: y + 1, m: 1, d: 1 });
      }),
      { numRuns: 2000 },
    );
  });

  it('matches the Date oracle for random days in years 100–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const len = new Date(Date.UTC(y, m, 0)).getUTCDate(); // oracle month length
        fc.pre(d <= len);
        expect(isValidCivil(y, m, d)).toBe(true);
        expect(daysFromCivil(y, m, d)).toBe(utcDay(y, m, d));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isoWeekday / mondayOf', () => {
  it('names known weekdays', () => {
    expect(isoWeekday(0)).toBe(4); // 1970-01-01 Thursday
    expect(isoWeekday(-1)).toBe(3); // 1969-12-31 Wednesday
    expect(isoWeekday(daysFromCivil(2024, 1, 1))).toBe(1); // Monday
    expect(isoWeekday(daysFromCivil(2000, 1, 1))).toBe(6); // Saturday
    expect(isoWeekday(daysFromCivil(1900, 1, 1))).toBe(1); // Monday
    expect(isoWeekday(daysFromCivil(2024, 12, 29))).toBe(7); // Sunday
    expect(isoWeekday(daysFromCivil(2024, 2, 29))).toBe(4); // Thursday
  });

  it('agrees with Date#getUTCDay for a range of days including negative ones', () => {
    for (let n = -40_000; n <= 60_000; n += 7) {
      for (let k = 0; k < 7; k++) {
        const day = n + k;
        const js = new Date(day * MS_PER_DAY).getUTCDay(); // 0 = Sunday
        const want = js === 0 ? 7 : js;
        if (isoWeekday(day) !== want) throw new Error(`isoWeekday(${day}) = ${isoWeekday(day)}, expected ${want}`);
      }
    }
  });

  it('mondayOf returns the Monday on or before the day', () => {
    expect(mondayOf(daysFromCivil(2024, 1, 1))).toBe(daysFromCivil(2024, 1, 1));
    expect(mondayOf(daysFromCivil(2024, 1, 7))).toBe(daysFromCivil(2024, 1, 1));
    expect(mondayOf(daysFromCivil(2024, 1, 8))).toBe(daysFromCivil(2024, 1, 8));
    expect(mondayOf(daysFromCivil(2024, 12, 29))).toBe(daysFromCivil(2024, 12, 23));
    expect(mondayOf(daysFromCivil(2025, 1, 1))).toBe(daysFromCivil(2024, 12, 30));
    expect(mondayOf(0)).toBe(-3); // 1969-12-29
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (day) => {
        const mon = mondayOf(day);
        expect(isoWeekday(mon)).toBe(1);
        expect(day - mon).toBeGreaterThanOrEqual(0);
        expect(day - mon).toBeLessThan(7);
      }),
    );
  });
});

describe('formatDay / parseDay', () => {
  it('formats YYYY-MM-DD with zero padding', () => {
    expect(formatDay(0)).toBe('1970-01-01');
    expect(formatDay(-1)).toBe('1969-12-31');
    expect(formatDay(19723 + 59)).toBe('2024-02-29');
    expect(formatDay(daysFromCivil(987, 6, 5))).toBe('0987-06-05');
  });

  it('parses valid days', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(parseDay('2024-02-29')).toBe(19723 + 59);
    expect(parseDay('2000-02-29')).toBe(10957 + 59);
    expect(parseDay('2024-12-31')).toBe(19723 + 365);
  });

  it.each([
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-04-31',
    '2024-1-01',
    '24-01-01',
    ' 2024-01-01',
    '2024-01-01 ',
    '2024-01-01T00:00',
    '2024/01/01',
    '',
    'garbage',
  ])('rejects %j', (s) => {
    expect(parseDay(s)).toBeNull();
  });

  it('round-trips formatDay → parseDay', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1000, 1, 1), max: daysFromCivil(9999, 12, 31) }), (n) => {
        expect(parseDay(formatDay(n))).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });
});
