import type { Report } from '../report/report-types.js';
import { integer, interval, percent, plural, ratio } from './format-number.js';

/** Stakeholders engaged in a window block who hear nothing in the gap until the next event. */
export function betweenEventsDarkShare(report: Report): { engaged: number; silent: number; share: number | null } {
  let engaged = 0;
  let silent = 0;
  for (const g of report.gaps) {
    if (g.before === null || g.after === null) continue;
    engaged += g.engagedBefore;
    silent += g.silentThrough;
  }
  return { engaged, silent, share: engaged > 0 ? silent / engaged : null };
}

/** The data-quality line about repeated rows, or null when there are none. */
export function duplicatesSentence(report: Report): string | null {
  const n = report.input.duplicateRows;
  if (n === 0) return null;
  const what = `${plural(n, 'row')} ${n === 1 ? 'is an exact duplicate' : 'are exact duplicates'} of earlier rows`;
  return report.settings.dedupe ? `${what}: dropped (--dedupe), counted as rejected.` : `${what}: kept and counted (--dedupe drops them).`;
}

/** How the events were obtained, in words; null for a declared calendar. */
export function eventsNotice(report: Report): string | null {
  if (report.eventsSource !== 'detected') return null;
  const s = report.settings;
  const method = `Kleinberg, s = ${s.burstScale}, γ = ${s.burstCost}`;
  if (report.events.length === 0) {
    return `No events were declared, and no campaign bursts were detected from weekly interaction counts (${method}): engagement shows no campaign pattern. Only calendar-free metrics (burstiness, silence) apply. Declare your calendar with --events for an audit against it.`;
  }
  return `No events were declared; ${plural(report.events.length, 'campaign burst')} ${report.events.length === 1 ? 'was' : 'were'} detected from weekly interaction counts (${method}). Declare your calendar with --events for an audit against it.`;
}

/** The headline in plain sentences, built only from the report's numbers. */
export function headlineSentences(report: Report): string[] {
  const o = report.overall;
  const out: string[] = [];
  if (o.windowShare !== null && o.expectedShare !== null) {
    const rr = o.rateRatio === null ? 'with no baseline engagement at all' : `${ratio(o.rateRatio)}× the baseline rate (${percent(report.settings.confidence)} CI ${interval(o.ciLow, o.ciHigh)})`;
    out.push(`${percent(o.windowShare)} of engagement falls in the ${percent(o.expectedShare)} of days around events: ${rr}.`);
  }
  if (report.events.length > 0) {
    out.push(
      report.profileDaysToBaseline === null
        ? `After events, engagement is not back to baseline within ${report.settings.profileDays} days.`
        : `After events, engagement is back to baseline in ${plural(report.profileDaysToBaseline, 'day')}.`,
    );
  }
  const dark = betweenEventsDarkShare(report);
  if (dark.share !== null) {
    out.push(`Between events, ${percent(dark.share)} of the stakeholders engaged at an event hear nothing until the next one.`);
  }
  if (o.spikiness !== null) {
    out.push(
      `Spikiness ${ratio(o.spikiness)} overall; ${integer(o.flaggedStakeholders)} of ${integer(o.scoredStakeholders)} scored stakeholders exceed ${report.settings.flagAbove} (median ${ratio(o.medianSpikiness)}, p90 ${ratio(o.p90Spikiness)}).`,
    );
  }
  return out;
}
