import type { EventSpec } from '../analysis/types.js';
import { compareText } from '../compare-text.js';
import { formatDay } from '../time/civil-date.js';

/** Two events whose windows share days (day numbers, inclusive). */
export interface EventOverlap {
  first: { name: string; windowStart: number; windowEnd: number };
  second: { name: string; windowStart: number; windowEnd: number };
  from: number;
  to: number;
}

/**
 * Pairs of events whose windows ([start − before, end + after], SPEC §2, with
 * per-event before/after over the defaults) share days. Overlaps usually mean
 * a date typo or windows too wide for the calendar, and they change what the
 * figures mean (a shared day is one window day, but counts for both events),
 * so they are reported rather than silently merged. With `within`, only the
 * shared days inside it count (the observation period is what is measured).
 * Ordered by the first window's start, then the second's.
 */
export function findOverlaps(
  events: readonly EventSpec[],
  defaults: { before: number; after: number },
  within?: { from: number; to: number },
): EventOverlap[] {
  const windows = events
    .map((e) => ({ name: e.name, windowStart: e.start - (e.before ?? defaults.before), windowEnd: e.end + (e.after ?? defaults.after) }))
    .sort((a, b) => a.windowStart - b.windowStart || a.windowEnd - b.windowEnd || compareText(a.name, b.name));
  const overlaps: EventOverlap[] = [];
  for (let i = 0; i < windows.length; i++) {
    const a = windows[i];
    // Sorted by start: once a window starts after a's end, none later can overlap a.
    for (let j = i + 1; j < windows.length && windows[j].windowStart <= a.windowEnd; j++) {
      const b = windows[j];
      let from = b.windowStart;
      let to = Math.min(a.windowEnd, b.windowEnd);
      if (within) {
        from = Math.max(from, within.from);
        to = Math.min(to, within.to);
        if (from > to) continue;
      }
      overlaps.push({ first: a, second: b, from, to });
    }
  }
  return overlaps;
}

function span(from: number, to: number): string {
  return from === to ? formatDay(from) : `${formatDay(from)}…${formatDay(to)}`;
}

/** One warning line per overlap, naming both events, their windows and the shared days. */
export function describeOverlap(o: EventOverlap): string {
  const days = o.to - o.from + 1;
  return (
    `the windows of events "${o.first.name}" (${span(o.first.windowStart, o.first.windowEnd)}) and "${o.second.name}" ` +
    `(${span(o.second.windowStart, o.second.windowEnd)}) overlap on ${days} day${days === 1 ? '' : 's'}, ${span(o.from, o.to)}: ` +
    'those days count for both events; check the dates, or narrow --before/--after'
  );
}
