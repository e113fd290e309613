import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CalendarError } from '../../src/analysis/analyze.js';
import { formatDay } from '../../src/time/civil-date.js';
import { naiveReport, type OracleEvent, type OracleRow } from '../oracle/naive-report.js';
import { analyzeDated, DEFAULT_SETTINGS, event, inputFrom, type TestRow } from '../helpers/analysis-input.js';

/**
 * The real pipeline (ledger + analysis) against an independent, deliberately
 * naive implementation of SPEC §2–3 written from the SPEC alone, on random logs,
 * calendars and settings. Weights are multiples of 1/4 so sums are exact in
 * binary and the two summation orders agree; ratios are compared to 1e-9.
 */

const BASE = Date.parse('2024-01-01T00:00:00Z');
const DAY = 86_400_000;

const rowArb = fc.record({
  stakeholder: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  dayOffset: fc.integer({ min: 0, max: 89 }),
  seconds: fc.integer({ min: 0, max: 86_399 }),
  quarters: fc.integer({ min: 1, max: 16 }),
  channel: fc.constantFrom('call', 'email', 'visit'),
});

const eventArb = fc.record({
  startOffset: fc.integer({ min: -20, max: 100 }),
  length: fc.integer({ min: 0, max: 4 }),
  before: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
  after: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
});

const settingsArb = fc.record({
  before: fc.integer({ min: 0, max: 6 }),
  after: fc.integer({ min: 0, max: 6 }),
  minInteractions: fc.integer({ min: 1, max: 6 }),
  silenceDays: fc.integer({ min: 1, max: 20 }),
  profileDays: fc.integer({ min: 3, max: 12 }),
  settleDays: fc.integer({ min: 1, max: 3 }),
  tolerance: fc.constantFrom(0, 0.2, 0.5),
  confidence: fc.constantFrom(0.9, 0.95),
  flagAbove: fc.constantFrom(1.5, 3),
  weighted: fc.boolean(),
  narrow: fc.boolean(),
});

function close(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    const scale = Math.max(1, Math.abs(a), Math.abs(b));
    if (Math.abs(a - b) > 1e-9 * scale) throw new Error(`${path}: ${a} ≠ ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) throw new Error(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
    return;
  }
  for (const key of Object.keys(b as object)) close((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
}

describe('agreement with the naive oracle', () => {
  it('matches every SPEC §2–3 figure on random logs and calendars', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), fc.array(eventArb, { minLength: 1, maxLength: 4 }), settingsArb, (rawRows, rawEvents, s) => {
        const rows: TestRow[] = rawRows.map((r) => ({
          stakeholder: r.stakeholder,
          at: new Date(BASE + r.dayOffset * DAY + r.seconds * 1000).toISOString(),
          weight: s.weighted ? r.quarters / 4 : 1,
          dims: { channel: r.channel },
        }));
        const names = rawEvents.map((_, i) => `E${i}`);
        const events = rawEvents.map((e, i) =>
          event(names[i], formatDay(BASE / DAY + e.startOffset), formatDay(BASE / DAY + e.startOffset + e.length), e.before, e.after),
        );
        const settings = {
          before: s.before,
          after: s.after,
          minInteractions: s.minInteractions,
          silenceDays: s.silenceDays,
          profileDays: s.profileDays,
          settleDays: Math.min(s.settleDays, s.profileDays),
          tolerance: s.tolerance,
          confidence: s.confidence,
          flagAbove: s.flagAbove,
        };
        const period = s.narrow ? { from: '2024-01-11', to: '2024-03-10' } : {};
        const oracleRows: OracleRow[] = rows.map((r) => ({
          stakeholder: r.stakeholder,
          day: r.at.slice(0, 10),
          instantMs: Date.parse(r.at),
          weight: r.weight!,
          dims: r.dims!,
        }));
        const oracleEvents: OracleEvent[] = events.map((e, i) => ({
          name: e.name,
          start: formatDay(e.start),
          end: formatDay(e.end),
          before: rawEvents[i].before ?? s.before,
          after: rawEvents[i].after ?? s.after,
        }));

        let expected;
        try {
          expected = naiveReport(oracleRows, oracleEvents, { ...DEFAULT_SETTINGS, ...settings, by: ['channel'], ...period });
        } catch {
          // The oracle throws when D_W or D_B is 0 (or P is empty); the tool must refuse too.
          expect(() => analyzeDated(inputFrom(rows, events, settings, { by: ['channel'], ...period }))).toThrow(CalendarError);
          return;
        }
        const input = inputFrom(rows, events, settings, { by: ['channel'], ...period });
        if (input.stakeholders.length === 0) return; // the CLI refuses this before analysis
        const actual = analyzeDated(input);

        close(actual.period, expected.period, 'period');
        close(actual.overall, expected.overall, 'overall');
        expect([...actual.eventsOutsidePeriod].sort()).toEqual([...expected.eventsOutsidePeriod].sort());
        expect(actual.stakeholders.map((x) => x.id)).toEqual(expected.stakeholders.map((x) => x.id));
        expected.stakeholders.forEach((x, i) => close(actual.stakeholders[i], x, `stakeholders[${x.id}]`));
        const segKey = (x: { dimension: string; value: string }) => `${x.dimension}=${x.value}`;
        const actualSegs = new Map(actual.segments.map((x) => [segKey(x), x]));
        expect([...actualSegs.keys()].sort()).toEqual(expected.segments.map(segKey).sort());
        for (const seg of expected.segments) close(actualSegs.get(segKey(seg)), seg, `segments[${segKey(seg)}]`);
        expect(actual.events.map((e) => e.name)).toEqual(expected.events.map((e) => e.name));
        expected.events.forEach((e, i) => close(actual.events[i], e, `events[${e.name}]`));
        expect(actual.gaps.length).toBe(expected.gaps.length);
        expected.gaps.forEach((g, i) => close(actual.gaps[i], g, `gaps[${i}]`));
        expected.profile.forEach((p, i) => close(actual.profile[i], p, `profile[${p.offset}]`));
        expect(actual.profileDaysToBaseline).toBe(expected.profileDaysToBaseline);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });
});
