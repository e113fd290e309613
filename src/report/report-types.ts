import type { PeriodSummary as AnalysisPeriod, SegmentMetrics } from '../analysis/analyze.js';
import type { EventMetrics as AnalysisEvent, ProfilePoint } from '../analysis/event-metrics.js';
import type { GapMetrics as AnalysisGap } from '../analysis/gap-metrics.js';
import type { ScopeMetrics } from '../analysis/scope-metrics.js';
import type { StakeholderMetrics as AnalysisStakeholder } from '../analysis/stakeholder-metrics.js';
import type { TimelinePoint as AnalysisTimelinePoint } from '../analysis/timeline.js';
import type { RejectReasonSummary } from '../ingest/rejects.js';
import type { Settings } from '../config/settings.js';

/** Analysis counts days as numbers; the report writes them as `YYYY-MM-DD` (SPEC §6). */
type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

export type PeriodSummary = Dated<AnalysisPeriod, 'from' | 'to'>;
export type EventMetrics = Dated<AnalysisEvent, 'start' | 'end' | 'windowStart' | 'windowEnd'>;
export type GapMetrics = Dated<AnalysisGap, 'start' | 'end'>;
export type StakeholderMetrics = Dated<AnalysisStakeholder, 'firstDay' | 'lastDay'>;
export type TimelinePoint = Dated<AnalysisTimelinePoint, 'start'>;

export type { SegmentMetrics, ProfilePoint, ScopeMetrics, RejectReasonSummary };

/**
 * Every effective setting, unset optional ones as null (SPEC §6 `settings`),
 * derived from the settings schema so the two cannot drift. `events` says which
 * declared events were used: the config's value, or the --events files and
 * --event flags that replaced it.
 */
export type ReportSettings = {
  [K in Exclude<keyof Settings, 'events'>]-?: undefined extends Settings[K] ? Exclude<Settings[K], undefined> | null : Settings[K];
} & { events: string | unknown[] | null };

export interface ReportInput {
  files: string[];
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  rowsOutOfRange: number;
  rejectReasons: RejectReasonSummary[];
  /**
   * Valid rows identical, field by field, to an earlier row (beyond SPEC §6:
   * exports that overlap repeat rows). Kept and used by default; with
   * `settings.dedupe` dropped and counted among the rejected (reason `duplicate`).
   */
  duplicateRows: number;
}

/**
 * A stakeholder row: its metrics plus, flat beside them, the value of every
 * dimension that is constant over its interactions (e.g. `stakeholder_type`).
 */
export type ReportStakeholder = StakeholderMetrics & { [dimension: string]: string | number | null };

/**
 * One evaluated threshold of `check` (SPEC §4), as data. `metric` names what
 * `actual` measures: `spikiness` or `ciLow` (with --significant) for overall
 * and segments, `shareAbove` (the share of scored stakeholders whose spikiness
 * or ciLow exceeds `stakeholderLimit`) for stakeholders, `darkShare` for the
 * gap with the largest one. `actual` null means nothing to measure (no
 * window days, no scored stakeholder, no gap), which passes.
 */
export interface GateResult {
  scope: 'overall' | 'stakeholders' | 'segment' | 'gap';
  id: string;
  metric: 'spikiness' | 'ciLow' | 'shareAbove' | 'darkShare';
  limit: number;
  actual: number | null;
  passed: boolean;
  /** For `shareAbove`: the per-stakeholder limit, and the worst stakeholders over it (at most 10). */
  stakeholderLimit?: number;
  offenders?: { id: string; actual: number }[];
}

/** The JSON report of SPEC §6: `engage-audit report --format json` prints exactly this. */
export interface Report {
  schemaVersion: 1;
  tool: { name: string; version: string };
  settings: ReportSettings;
  eventsSource: 'declared' | 'detected';
  input: ReportInput;
  eventsOutsidePeriod: string[];
  period: PeriodSummary;
  overall: ScopeMetrics;
  segments: SegmentMetrics[];
  stakeholders: ReportStakeholder[];
  events: EventMetrics[];
  gaps: GapMetrics[];
  profile: ProfilePoint[];
  profileDaysToBaseline: number | null;
  timeline: TimelinePoint[];
  gate?: GateResult[];
}

/** The metric fields of a stakeholder row, in report order; anything else on a row is a dimension. */
export const STAKEHOLDER_METRIC_KEYS = [
  'interactions',
  'volume',
  'windowInteractions',
  'baselineInteractions',
  'windowRate',
  'baselineRate',
  'spikiness',
  'rateRatio',
  'ciLow',
  'ciHigh',
  'windowShare',
  'burstiness',
  'longestSilenceDays',
  'darkPeriods',
  'darkBaselineShare',
  'firstDay',
  'lastDay',
  'status',
] as const satisfies readonly (keyof StakeholderMetrics)[];

const RESERVED = new Set<string>(['id', ...STAKEHOLDER_METRIC_KEYS]);

export function isReservedStakeholderKey(key: string): boolean {
  return RESERVED.has(key);
}

/** Dimension names present on any stakeholder row, in first-seen order. */
export function stakeholderDimensionNames(rows: readonly ReportStakeholder[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!RESERVED.has(key)) names.add(key);
  return [...names];
}
