import { describe, expect, it } from 'vitest';
import { naiveReport, type OracleRow, type OracleSettings } from './naive-report.js';

function row(iso: string, stakeholder: string, weight = 1): OracleRow {
  return { stakeholder, day: iso.slice(0, 10), instantMs: Date.parse(iso), weight, dims: {} };
}

const defaults: OracleSettings = {
  minInteractions: 5,
  silenceDays: 30,
  profileDays: 30,
  settleDays: 7,
  tolerance: 0.2,
  confidence: 0.95,
  flagAbove: 3,
  by: [],
};

describe('naive oracle: SPEC §7 worked example', () => {
  const rows = [
    row('2024-01-01T10:00:00Z', 'A'),
    row('2024-01-09T10:00:00Z', 'A'),
    row('2024-01-10T10:00:00Z', 'A'),
    row('2024-01-10T11:00:00Z', 'A'),
    row('2024-01-20T10:00:00Z', 'A'),
    row('2024-01-05T10:00:00Z', 'B'),
    row('2024-01-11T10:00:00Z', 'B'),
  ];
  const report = naiveReport(rows, [{ name: 'E1', start: '2024-01-10', end: '2024-01-10', before: 2, after: 2 }], {
    ...defaults,
    profileDays: 5,
    settleDays: 2,
  });

  it('period and calendar', () => {
    expect(report.period).toEqual({
      from: '2024-01-01',
      to: '2024-01-20',
      days: 20,
      windowDays: 5,
      baselineDays: 15,
      baselineRate: 0.2,
    });
    expect(report.rowsOutOfRange).toBe(0);
    expect(report.eventsOutsidePeriod).toEqual([]);
    expect(report.overall.expectedShare).toBeCloseTo(0.25, 12);
  });

  it('stakeholder A', () => {
    const a = report.stakeholders.find((s) => s.id === 'A')!;
    expect(a.windowInteractions).toBe(3);
    expect(a.baselineInteractions).toBe(2);
    expect(a.spikiness).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
    expect(a.spikiness).toBeCloseTo(3.545454, 5);
    expect(a.rateRatio).toBeCloseTo(4.5, 12);
    expect(a.longestSilenceDays).toBe(9);
    expect(a.burstiness).toBeCloseTo(0.14989, 5);
    expect(a.status).toBe('scored');
    expect(a.firstDay).toBe('2024-01-01');
    expect(a.lastDay).toBe('2024-01-20');
  });

  it('stakeholder B', () => {
    const b = report.stakeholders.find((s) => s.id === 'B')!;
    expect(b.windowInteractions).toBe(1);
    expect(b.baselineInteractions).toBe(1);
    expect(b.spikiness).toBeCloseTo(1.25 / 5 / (1.75 / 15), 12);
    expect(b.spikiness).toBeCloseTo(2.142857, 5);
    expect(b.rateRatio).toBeCloseTo(3, 12);
    expect(b.longestSilenceDays).toBe(9);
    expect(b.burstiness).toBeNull();
    expect(b.status).toBe('insufficient');
  });

  it('stakeholders sorted by spikiness descending', () => {
    expect(report.stakeholders.map((s) => s.id)).toEqual(['A', 'B']);
  });

  it('overall', () => {
    const o = report.overall;
    expect(o.interactions).toBe(7);
    expect(o.windowInteractions).toBe(4);
    expect(o.baselineInteractions).toBe(3);
    expect(o.spikiness).toBeCloseTo(3.4, 12);
    expect(o.ciLow!).toBeCloseTo(0.6767, 4);
    expect(o.ciHigh!).toBeCloseTo(27.3066, 4);
    expect(o.stakeholders).toBe(2);
    expect(o.scoredStakeholders).toBe(1);
    expect(o.flaggedStakeholders).toBe(1);
    expect(o.medianSpikiness!).toBeCloseTo(3.545454, 5);
    expect(o.p90Spikiness!).toBeCloseTo(3.545454, 5);
  });

  it('event E1', () => {
    expect(report.events).toHaveLength(1);
    const e = report.events[0];
    expect(e.name).toBe('E1');
    expect(e.windowStart).toBe('2024-01-08');
    expect(e.windowEnd).toBe('2024-01-12');
    expect(e.windowDays).toBe(5);
    expect(e.interactions).toBe(4);
    expect(e.lift!).toBeCloseTo(4, 12);
    expect(e.peakOffset).toBe(0);
    expect(e.daysToBaseline).toBe(2);
  });

  it('gaps', () => {
    expect(report.gaps).toHaveLength(2);
    const [g1, g2] = report.gaps;
    expect(g1).toMatchObject({
      before: null,
      after: 'E1',
      start: '2024-01-01',
      end: '2024-01-07',
      days: 7,
      interactions: 2,
      engagedBefore: 0,
      darkShare: null,
    });
    expect(g1.lift!).toBeCloseTo(1.4286, 4);
    expect(g2).toMatchObject({
      before: 'E1',
      after: null,
      start: '2024-01-13',
      end: '2024-01-20',
      days: 8,
      interactions: 1,
      engagedBefore: 2,
      silentThrough: 1,
    });
    expect(g2.lift!).toBeCloseTo(0.625, 12);
    expect(g2.darkShare!).toBeCloseTo(0.5, 12);
  });

  it('profile', () => {
    expect(report.profile.map((p) => p.offset)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
    const expected = [5, 0, 0, 0, 5, 10, 5, 0, 0, 0, 0];
    report.profile.forEach((p, i) => {
      expect(p.exposure).toBe(1);
      expect(p.lift!).toBeCloseTo(expected[i], 12);
    });
    expect(report.profileDaysToBaseline).toBe(2);
  });
});

describe('naive oracle: SPEC §3 interval check', () => {
  // P = 2023-01-01 … 2023-12-31 (365 days); one event on 2023-06-15 with before 15, after 14
  // gives the window 2023-05-31 … 2023-06-29 = 30 days, hence 335 baseline days.
  const rows: OracleRow[] = [];
  for (let i = 0; i < 9; i++) rows.push(row(`2023-06-${String(10 + i).padStart(2, '0')}T12:00:00Z`, `s${i}`));
  rows.push(row('2023-02-01T12:00:00Z', 'b1'), row('2023-09-01T12:00:00Z', 'b2'), row('2023-11-01T12:00:00Z', 'b3'));
  const report = naiveReport(rows, [{ name: 'E', start: '2023-06-15', end: '2023-06-15', before: 15, after: 14 }], {
    ...defaults,
    from: '2023-01-01',
    to: '2023-12-31',
  });

  it('has the check calendar', () => {
    expect(report.period.days).toBe(365);
    expect(report.period.windowDays).toBe(30);
    expect(report.period.baselineDays).toBe(335);
    expect(report.overall.windowInteractions).toBe(9);
    expect(report.overall.baselineInteractions).toBe(3);
  });

  it('rateRatio 33.5 and 95% interval about 8.36 to 192.4', () => {
    expect(report.overall.rateRatio!).toBeCloseTo(33.5, 10);
    expect(report.overall.ciLow!).toBeCloseTo(8.36, 2);
    expect(report.overall.ciHigh!).toBeCloseTo(192.4, 1);
  });

  it('interval is invariant to a common weight (Kish counts equal the plain counts)', () => {
    const weighted = rows.map((r) => ({ ...r, weight: 2.5 }));
    const w = naiveReport(weighted, [{ name: 'E', start: '2023-06-15', end: '2023-06-15', before: 15, after: 14 }], {
      ...defaults,
      from: '2023-01-01',
      to: '2023-12-31',
    });
    expect(w.overall.ciLow!).toBeCloseTo(report.overall.ciLow!, 10);
    expect(w.overall.ciHigh!).toBeCloseTo(report.overall.ciHigh!, 10);
    expect(w.overall.spikiness).toBeCloseTo(report.overall.spikiness, 10);
  });
});

describe('naive oracle: calendar edge cases', () => {
  const rows = [row('2024-01-01T00:00:00Z', 'A'), row('2024-01-10T00:00:00Z', 'A'), row('2024-03-01T00:00:00Z', 'B')];

  it('throws when D_W or D_B is 0', () => {
    expect(() => naiveReport(rows, [], { ...defaults, to: '2024-01-31' })).toThrow(/D_W/);
    expect(() =>
      naiveReport(rows, [{ name: 'all', start: '2024-01-05', end: '2024-01-05', before: 10, after: 10 }], {
        ...defaults,
        to: '2024-01-10',
      }),
    ).toThrow(/D_B/);
  });

  it('counts rows outside P and lists events whose window misses P', () => {
    const r = naiveReport(
      rows,
      [
        { name: 'late', start: '2024-02-20', end: '2024-02-20', before: 0, after: 0 },
        { name: 'in', start: '2024-01-10', end: '2024-01-10', before: 1, after: 1 },
      ],
      { ...defaults, to: '2024-01-31' },
    );
    expect(r.rowsOutOfRange).toBe(1);
    expect(r.eventsOutsidePeriod).toEqual(['late']);
    expect(r.events.map((e) => e.name)).toEqual(['in']);
    expect(r.overall.interactions).toBe(2);
    expect(r.period.windowDays).toBe(3);
  });
});
