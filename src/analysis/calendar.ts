import type { EventSpec } from './types.js';
import { compareText } from '../compare-text.js';

export interface CalendarEvent {
  name: string;
  kind: string | null;
  start: number;
  end: number;
  before: number;
  after: number;
  /** Window clipped to the observation period. */
  windowStart: number;
  windowEnd: number;
}

/** The observation period split into window and baseline days (SPEC §2). */
export interface Calendar {
  from: number;
  to: number;
  /** |P| */
  days: number;
  /** 1 where day `from + i` lies in at least one event window. */
  inWindow: Uint8Array;
  /** How many event windows cover day `from + i` (overlaps counted). */
  windowCover: Uint16Array;
  windowDays: number;
  baselineDays: number;
  /** Events whose window meets P, sorted by start, then name. */
  events: CalendarEvent[];
  eventsOutsidePeriod: string[];
  /** Number of baseline days among days `from … from + i − 1` (length days + 1). */
  baselinePrefix: Int32Array;
}


export function buildCalendar(
  period: { from: number; to: number },
  events: readonly EventSpec[],
  defaults: { before: number; after: number },
): Calendar {
  const { from, to } = period;
  const days = to - from + 1;
  const inWindow = new Uint8Array(days);
  const windowCover = new Uint16Array(days);
  const kept: CalendarEvent[] = [];
  const outside: { name: string; start: number }[] = [];

  for (const e of events) {
    const before = e.before ?? defaults.before;
    const after = e.after ?? defaults.after;
    const ws = e.start - before;
    const we = e.end + after;
    if (we < from || ws > to) {
      outside.push({ name: e.name, start: e.start });
      continue;
    }
    const windowStart = Math.max(ws, from);
    const windowEnd = Math.min(we, to);
    kept.push({ name: e.name, kind: e.kind, start: e.start, end: e.end, before, after, windowStart, windowEnd });
    for (let d = windowStart; d <= windowEnd; d++) {
      inWindow[d - from] = 1;
      windowCover[d - from]++;
    }
  }
  kept.sort((a, b) => a.start - b.start || compareText(a.name, b.name));
  outside.sort((a, b) => a.start - b.start || compareText(a.name, b.name));

  const baselinePrefix = new Int32Array(days + 1);
  let windowDays = 0;
  for (let i = 0; i < days; i++) {
    windowDays += inWindow[i];
    baselinePrefix[i + 1] = baselinePrefix[i] + (inWindow[i] ? 0 : 1);
  }
  return {
    from,
    to,
    days,
    inWindow,
    windowCover,
    windowDays,
    baselineDays: days - windowDays,
    events: kept,
    eventsOutsidePeriod: outside.map((o) => o.name),
    baselinePrefix,
  };
}

/** Offset of day d relative to an event (SPEC §2): negative before, 0 during, positive after. */
export function offsetOf(day: number, e: { start: number; end: number }): number {
  if (day < e.start) return day - e.start;
  if (day > e.end) return day - e.end;
  return 0;
}
