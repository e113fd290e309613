import { formatDay } from '../time/civil-date.js';
import type { AnalysisResult } from '../analysis/analyze.js';
import type { StakeholderRow } from '../analysis/stakeholder-metrics.js';
import { SETTING_KEYS, type Settings } from '../config/settings.js';
import { isReservedStakeholderKey, type Report, type ReportInput, type ReportSettings, type ReportStakeholder } from './report-types.js';

export function reportSettings(s: Settings, events: ReportSettings['events']): ReportSettings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) out[key] = key === 'events' ? events : (s[key] ?? null);
  return out as ReportSettings;
}

/** Puts constant dimension values right after the id; a dimension named like a metric is left out rather than overwrite it. */
function flattenStakeholder(row: StakeholderRow): ReportStakeholder {
  const { dimensions, id, ...metrics } = row;
  const dims: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(dimensions)) if (!isReservedStakeholderKey(k)) dims[k] = v;
  return { id, ...dims, ...metrics, firstDay: formatDay(row.firstDay), lastDay: formatDay(row.lastDay) } as ReportStakeholder;
}

/** The analysis result with every day written as `YYYY-MM-DD` (spreads keep the SPEC's key order). */
export function datedResult(result: AnalysisResult): Pick<Report, 'period' | 'stakeholders' | 'events' | 'gaps' | 'timeline'> {
  return {
    period: { ...result.period, from: formatDay(result.period.from), to: formatDay(result.period.to) },
    stakeholders: result.stakeholders.map(flattenStakeholder),
    events: result.events.map((e) => ({
      ...e,
      start: formatDay(e.start),
      end: formatDay(e.end),
      windowStart: formatDay(e.windowStart),
      windowEnd: formatDay(e.windowEnd),
    })),
    gaps: result.gaps.map((g) => ({ ...g, start: formatDay(g.start), end: formatDay(g.end) })),
    timeline: result.timeline.map((t) => ({ ...t, start: formatDay(t.start) })),
  };
}

export interface ReportContext {
  tool: { name: string; version: string };
  settings: Settings;
  /** The declared events as the user gave them (config value, or files and flags); null when detected. */
  eventsUsed: ReportSettings['events'];
  eventsSource: 'declared' | 'detected';
  input: ReportInput;
}

/** Assembles the one report model that every renderer reads. */
export function buildReport(ctx: ReportContext, result: AnalysisResult): Report {
  const dated = datedResult(result);
  return {
    schemaVersion: 1,
    tool: ctx.tool,
    settings: reportSettings(ctx.settings, ctx.eventsUsed),
    eventsSource: ctx.eventsSource,
    input: ctx.input,
    eventsOutsidePeriod: result.eventsOutsidePeriod,
    period: dated.period,
    overall: result.overall,
    segments: result.segments,
    stakeholders: dated.stakeholders,
    events: dated.events,
    gaps: dated.gaps,
    profile: result.profile,
    profileDaysToBaseline: result.profileDaysToBaseline,
    timeline: dated.timeline,
  };
}
