import type { Calendar } from './calendar.js';
import { quantileType7 } from './quantile.js';
import { rateMetrics, spikiness, type RateMetrics } from './rate-ratio.js';
import { countsOf, isFlagged, statusOf, type StakeholderCounts, type StakeholderStatus } from './stakeholder-metrics.js';
import type { AnalysisSettings, DaySeries } from './types.js';
import { emptyTotals, mergeTotals, totalsOf, type WindowTotals } from './window-totals.js';

/** `overall` and each segment (SPEC §6). */
export type ScopeMetrics = StakeholderCounts &
  RateMetrics & {
    expectedShare: number | null;
    stakeholders: number;
    scoredStakeholders: number;
    flaggedStakeholders: number;
    medianSpikiness: number | null;
    p90Spikiness: number | null;
  };

export interface ScopeMember {
  totals: WindowTotals;
  status: StakeholderStatus;
  spikiness: number | null;
}

/** Scope figures from members whose own metrics are already known. */
export function summarizeScope(members: readonly ScopeMember[], cal: Calendar, settings: AnalysisSettings): ScopeMetrics {
  const totals = emptyTotals();
  const scored: number[] = [];
  let flagged = 0;
  for (const m of members) {
    mergeTotals(totals, m.totals);
    if (m.status === 'scored') {
      if (m.spikiness !== null) scored.push(m.spikiness);
      if (isFlagged(m, settings.flagAbove)) flagged++;
    }
  }
  scored.sort((a, b) => a - b);
  const scoredCount = members.reduce((k, m) => k + (m.status === 'scored' ? 1 : 0), 0);
  return {
    ...countsOf(totals),
    ...rateMetrics(totals, cal.windowDays, cal.baselineDays, settings.confidence),
    expectedShare: cal.windowDays > 0 ? cal.windowDays / cal.days : null,
    stakeholders: members.length,
    scoredStakeholders: scoredCount,
    flaggedStakeholders: flagged,
    medianSpikiness: quantileType7(scored, 0.5),
    p90Spikiness: quantileType7(scored, 0.9),
  };
}

/** A segment: each stakeholder is measured on the segment's interactions only. */
export function segmentScope(series: readonly DaySeries[], cal: Calendar, settings: AnalysisSettings): ScopeMetrics {
  const members: ScopeMember[] = series.map((s) => {
    const totals = totalsOf(s, cal);
    const status = statusOf(totals.cW + totals.cB, settings);
    return { totals, status, spikiness: spikiness(totals, cal.windowDays, cal.baselineDays) };
  });
  return summarizeScope(members, cal, settings);
}
