import { compareText } from '../compare-text.js';
import { stakeholderDimensionNames, type Report, type ReportStakeholder } from '../report/report-types.js';

/** The most bursty stakeholders first (null burstiness last), then by id: the table to show when there are no windows. */
export function mostBursty(rows: readonly ReportStakeholder[]): ReportStakeholder[] {
  return [...rows].sort((a, b) => (b.burstiness ?? -2) - (a.burstiness ?? -2) || compareText(a.id, b.id));
}

/**
 * The dimension columns worth showing beside stakeholder ids: the --by ones
 * present on the rows, else one that names a kind of stakeholder.
 */
export function displayDimensions(report: Report): string[] {
  const present = stakeholderDimensionNames(report.stakeholders);
  const by = report.settings.by.filter((d) => present.includes(d));
  return by.length > 0 ? by : present.filter((d) => /type|segment|kind|role/i.test(d)).slice(0, 1);
}

/** The profile day with the highest lift (the first such), or null when no day was measured: every format names the same peak. */
export function profilePeak(profile: Report['profile']): Report['profile'][number] | null {
  let peak: Report['profile'][number] | null = null;
  for (const p of profile) if (p.lift !== null && (peak === null || p.lift > peak.lift!)) peak = p;
  return peak;
}
