import { buildCalendar, type Calendar } from './calendar.js';
import { eventMetrics, profilePoints, type DayTotals, type EventMetrics, type ProfilePoint } from './event-metrics.js';
import { GapEngagement, gapMetrics, layoutRuns, type GapMetrics } from './gap-metrics.js';
import { daysToBaseline } from './profile.js';
import { segmentScope, summarizeScope, type ScopeMetrics } from './scope-metrics.js';
import { compareBySpikiness, stakeholderMetrics, type StakeholderRow } from './stakeholder-metrics.js';
import { timeline, type TimelinePoint } from './timeline.js';
import type { AnalysisInput } from './types.js';

/** Days are day numbers throughout analysis; the report writes them as YYYY-MM-DD. */
export interface PeriodSummary {
  from: number;
  to: number;
  days: number;
  windowDays: number;
  baselineDays: number;
  baselineRate: number | null;
}

export type SegmentMetrics = { dimension: string; value: string } & ScopeMetrics;

export interface AnalysisResult {
  period: PeriodSummary;
  eventsOutsidePeriod: string[];
  overall: ScopeMetrics;
  segments: SegmentMetrics[];
  stakeholders: StakeholderRow[];
  events: EventMetrics[];
  gaps: GapMetrics[];
  profile: ProfilePoint[];
  profileDaysToBaseline: number | null;
  timeline: TimelinePoint[];
}

/**
 * With a declared calendar, a period that is all window or all baseline cannot
 * be measured, and saying so beats printing a report of nulls. The CLI words
 * the advice; analysis only says what is wrong.
 */
export class CalendarError extends Error {
  constructor(
    readonly code: 'no-window-days' | 'no-baseline-days',
    readonly period: { from: number; to: number; days: number },
    readonly declaredEvents: number,
  ) {
    super(code === 'no-window-days' ? 'no window days' : 'no baseline days');
    this.name = 'CalendarError';
  }
}

function assertMeasurable(cal: Calendar, declared: number): void {
  if (declared === 0) return;
  const period = { from: cal.from, to: cal.to, days: cal.days };
  if (cal.windowDays === 0) throw new CalendarError('no-window-days', period, declared);
  if (cal.baselineDays === 0) throw new CalendarError('no-baseline-days', period, declared);
}

/** Every metric of SPEC §2–3, from per-day aggregates. Pure: no I/O, no clock. */
export function analyze(input: AnalysisInput): AnalysisResult {
  const { settings } = input;
  const cal = buildCalendar(input.period, input.events, settings);
  assertMeasurable(cal, input.eventsDeclared ? input.events.length : 0);

  const day: DayTotals = { counts: new Float64Array(cal.days), volumes: new Float64Array(cal.days) };
  const activeStakeholders = new Array<number>(cal.events.length).fill(0);
  const eventStamp = new Int32Array(cal.events.length).fill(-1);
  const eventsByDay = indexEventsByDay(cal);
  const layout = layoutRuns(cal);
  const engagement = new GapEngagement(layout, cal);

  const members = input.stakeholders.map((s, sIdx) => {
    const { days, counts, volumes } = s.series;
    for (let i = 0; i < days.length; i++) {
      const k = days[i] - cal.from;
      day.counts[k] += counts[i];
      day.volumes[k] += volumes[i];
      const evs = eventsByDay[k];
      if (evs) {
        for (const e of evs) {
          if (eventStamp[e] !== sIdx) {
            eventStamp[e] = sIdx;
            activeStakeholders[e]++;
          }
        }
      }
    }
    engagement.addStakeholder(days);
    return stakeholderMetrics(s, cal, settings);
  });

  const overall = summarizeScope(
    members.map((m) => ({ totals: m.totals, status: m.row.status, spikiness: m.row.spikiness })),
    cal,
    settings,
  );
  const baselineRate = overall.baselineRate;
  let baselineVolume = 0;
  for (let i = 0; i < cal.days; i++) if (!cal.inWindow[i]) baselineVolume += day.volumes[i];
  const baseline = cal.baselineDays > 0 ? { volume: baselineVolume, days: cal.baselineDays } : null;
  const { events, profile } = eventMetrics(cal, day, activeStakeholders, baseline, settings);
  const segments: SegmentMetrics[] = input.segments.map((seg) => ({
    dimension: seg.dimension,
    value: seg.value,
    ...segmentScope(
      seg.stakeholders.map((s) => s.series),
      cal,
      settings,
    ),
  }));
  // SPEC §6: rows by spikiness, descending, then id; a segment's id is dimension=value, as the gate names it.
  segments.sort((a, b) => compareBySpikiness({ spikiness: a.spikiness, id: `${a.dimension}=${a.value}` }, { spikiness: b.spikiness, id: `${b.dimension}=${b.value}` }));

  return {
    period: {
      from: cal.from,
      to: cal.to,
      days: cal.days,
      windowDays: cal.windowDays,
      baselineDays: cal.baselineDays,
      baselineRate,
    },
    eventsOutsidePeriod: cal.eventsOutsidePeriod,
    overall,
    segments,
    stakeholders: members.map((m) => m.row).sort(compareBySpikiness),
    events,
    gaps: cal.windowDays > 0 ? gapMetrics(cal, layout, day, engagement, baselineRate) : [],
    profile: profilePoints(profile, baselineRate),
    profileDaysToBaseline:
      baseline === null || cal.events.length === 0 ? null : daysToBaseline(profile, baseline, settings.settleDays, settings.tolerance),
    timeline: timeline(cal, day, settings.timeline),
  };
}

function indexEventsByDay(cal: Calendar): (number[] | undefined)[] {
  const byDay: (number[] | undefined)[] = new Array(cal.days);
  cal.events.forEach((e, idx) => {
    for (let d = e.windowStart; d <= e.windowEnd; d++) (byDay[d - cal.from] ??= []).push(idx);
  });
  return byDay;
}
