import type { Calendar, CalendarEvent } from './calendar.js';
import { addProfile, daysToBaseline, emptyProfile, eventProfile, peakOffset, type BaselineVolume, type Profile } from './profile.js';

/** An event as the calendar placed it, and what happened in its window and after. */
export type EventMetrics = CalendarEvent & {
  windowDays: number;
  interactions: number;
  volume: number;
  activeStakeholders: number;
  lift: number | null;
  peakOffset: number | null;
  daysToBaseline: number | null;
};

export interface ProfilePoint {
  offset: number;
  exposure: number;
  volume: number;
  rate: number | null;
  lift: number | null;
}

export interface DayTotals {
  counts: Float64Array;
  volumes: Float64Array;
}

export function liftOf(volume: number, days: number, baselineRate: number | null): number | null {
  if (baselineRate === null || baselineRate === 0 || days === 0) return null;
  return volume / days / baselineRate;
}

/** Per-event figures and the superposed profile, from day totals over P. */
export function eventMetrics(
  cal: Calendar,
  day: DayTotals,
  activeStakeholders: readonly number[],
  baseline: BaselineVolume | null,
  settings: { profileDays: number; settleDays: number; tolerance: number },
): { events: EventMetrics[]; profile: Profile } {
  const baselineRate = baseline === null ? null : baseline.volume / baseline.days;
  const superposed = emptyProfile(settings.profileDays);
  const events = cal.events.map((e, idx): EventMetrics => {
    let interactions = 0;
    let volume = 0;
    for (let d = e.windowStart; d <= e.windowEnd; d++) {
      interactions += day.counts[d - cal.from];
      volume += day.volumes[d - cal.from];
    }
    const own = eventProfile(e, cal, day.volumes, settings.profileDays);
    addProfile(superposed, own);
    const windowDays = e.windowEnd - e.windowStart + 1;
    return {
      name: e.name,
      kind: e.kind,
      start: e.start,
      end: e.end,
      before: e.before,
      after: e.after,
      windowStart: e.windowStart,
      windowEnd: e.windowEnd,
      windowDays,
      interactions,
      volume,
      activeStakeholders: activeStakeholders[idx],
      lift: liftOf(volume, windowDays, baselineRate),
      peakOffset: peakOffset(own),
      daysToBaseline:
        baseline === null ? null : daysToBaseline(own, baseline, settings.settleDays, settings.tolerance),
    };
  });
  return { events, profile: superposed };
}

export function profilePoints(p: Profile, baselineRate: number | null): ProfilePoint[] {
  const points: ProfilePoint[] = [];
  for (let i = 0; i < p.exposure.length; i++) {
    const exposure = p.exposure[i];
    const volume = p.volume[i];
    const rate = exposure > 0 ? volume / exposure : null;
    points.push({
      offset: i - p.profileDays,
      exposure,
      volume,
      rate,
      lift: rate === null || baselineRate === null || baselineRate === 0 ? null : rate / baselineRate,
    });
  }
  return points;
}
