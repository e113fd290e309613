import { compareText } from '../compare-text.js';
import type { Calendar, CalendarEvent } from './calendar.js';
import { liftOf, type DayTotals } from './event-metrics.js';

export interface GapMetrics {
  before: string | null;
  after: string | null;
  start: number;
  end: number;
  days: number;
  interactions: number;
  volume: number;
  lift: number | null;
  engagedBefore: number;
  silentThrough: number;
  darkShare: number | null;
}

/**
 * P cut into maximal runs: window blocks and baseline gaps, alternating.
 * `runOf[i]` is the index of the run holding day `from + i`.
 */
export interface RunLayout {
  runs: { start: number; end: number; window: boolean }[];
  runOf: Int32Array;
}

export function layoutRuns(cal: Calendar): RunLayout {
  const runs: RunLayout['runs'] = [];
  const runOf = new Int32Array(cal.days);
  for (let i = 0; i < cal.days; i++) {
    const w = cal.inWindow[i] === 1;
    const last = runs[runs.length - 1];
    if (last && last.window === w) last.end = cal.from + i;
    else runs.push({ start: cal.from + i, end: cal.from + i, window: w });
    runOf[i] = runs.length - 1;
  }
  return { runs, runOf };
}

/**
 * Tracks, stakeholder by stakeholder, which runs each one touched, to count
 * who was engaged in the window block before a gap and stayed silent through it.
 */
export class GapEngagement {
  readonly engagedBefore: Int32Array;
  readonly silentThrough: Int32Array;
  private readonly stamp: Int32Array;
  private readonly touched: number[] = [];
  private current = 0;

  constructor(private readonly layout: RunLayout, private readonly cal: Calendar) {
    const n = layout.runs.length;
    this.engagedBefore = new Int32Array(n);
    this.silentThrough = new Int32Array(n);
    this.stamp = new Int32Array(n);
  }

  /** `days` are one stakeholder's interaction days inside P. */
  addStakeholder(days: Int32Array): void {
    const me = ++this.current;
    this.touched.length = 0;
    for (let i = 0; i < days.length; i++) {
      const r = this.layout.runOf[days[i] - this.cal.from];
      if (this.stamp[r] !== me) {
        this.stamp[r] = me;
        this.touched.push(r);
      }
    }
    const { runs } = this.layout;
    for (const r of this.touched) {
      const g = r + 1;
      if (!runs[r].window || g >= runs.length) continue;
      this.engagedBefore[g]++;
      if (this.stamp[g] !== me) this.silentThrough[g]++;
    }
  }
}

function pickEvent(candidates: CalendarEvent[], latest: boolean): string | null {
  if (candidates.length === 0) return null;
  const sorted = [...candidates].sort((a, b) => a.start - b.start || compareText(a.name, b.name));
  return (latest ? sorted[sorted.length - 1] : sorted[0]).name;
}

export function gapMetrics(
  cal: Calendar,
  layout: RunLayout,
  day: DayTotals,
  engagement: GapEngagement,
  baselineRate: number | null,
): GapMetrics[] {
  const gaps: GapMetrics[] = [];
  layout.runs.forEach((run, r) => {
    if (run.window) return;
    let interactions = 0;
    let volume = 0;
    for (let d = run.start; d <= run.end; d++) {
      interactions += day.counts[d - cal.from];
      volume += day.volumes[d - cal.from];
    }
    const days = run.end - run.start + 1;
    const engagedBefore = engagement.engagedBefore[r];
    const silentThrough = engagement.silentThrough[r];
    gaps.push({
      before: pickEvent(cal.events.filter((e) => e.windowEnd === run.start - 1), true),
      after: pickEvent(cal.events.filter((e) => e.windowStart === run.end + 1), false),
      start: run.start,
      end: run.end,
      days,
      interactions,
      volume,
      lift: liftOf(volume, days, baselineRate),
      engagedBefore,
      silentThrough,
      darkShare: engagedBefore > 0 ? silentThrough / engagedBefore : null,
    });
  });
  return gaps;
}
