import { addMonths, firstOfMonth, mondayOf } from '../time/civil-date.js';
import type { Calendar } from './calendar.js';
import type { DayTotals } from './event-metrics.js';
import type { TimelineBucket } from './types.js';

export interface TimelinePoint {
  /** First day of the bucket (a Monday for weeks, the 1st for months; may precede P). */
  start: number;
  interactions: number;
  volume: number;
  /** Window days of P inside the bucket. */
  windowDays: number;
}

export function bucketStart(day: number, bucket: TimelineBucket): number {
  if (bucket === 'week') return mondayOf(day);
  if (bucket === 'month') return firstOfMonth(day);
  return day;
}

export function nextBucketStart(start: number, bucket: TimelineBucket): number {
  if (bucket === 'week') return start + 7;
  if (bucket === 'month') return addMonths(start, 1);
  return start + 1;
}

export function timeline(cal: Calendar, day: DayTotals, bucket: TimelineBucket): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let start = bucketStart(cal.from, bucket);
  while (start <= cal.to) {
    const next = nextBucketStart(start, bucket);
    let interactions = 0;
    let volume = 0;
    let windowDays = 0;
    for (let d = Math.max(start, cal.from); d < next && d <= cal.to; d++) {
      const i = d - cal.from;
      interactions += day.counts[i];
      volume += day.volumes[i];
      windowDays += cal.inWindow[i];
    }
    points.push({ start, interactions, volume, windowDays });
    start = next;
  }
  return points;
}
