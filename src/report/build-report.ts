import type { AnalysisResult } from '../analysis/analyze.js';
import type { StakeholderRow } from '../analysis/stakeholder-metrics.js';
import type { Settings } from '../config/settings.js';
import { isReservedStakeholderKey, type Report, type ReportInput, type ReportSettings, type ReportStakeholder } from './report-types.js';

export function reportSettings(s: Settings): ReportSettings {
  return {
    tz: s.tz,
    before: s.before,
    after: s.after,
    from: s.from ?? null,
    to: s.to ?? null,
    minInteractions: s.minInteractions,
    silenceDays: s.silenceDays,
    profileDays: s.profileDays,
    settleDays: s.settleDays,
    tolerance: s.tolerance,
    confidence: s.confidence,
    flagAbove: s.flagAbove,
    by: s.by,
    timestampCol: s.timestampCol ?? null,
    stakeholderCol: s.stakeholderCol ?? null,
    weightCol: s.weightCol ?? null,
    dateFormat: s.dateFormat ?? null,
    events: s.events ?? null,
    burstScale: s.burstScale,
    burstCost: s.burstCost,
    timeline: s.timeline,
    maxSpikiness: s.maxSpikiness ?? null,
    maxStakeholderSpikiness: s.maxStakeholderSpikiness ?? null,
    maxFlaggedShare: s.maxFlaggedShare,
    maxSegmentSpikiness: s.maxSegmentSpikiness ?? null,
    maxDarkShare: s.maxDarkShare ?? null,
    significant: s.significant,
  };
}

/** Puts constant dimension values right after the id; a dimension named like a metric is left out rather than overwrite it. */
function flattenStakeholder(row: StakeholderRow): ReportStakeholder {
  const { dimensions, id, ...metrics } = row;
  const dims: Record<string, string> = {};
  for (const [k, v] of Object.entries(dimensions)) if (!isReservedStakeholderKey(k)) dims[k] = v;
  return { id, ...dims, ...metrics } as ReportStakeholder;
}

export interface ReportContext {
  tool: { name: string; version: string };
  settings: Settings;
  eventsSource: 'declared' | 'detected';
  input: ReportInput;
}

/** Assembles the one report model that every renderer reads. */
export function buildReport(ctx: ReportContext, result: AnalysisResult): Report {
  return {
    schemaVersion: 1,
    tool: ctx.tool,
    settings: reportSettings(ctx.settings),
    eventsSource: ctx.eventsSource,
    input: ctx.input,
    eventsOutsidePeriod: result.eventsOutsidePeriod,
    period: result.period,
    overall: result.overall,
    segments: result.segments,
    stakeholders: result.stakeholders.map(flattenStakeholder),
    events: result.events,
    gaps: result.gaps,
    profile: result.profile,
    profileDaysToBaseline: result.profileDaysToBaseline,
    timeline: result.timeline,
  };
}
