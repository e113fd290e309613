import { describe, expect, it } from 'vitest';
import { analyzeDated, day, event, inputFrom, WORKED_ROWS, WORKED_SETTINGS } from '../helpers/analysis-input.js';

describe('SPEC §7 worked example', () => {
  const r = analyzeDated(inputFrom(WORKED_ROWS, [event('E1', '2024-01-10')], WORKED_SETTINGS));
  const A = r.stakeholders.find((s) => s.id === 'A')!;
  const B = r.stakeholders.find((s) => s.id === 'B')!;

  it('splits the period into 5 window and 15 baseline days', () => {
    expect(r.period).toEqual({ from: '2024-01-01', to: '2024-01-20', days: 20, windowDays: 5, baselineDays: 15, baselineRate: 0.2 });
  });

  it('scores A: (3.25/5)/(2.75/15), rate ratio 4.5, silence 9, burstiness 0.14989', () => {
    expect(A.spikiness).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
    expect(A.rateRatio).toBeCloseTo(4.5, 12);
    expect(A.longestSilenceDays).toBe(9);
    expect(A.burstiness).toBeCloseTo(0.14989, 5);
    expect(A.status).toBe('scored');
    expect(A.windowInteractions).toBe(3);
    expect(A.baselineInteractions).toBe(2);
  });

  it('leaves B insufficient: (1.25/5)/(1.75/15), rate ratio 3, no burstiness', () => {
    expect(B.spikiness).toBeCloseTo(1.25 / 5 / (1.75 / 15), 12);
    expect(B.rateRatio).toBeCloseTo(3, 12);
    expect(B.longestSilenceDays).toBe(9);
    expect(B.burstiness).toBeNull();
    expect(B.status).toBe('insufficient');
  });

  it('gives the overall spikiness 3.4 and interval 0.6767…–27.3066…', () => {
    expect(r.overall.spikiness).toBeCloseTo(3.4, 12);
    expect(r.overall.ciLow).toBeCloseTo(0.6767, 4);
    expect(r.overall.ciHigh).toBeCloseTo(27.3066, 4);
    expect(r.overall.expectedShare).toBe(0.25);
    expect(r.overall.windowShare).toBeCloseTo(4 / 7, 12);
    expect(r.overall.stakeholders).toBe(2);
    expect(r.overall.scoredStakeholders).toBe(1);
    expect(r.overall.flaggedStakeholders).toBe(1);
    expect(r.overall.medianSpikiness).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
  });

  it('measures E1: 5 window days, 4 interactions, lift 4, peak at 0, back in 2 days', () => {
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      name: 'E1',
      windowStart: '2024-01-08',
      windowEnd: '2024-01-12',
      windowDays: 5,
      interactions: 4,
      activeStakeholders: 2,
      peakOffset: 0,
      daysToBaseline: 2,
    });
    expect(r.events[0].lift).toBeCloseTo(4, 12);
  });

  it('finds both gaps with their before/after events and dark share', () => {
    expect(r.gaps).toHaveLength(2);
    expect(r.gaps[0]).toMatchObject({ before: null, after: 'E1', start: '2024-01-01', end: '2024-01-07', days: 7, interactions: 2, engagedBefore: 0, darkShare: null });
    expect(r.gaps[0].lift).toBeCloseTo(2 / 7 / 0.2, 12);
    expect(r.gaps[1]).toMatchObject({ before: 'E1', after: null, start: '2024-01-13', end: '2024-01-20', days: 8, interactions: 1, engagedBefore: 2, silentThrough: 1, darkShare: 0.5 });
    expect(r.gaps[1].lift).toBeCloseTo(0.625, 12);
  });

  it('builds the superposed profile 5,0,0,0,5,10,5,0,0,0,0 and returns in 2 days', () => {
    expect(r.profile.map((p) => p.offset)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
    const lifts = r.profile.map((p) => p.lift);
    [5, 0, 0, 0, 5, 10, 5, 0, 0, 0, 0].forEach((v, i) => expect(lifts[i]).toBeCloseTo(v, 12));
    expect(r.profileDaysToBaseline).toBe(2);
  });

  it('sorts stakeholders by spikiness, descending', () => {
    expect(r.stakeholders.map((s) => s.id)).toEqual(['A', 'B']);
  });
});

describe('calendar edge cases', () => {
  it('refuses declared windows that cover the whole period', () => {
    expect(() => analyzeDated(inputFrom(WORKED_ROWS, [event('E1', '2024-01-10', '2024-01-10', 30, 30)], WORKED_SETTINGS))).toThrow(
      expect.objectContaining({ code: 'no-baseline-days', period: { from: day('2024-01-01'), to: day('2024-01-20'), days: 20 } }),
    );
  });

  it('refuses declared events that all fall outside the period', () => {
    expect(() => analyzeDated(inputFrom(WORKED_ROWS, [event('Old', '2020-01-10')], WORKED_SETTINGS))).toThrow(expect.objectContaining({ code: 'no-window-days', declaredEvents: 1 }));
  });

  it('lists events outside the period and ignores them', () => {
    const r = analyzeDated(inputFrom(WORKED_ROWS, [event('E1', '2024-01-10'), event('Old', '2020-01-10')], WORKED_SETTINGS));
    expect(r.eventsOutsidePeriod).toEqual(['Old']);
    expect(r.events.map((e) => e.name)).toEqual(['E1']);
  });

  it('clips windows to the period', () => {
    const r = analyzeDated(inputFrom(WORKED_ROWS, [event('Early', '2024-01-01')], WORKED_SETTINGS));
    expect(r.events[0].windowStart).toBe('2024-01-01');
    expect(r.events[0].windowEnd).toBe('2024-01-03');
    expect(r.period.windowDays).toBe(3);
  });

  it('computes nothing window-based when no events are given (detected: none)', () => {
    const r = analyzeDated({ ...inputFrom(WORKED_ROWS, [], WORKED_SETTINGS), eventsDeclared: false });
    expect(r.period.windowDays).toBe(0);
    expect(r.overall.spikiness).toBeNull();
    expect(r.overall.ciLow).toBeNull();
    expect(r.overall.windowShare).toBeNull();
    expect(r.gaps).toEqual([]);
    expect(r.profileDaysToBaseline).toBeNull();
    // Calendar-free metrics still work.
    expect(r.stakeholders.find((s) => s.id === 'A')!.burstiness).toBeCloseTo(0.14989, 5);
  });

  it('uses the latest-starting event (then the last name) before a gap and the earliest after', () => {
    // Two events whose windows both end on 01-12 (before=after=0): X 01-10..01-12, Y 01-12.
    const rows = WORKED_ROWS;
    const r = analyzeDated(
      inputFrom(rows, [event('X', '2024-01-10', '2024-01-12', 0, 0), event('Y', '2024-01-12', '2024-01-12', 0, 0), event('Z', '2024-01-12', '2024-01-12', 0, 0)], WORKED_SETTINGS),
    );
    const after = r.gaps.find((g) => g.start === '2024-01-13')!;
    expect(after.before).toBe('Z');
    const first = r.gaps.find((g) => g.start === '2024-01-01')!;
    expect(first.after).toBe('X');
  });
});

describe('days follow the report time zone', () => {
  it('counts an instant just before midnight UTC on the next day in Asia/Tokyo', async () => {
    const { Zone } = await import('../../src/time/zone.js');
    const { formatDay } = await import('../../src/time/civil-date.js');
    const tokyo = new Zone('Asia/Tokyo');
    const t = Date.parse('2024-01-09T23:30:00Z');
    expect(formatDay(tokyo.dayOf(t))).toBe('2024-01-10');
    expect(formatDay(new Zone('UTC').dayOf(t))).toBe('2024-01-09');
  });
});

describe('segments and timeline, by hand', () => {
  // SPEC §7's log with a channel per row: A's rows 01-01 email, 01-09 call, 01-10 call, 01-10 email,
  // 01-20 email; B's rows 01-05 call, 01-11 call. Window 01-08…01-12 (D_W 5), baseline D_B 15.
  const channels = ['email', 'call', 'call', 'email', 'email', 'call', 'call'];
  const rows = WORKED_ROWS.map((r, i) => ({ ...r, dims: { channel: channels[i] } }));
  const r = analyzeDated(inputFrom(rows, [event('E1', '2024-01-10')], WORKED_SETTINGS, { by: ['channel'] }));

  it('computes each segment on its own interactions, on the same calendar', () => {
    const call = r.segments.find((s) => s.value === 'call')!;
    const email = r.segments.find((s) => s.value === 'email')!;
    // call: window 01-09, 01-10 (A), 01-11 (B) = 3; baseline 01-05 (B) = 1. w̄ = 1, π = 0.25.
    expect(call).toMatchObject({ dimension: 'channel', interactions: 4, windowInteractions: 3, baselineInteractions: 1, stakeholders: 2, scoredStakeholders: 0 });
    expect(call.spikiness).toBeCloseTo(3.25 / 5 / (1.75 / 15), 12);
    expect(call.rateRatio).toBeCloseTo(3 / 5 / (1 / 15), 12);
    // email: window 01-10 (A) = 1; baseline 01-01, 01-20 (A) = 2.
    expect(email).toMatchObject({ interactions: 3, windowInteractions: 1, baselineInteractions: 2, stakeholders: 1 });
    expect(email.spikiness).toBeCloseTo(1.25 / 5 / (2.75 / 15), 12);
    expect(email.medianSpikiness).toBeNull();
    // Sorted by spikiness within the dimension: call (5.57) before email (1.36).
    expect(r.segments.map((s) => s.value)).toEqual(['call', 'email']);
  });

  it('buckets the timeline in ISO weeks that start on Monday, counting window days', () => {
    // 2024-01-01 is a Monday. Weeks: 01-01…07 (01-01, 01-05: 2; no window days),
    // 01-08…14 (01-09, 01-10 ×2, 01-11: 4; window days 01-08…12 = 5), 01-15…21 (01-20: 1; none).
    expect(r.timeline).toEqual([
      { start: '2024-01-01', interactions: 2, volume: 2, windowDays: 0 },
      { start: '2024-01-08', interactions: 4, volume: 4, windowDays: 5 },
      { start: '2024-01-15', interactions: 1, volume: 1, windowDays: 0 },
    ]);
  });

  it('buckets by month from the first of the month', () => {
    const monthly = analyzeDated(inputFrom(rows, [event('E1', '2024-01-10')], { ...WORKED_SETTINGS, timeline: 'month' }));
    expect(monthly.timeline).toEqual([{ start: '2024-01-01', interactions: 7, volume: 7, windowDays: 5 }]);
  });
});
