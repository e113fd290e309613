import type { AnalysisInput, AnalysisSettings, EventSpec } from '../../src/analysis/types.js';
import { analyze } from '../../src/analysis/analyze.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { datedResult } from '../../src/report/build-report.js';
import { parseDay } from '../../src/time/civil-date.js';

export const DEFAULT_SETTINGS: AnalysisSettings = {
  before: 14,
  after: 14,
  minInteractions: 5,
  silenceDays: 30,
  profileDays: 30,
  settleDays: 7,
  tolerance: 0.2,
  confidence: 0.95,
  flagAbove: 3,
  timeline: 'week',
};

export interface TestRow {
  stakeholder: string;
  /** ISO instant with Z; its UTC date is the day. */
  at: string;
  weight?: number;
  dims?: Record<string, string>;
}

export function day(s: string): number {
  const d = parseDay(s);
  if (d === null) throw new Error(`bad day ${s}`);
  return d;
}

export function event(name: string, start: string, end = start, before: number | null = null, after: number | null = null): EventSpec {
  return { name, kind: null, start: day(start), end: day(end), before, after };
}

/** Builds analysis input through the real ledger, in UTC. */
export function inputFrom(
  rows: TestRow[],
  events: EventSpec[],
  settings: Partial<AnalysisSettings> = {},
  opts: { by?: string[]; from?: string; to?: string } = {},
): AnalysisInput {
  const ledger = new Ledger(opts.by ?? []);
  const dimNames = [...new Set(rows.flatMap((r) => Object.keys(r.dims ?? {})))];
  const idx = dimNames.map((n) => ledger.dimensionIndex(n));
  for (const r of rows) {
    const instant = Date.parse(r.at);
    const dims: string[] = [];
    dimNames.forEach((n, i) => (dims[idx[i]] = r.dims?.[n] ?? ''));
    ledger.add(r.stakeholder, Math.floor(instant / 86_400_000), instant, r.weight ?? 1, dims);
  }
  const snap = ledger.snapshot(opts.from ? day(opts.from) : undefined, opts.to ? day(opts.to) : undefined);
  return {
    period: snap.period,
    stakeholders: snap.stakeholders,
    segments: snap.segments,
    events,
    eventsDeclared: events.length > 0,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  };
}

/** SPEC §7's log. */
export const WORKED_ROWS: TestRow[] = [
  { stakeholder: 'A', at: '2024-01-01T10:00:00Z' },
  { stakeholder: 'A', at: '2024-01-09T10:00:00Z' },
  { stakeholder: 'A', at: '2024-01-10T10:00:00Z' },
  { stakeholder: 'A', at: '2024-01-10T11:00:00Z' },
  { stakeholder: 'A', at: '2024-01-20T10:00:00Z' },
  { stakeholder: 'B', at: '2024-01-05T10:00:00Z' },
  { stakeholder: 'B', at: '2024-01-11T10:00:00Z' },
];
export const WORKED_SETTINGS: Partial<AnalysisSettings> = { before: 2, after: 2, profileDays: 5, settleDays: 2 };

/** The analysis result with days written as in the report (YYYY-MM-DD), for comparisons. */
export function analyzeDated(input: AnalysisInput) {
  const result = analyze(input);
  return { ...result, ...datedResult(result) };
}
