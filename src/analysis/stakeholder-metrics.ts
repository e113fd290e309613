import { burstiness, burstinessFromMoments, burstinessOfPieces } from './burstiness.js';
import type { Calendar } from './calendar.js';
import { rateMetrics, type RateMetrics } from './rate-ratio.js';
import { silenceMetrics } from './silence.js';
import type { AnalysisSettings, StakeholderInput } from './types.js';
import { totalsOf, type WindowTotals } from './window-totals.js';
import { compareText } from '../compare-text.js';

export type StakeholderStatus = 'scored' | 'insufficient';

export interface StakeholderCounts {
  interactions: number;
  volume: number;
  windowInteractions: number;
  baselineInteractions: number;
}

export type StakeholderMetrics = {
  id: string;
} & StakeholderCounts &
  RateMetrics & {
    burstiness: number | null;
    longestSilenceDays: number;
    darkPeriods: number;
    darkBaselineShare: number | null;
    firstDay: number;
    lastDay: number;
    status: StakeholderStatus;
  };

/** A stakeholder row as it appears in the report: metrics plus constant dimension values. */
export type StakeholderRow = StakeholderMetrics & { dimensions: Record<string, string> };

export function countsOf(t: WindowTotals): StakeholderCounts {
  return {
    interactions: t.cW + t.cB,
    volume: t.nW + t.nB,
    windowInteractions: t.cW,
    baselineInteractions: t.cB,
  };
}

export function statusOf(interactions: number, settings: AnalysisSettings): StakeholderStatus {
  return interactions < settings.minInteractions ? 'insufficient' : 'scored';
}

export function isFlagged(row: { status: StakeholderStatus; spikiness: number | null }, flagAbove: number): boolean {
  return row.status === 'scored' && row.spikiness !== null && row.spikiness > flagAbove;
}

export function stakeholderMetrics(
  s: StakeholderInput,
  cal: Calendar,
  settings: AnalysisSettings,
): { row: StakeholderRow; totals: WindowTotals } {
  const totals = totalsOf(s.series, cal);
  const counts = countsOf(totals);
  const days = s.series.days;
  const row: StakeholderRow = {
    id: s.id,
    ...counts,
    ...rateMetrics(totals, cal.windowDays, cal.baselineDays, settings.confidence),
    burstiness: s.gapMoments ? burstinessFromMoments(s.gapMoments) : s.instantPieces ? burstinessOfPieces(s.instantPieces) : burstiness(s.instants),
    ...silenceMetrics(days, cal, settings.silenceDays),
    firstDay: days[0],
    lastDay: days[days.length - 1],
    status: statusOf(counts.interactions, settings),
    dimensions: s.dimensions,
  };
  return { row, totals };
}

/** Spikiness descending (nulls last), then id, as SPEC §6 orders rows. */
export function compareBySpikiness(
  a: { spikiness: number | null; id: string },
  b: { spikiness: number | null; id: string },
): number {
  const sa = a.spikiness ?? -Infinity;
  const sb = b.spikiness ?? -Infinity;
  if (sa !== sb) return sb - sa;
  return compareText(a.id, b.id);
}
