import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Zone, assertValidZone } from '../../src/time/zone.js';
import { UsageError } from '../../src/errors.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
/** Day number of a calendar date, computed with Date.UTC (independent of the code under test). */
const d = (y: number, m: number, day: number): number => Date.UTC(y, m - 1, day) / DAY;
/** Wall-clock time written as if it were UTC (what Zone.wallToInstant takes). */
const wall = (y: number, m: number, day: number, h = 0, mi = 0, s = 0): number => Date.UTC(y, m - 1, day, h, mi, s);

/** Independent oracle: the wall clock of an instant in a zone, via Intl.DateTimeFormat#formatToParts. */
const oracleFormats = new Map<string, Intl.DateTimeFormat>();
function oracleWall(zone: string, instant: number): { y: number; m: number; d: number; wallMs: number } {
  let f = oracleFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    oracleFormats.set(zone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const y = Number(parts.year);
  const m = Number(parts.month);
  const dd = Number(parts.day);
  const wallMs = Date.UTC(y, m - 1, dd, Number(parts.hour), Number(parts.minute), Number(parts.second));
  return { y, m, d: dd, wallMs };
}
const oracleDay = (zone: string, instant: number): number => {
  const w = oracleWall(zone, instant);
  return d(w.y, w.m, w.d);
};
const oracleOffset = (zone: string, instant: number): number => oracleWall(zone, instant).wallMs - Math.floor(instant / 1000) * 1000;

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'Asia/Kathmandu'] as const;

describe('Zone: UTC', () => {
  const utc = new Zone('UTC');
  it('has offset 0 and maps instants to their UTC date', () => {
    expect(utc.isUtc).toBe(true);
    expect(utc.offsetAt(Date.UTC(2024, 6, 1, 12))).toBe(0);
    expect(utc.dayOf(Date.UTC(2024, 2, 31, 23, 30))).toBe(d(2024, 3, 31));
    expect(utc.dayOf(Date.UTC(2024, 3, 1, 0, 0))).toBe(d(2024, 4, 1));
    expect(utc.dayOf(Date.UTC(2024, 2, 31, 23, 59, 59, 999))).toBe(d(2024, 3, 31));
    expect(utc.dayOf(-1)).toBe(-1);
    expect(utc.dayOf(0)).toBe(0);
    expect(utc.wallToInstant(wall(2024, 3, 31, 2, 30))).toBe(Date.UTC(2024, 2, 31, 2, 30));
  });
});

describe('Zone: day of an instant', () => {
  it('2024-03-31T23:30Z is 2024-04-01 in Tokyo (+09:00)', () => {
    const tokyo = new Zone('Asia/Tokyo');
    expect(tokyo.dayOf(Date.UTC(2024, 2, 31, 23, 30))).toBe(d(2024, 4, 1));
    expect(tokyo.dayOf(Date.UTC(2024, 2, 31, 14, 59, 59, 999))).toBe(d(2024, 3, 31));
    expect(tokyo.dayOf(Date.UTC(2024, 2, 31, 15, 0))).toBe(d(2024, 4, 1));
    expect(tokyo.offsetAt(Date.UTC(2024, 0, 1))).toBe(9 * HOUR);
  });

  it('America/New_York day boundaries (EST −05:00, EDT −04:00)', () => {
    const ny = new Zone('America/New_York');
    // winter: local midnight is 05:00Z
    expect(ny.dayOf(Date.UTC(2024, 0, 15, 4, 59, 59, 999))).toBe(d(2024, 1, 14));
    expect(ny.dayOf(Date.UTC(2024, 0, 15, 5, 0))).toBe(d(2024, 1, 15));
    // summer: local midnight is 04:00Z
    expect(ny.dayOf(Date.UTC(2024, 6, 4, 3, 59, 59, 999))).toBe(d(2024, 7, 3));
    expect(ny.dayOf(Date.UTC(2024, 6, 4, 4, 0))).toBe(d(2024, 7, 4));
    // spring-forward day 2024-03-10 starts at 05:00Z (EST) and the next day at 04:00Z (EDT)
    expect(ny.dayOf(Date.UTC(2024, 2, 10, 4, 59))).toBe(d(2024, 3, 9));
    expect(ny.dayOf(Date.UTC(2024, 2, 10, 5, 0))).toBe(d(2024, 3, 10));
    expect(ny.dayOf(Date.UTC(2024, 2, 11, 3, 59))).toBe(d(2024, 3, 10));
    expect(ny.dayOf(Date.UTC(2024, 2, 11, 4, 0))).toBe(d(2024, 3, 11));
    // fall-back day 2024-11-03 starts at 04:00Z (EDT), the next one at 05:00Z (EST): a 25-hour day
    expect(ny.dayOf(Date.UTC(2024, 10, 3, 3, 59))).toBe(d(2024, 11, 2));
    expect(ny.dayOf(Date.UTC(2024, 10, 3, 4, 0))).toBe(d(2024, 11, 3));
    expect(ny.dayOf(Date.UTC(2024, 10, 4, 4, 59))).toBe(d(2024, 11, 3));
    expect(ny.dayOf(Date.UTC(2024, 10, 4, 5, 0))).toBe(d(2024, 11, 4));
    expect(ny.offsetAt(Date.UTC(2024, 0, 15))).toBe(-5 * HOUR);
    expect(ny.offsetAt(Date.UTC(2024, 6, 15))).toBe(-4 * HOUR);
  });

  it('odd offsets: Kathmandu +05:45, Lord Howe +10:30 / +11:00', () => {
    const ktm = new Zone('Asia/Kathmandu');
    expect(ktm.offsetAt(Date.UTC(2024, 0, 1))).toBe(5 * HOUR + 45 * MIN);
    expect(ktm.dayOf(Date.UTC(2024, 0, 1, 18, 14, 59))).toBe(d(2024, 1, 1));
    expect(ktm.dayOf(Date.UTC(2024, 0, 1, 18, 15))).toBe(d(2024, 1, 2));
    const lhi = new Zone('Australia/Lord_Howe');
    expect(lhi.offsetAt(Date.UTC(2024, 6, 1))).toBe(10 * HOUR + 30 * MIN); // southern winter
    expect(lhi.offsetAt(Date.UTC(2024, 0, 15))).toBe(11 * HOUR); // southern summer, DST +30 min
    // 2024-07-01 13:29:59Z is 23:59:59 local; 13:30Z is midnight of 07-02
    expect(lhi.dayOf(Date.UTC(2024, 6, 1, 13, 29, 59))).toBe(d(2024, 7, 1));
    expect(lhi.dayOf(Date.UTC(2024, 6, 1, 13, 30))).toBe(d(2024, 7, 2));
  });
});

describe('Zone: wall clock to instant across DST', () => {
  const berlin = new Zone('Europe/Berlin');

  it('ordinary wall times', () => {
    expect(berlin.wallToInstant(wall(2024, 1, 15, 12, 0))).toBe(Date.UTC(2024, 0, 15, 11, 0));
    expect(berlin.wallToInstant(wall(2024, 7, 15, 12, 0))).toBe(Date.UTC(2024, 6, 15, 10, 0));
    expect(berlin.wallToInstant(wall(2024, 3, 31, 0, 0))).toBe(Date.UTC(2024, 2, 30, 23, 0));
    expect(berlin.wallToInstant(wall(2024, 3, 31, 1, 59, 59))).toBe(Date.UTC(2024, 2, 31, 0, 59, 59));
    expect(berlin.wallToInstant(wall(2024, 3, 31, 3, 0))).toBe(Date.UTC(2024, 2, 31, 1, 0));
  });

  it('2024-03-31 02:30 does not exist in Berlin → 03:30 CEST = 01:30Z', () => {
    expect(berlin.wallToInstant(wall(2024, 3, 31, 2, 30))).toBe(Date.UTC(2024, 2, 31, 1, 30));
    expect(berlin.wallToInstant(wall(2024, 3, 31, 2, 0))).toBe(Date.UTC(2024, 2, 31, 1, 0));
    expect(berlin.wallToInstant(wall(2024, 3, 31, 2, 59, 59))).toBe(Date.UTC(2024, 2, 31, 1, 59, 59));
  });

  it('2024-10-27 02:30 happens twice in Berlin → the earlier, 00:30Z (CEST)', () => {
    expect(berlin.wallToInstant(wall(2024, 10, 27, 2, 30))).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(berlin.wallToInstant(wall(2024, 10, 27, 2, 0))).toBe(Date.UTC(2024, 9, 27, 0, 0));
    expect(berlin.wallToInstant(wall(2024, 10, 27, 1, 59))).toBe(Date.UTC(2024, 9, 26, 23, 59));
    expect(berlin.wallToInstant(wall(2024, 10, 27, 3, 0))).toBe(Date.UTC(2024, 9, 27, 2, 0));
  });

  it('New York: 2024-03-10 02:30 skipped → 03:30 EDT; 2024-11-03 01:30 repeated → EDT', () => {
    const ny = new Zone('America/New_York');
    expect(ny.wallToInstant(wall(2024, 3, 10, 2, 30))).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(ny.wallToInstant(wall(2024, 11, 3, 1, 30))).toBe(Date.UTC(2024, 10, 3, 5, 30));
    expect(ny.wallToInstant(wall(2024, 3, 10, 0, 0))).toBe(Date.UTC(2024, 2, 10, 5, 0));
  });

  it('Lord Howe: a 30-minute gap and a 30-minute overlap', () => {
    const lhi = new Zone('Australia/Lord_Howe');
    // 2024-10-06 02:00 LHST (+10:30) jumps to 02:30 LHDT (+11:00); 02:15 is moved forward by 30 min → 02:45 LHDT = 15:45Z on 10-05
    expect(lhi.wallToInstant(wall(2024, 10, 6, 2, 15))).toBe(Date.UTC(2024, 9, 5, 15, 45));
    // 2024-04-07 02:00 LHDT (+11:00) goes back to 01:30 LHST; 01:45 happens twice, the first at +11:00 = 14:45Z on 04-06
    expect(lhi.wallToInstant(wall(2024, 4, 7, 1, 45))).toBe(Date.UTC(2024, 3, 6, 14, 45));
  });

  it('wall → instant → wall round-trips away from transitions (property)', () => {
    const zones = ZONES.map((n) => new Zone(n));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: zones.length - 1 }), fc.integer({ min: 0, max: 4_102_444_800 }), (zi, sec) => {
        const z = zones[zi];
        const w = sec * 1000;
        const t = z.wallToInstant(w);
        const back = oracleWall(z.name, t).wallMs;
        // Either the wall time exists (exact round trip) or it was in a gap and moved forward by < 2 h.
        expect(back - w).toBeGreaterThanOrEqual(0);
        expect(back - w).toBeLessThanOrEqual(2 * HOUR);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Zone: per-hour offset cache agrees with uncached lookups and Intl', () => {
  const cached = new Map(ZONES.map((n) => [n, new Zone(n)] as const));
  const MIN_T = Date.UTC(1970, 0, 1);
  const MAX_T = Date.UTC(2100, 0, 1);

  it('random instants 1970–2100 (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: MIN_T, max: MAX_T }), (name, t) => {
        const warm = cached.get(name)!;
        const fresh = new Zone(name);
        const expectedDay = oracleDay(name, t);
        expect(warm.dayOf(t)).toBe(expectedDay);
        expect(fresh.dayOf(t)).toBe(expectedDay);
        expect(warm.offsetAt(t)).toBe(oracleOffset(name, t));
      }),
      { numRuns: 3000 },
    );
  });

  it('several instants in the same UTC hour, queried in random order, share one cache entry correctly (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: MIN_T / HOUR, max: MAX_T / HOUR }),
        fc.array(fc.integer({ min: 0, max: HOUR - 1 }), { minLength: 2, maxLength: 8 }),
        (name, hour, offsets) => {
          const z = new Zone(name);
          for (const o of offsets) {
            const t = hour * HOUR + o;
            expect(z.dayOf(t)).toBe(oracleDay(name, t));
            expect(z.offsetAt(t)).toBe(oracleOffset(name, t));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  // Known transitions (UTC instants); the sweep compares minute by minute on one warm Zone.
  const transitions: [string, number][] = [
    ['Europe/Berlin', Date.UTC(2024, 2, 31, 1, 0)],
    ['Europe/Berlin', Date.UTC(2024, 9, 27, 1, 0)],
    ['America/New_York', Date.UTC(2024, 2, 10, 7, 0)],
    ['America/New_York', Date.UTC(2024, 10, 3, 6, 0)],
    ['Australia/Lord_Howe', Date.UTC(2024, 9, 5, 15, 30)],
    ['Australia/Lord_Howe', Date.UTC(2024, 3, 6, 15, 0)],
    ['Asia/Kathmandu', Date.UTC(1985, 11, 31, 18, 30)],
  ];
  it.each(transitions)('sweep around a transition of %s at %d', (name, at) => {
    const z = new Zone(name);
    // warm the cache in a scrambled order so that cached buckets are reused
    const ts: number[] = [];
    for (let k = -240; k <= 240; k++) ts.push(at + k * MIN, at + k * MIN + 1, at + k * MIN - 1);
    ts.sort((a, b) => ((a * 7919) % 1013) - ((b * 7919) % 1013));
    for (const t of ts) {
      expect(z.offsetAt(t)).toBe(oracleOffset(name, t));
      expect(z.dayOf(t)).toBe(oracleDay(name, t));
    }
    // and the offset really changes at the transition
    expect(z.offsetAt(at - 1000)).not.toBe(z.offsetAt(at));
  });
});

describe('Zone: the names of UTC', () => {
  // They skip the Intl check (its first use costs a process about 17 ms), so they must be exactly the names Intl takes as UTC.
  it.each(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT'])('%s is valid, is UTC, and Intl agrees', (name) => {
    expect(() => assertValidZone(name)).not.toThrow();
    expect(new Zone(name).isUtc).toBe(true);
    const hour = new Intl.DateTimeFormat('en-US', { timeZone: name, hour: 'numeric', hourCycle: 'h23' });
    expect([hour.format(Date.UTC(2024, 0, 15, 13)), hour.format(Date.UTC(2024, 6, 15, 13))]).toEqual(['13', '13']);
  });

  it('leaves other spellings to Intl: still valid, not taken as UTC without a lookup', () => {
    for (const name of ['utc', 'Etc/Universal', 'Zulu']) {
      expect(() => assertValidZone(name)).not.toThrow();
      const zone = new Zone(name);
      expect(zone.isUtc).toBe(false);
      expect(zone.offsetAt(Date.UTC(2024, 6, 1))).toBe(0);
    }
  });
});

describe('Zone: invalid names', () => {
  it.each(['Mars/Olympus', 'Europe/Berln', 'not a zone', ''])('%j throws UsageError', (name) => {
    expect(() => new Zone(name)).toThrow(UsageError);
    expect(() => assertValidZone(name)).toThrow(UsageError);
  });

  it('the error names the zone and the flag', () => {
    try {
      new Zone('Mars/Olympus');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toContain('Mars/Olympus');
      expect((err as Error).message).toContain('--tz');
    }
  });
});
