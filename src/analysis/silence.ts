import type { Calendar } from './calendar.js';

export interface SilenceMetrics {
  longestSilenceDays: number;
  darkPeriods: number;
  darkBaselineShare: number | null;
}

/**
 * Runs of days without interaction from the stakeholder's first day to the end
 * of P (SPEC §3). `activeDays` are the stakeholder's interaction days, sorted,
 * all inside P, at least one.
 */
export function silenceMetrics(activeDays: Int32Array, cal: Calendar, silenceDays: number): SilenceMetrics {
  let longest = 0;
  let dark = 0;
  let darkBaseline = 0;
  const run = (firstSilent: number, lastSilent: number): void => {
    const len = lastSilent - firstSilent + 1;
    if (len <= 0) return;
    if (len > longest) longest = len;
    if (len >= silenceDays) {
      dark++;
      darkBaseline += cal.baselinePrefix[lastSilent - cal.from + 1] - cal.baselinePrefix[firstSilent - cal.from];
    }
  };
  for (let i = 1; i < activeDays.length; i++) run(activeDays[i - 1] + 1, activeDays[i] - 1);
  if (activeDays.length > 0) run(activeDays[activeDays.length - 1] + 1, cal.to);
  return {
    longestSilenceDays: longest,
    darkPeriods: dark,
    darkBaselineShare: cal.baselineDays > 0 ? darkBaseline / cal.baselineDays : null,
  };
}
