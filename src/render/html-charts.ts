/**
 * Inline SVG charts for the HTML report. Pure string builders: numbers in,
 * markup out. Every piece of text that comes from the data is escaped; colours
 * come from CSS classes of the page (no style attributes, so the page's
 * Content-Security-Policy needs no 'unsafe-inline').
 */
import type { Report } from '../report/report-types.js';
import { nextBucketStart } from '../analysis/timeline.js';
import { profilePeak } from './row-order.js';
import { civilFromDays, daysFromCivil, parseDay } from '../time/civil-date.js';
import { amount, commonWindow, integer, niceAtLeast, plural, ratio, signedOffset } from './format-number.js';
import { attr, escapeHtml } from './html-escape.js';

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const plotWidth = (f: Frame): number => f.width - f.left - f.right;
const plotHeight = (f: Frame): number => f.height - f.top - f.bottom;

/** A coordinate with one decimal, so that output is short and byte-for-byte stable. */
function c(v: number): string {
  const r = Math.round(v * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

/** The smallest 1, 2 or 5 × 10^k not below `raw`. */
export function niceStep(raw: number): number {
  return niceAtLeast(raw);
}

/** Ticks 0, step, 2·step … up to the first one at or above `max` (which becomes the axis top). */
export function linearTicks(max: number, target = 5): number[] {
  const step = niceStep((max > 0 ? max : 1) / target);
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Tick text: 0, 0.5, 2, 1,000; never more than the digits the value has. */
export function tickLabel(v: number): string {
  if (Math.abs(v) >= 1000) return integer(v);
  return String(Number(v.toPrecision(6)));
}


function svgOpen(id: string, frame: Frame, title: string, desc: string): string {
  return (
    `<svg id="${id}" class="chart" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" preserveAspectRatio="xMidYMid meet">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(desc)}</desc>`
  );
}

/** A chart that has nothing to plot still exists (stable ids) and says why. */
function emptyChart(id: string, frame: Frame, title: string, message: string): string {
  return (
    svgOpen(id, frame, title, message) +
    `<rect class="plot-bg" x="${frame.left}" y="${frame.top}" width="${plotWidth(frame)}" height="${plotHeight(frame)}"/>` +
    `<text class="empty-note" x="${c(frame.left + plotWidth(frame) / 2)}" y="${c(frame.top + plotHeight(frame) / 2)}" text-anchor="middle">${escapeHtml(message)}</text></svg>`
  );
}

/** Horizontal grid lines with their labels on the left, and the rotated axis title. */
function yAxis(frame: Frame, ticks: number[], y: (v: number) => number, title: string): string {
  const out: string[] = [];
  const x0 = frame.left;
  const x1 = frame.width - frame.right;
  for (const t of ticks) {
    const yy = c(y(t));
    out.push(`<line class="grid" x1="${x0}" x2="${x1}" y1="${yy}" y2="${yy}"/>`);
    out.push(`<text class="tick" x="${x0 - 6}" y="${yy}" dy="0.32em" text-anchor="end">${escapeHtml(tickLabel(t))}</text>`);
  }
  const cy = c(frame.top + plotHeight(frame) / 2);
  out.push(`<text class="axis-title" transform="translate(14 ${cy}) rotate(-90)" text-anchor="middle">${escapeHtml(title)}</text>`);
  return out.join('');
}

function xAxisLine(frame: Frame): string {
  const y = frame.height - frame.bottom;
  return `<line class="axis" x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y}" y2="${y}"/>`;
}

// ---------------------------------------------------------------------------
// Peri-event profile

const PROFILE_FRAME: Frame = { width: 760, height: 300, left: 60, right: 62, top: 30, bottom: 52 };

/** Lift over the baseline rate by day from the event, bars, with the baseline (lift 1) dashed. */
export function profileChart(report: Report): string {
  const id = 'profile-chart';
  const f = PROFILE_FRAME;
  const title = 'Peri-event profile: lift over the baseline rate by day from the event';
  const points = report.profile;
  const lifts = points.map((p) => p.lift).filter((v): v is number => v !== null && Number.isFinite(v));
  if (points.length === 0 || lifts.length === 0) {
    return emptyChart(id, f, title, report.events.length === 0 ? 'No events: no peri-event profile' : 'No baseline engagement: lift is undefined');
  }
  const P = report.settings.profileDays;
  const pw = plotWidth(f);
  const ph = plotHeight(f);
  const ticks = linearTicks(Math.max(1, ...lifts) * 1.04);
  const top = ticks[ticks.length - 1];
  const y = (v: number): number => f.top + ph - (v / top) * ph;
  const band = pw / (2 * P + 1);
  const xCenter = (k: number): number => f.left + (k + P + 0.5) * band;
  const barW = Math.max(1, band * 0.78);
  const window = commonWindow(report.events);

  const peak = profilePeak(points);
  const back = report.profileDaysToBaseline;
  const desc =
    `Lift peaks at ${ratio(peak?.lift ?? null)}× at day ${peak ? signedOffset(peak.offset) : '–'}; ` +
    (back === null ? `not back to baseline within ${plural(P, 'day')}.` : `back to baseline after ${plural(back, 'day')}.`);

  const out: string[] = [svgOpen(id, f, title, desc)];
  out.push(`<rect class="plot-bg" x="${f.left}" y="${f.top}" width="${pw}" height="${ph}"/>`);
  out.push(yAxis(f, ticks, y, 'lift (× baseline rate)'));

  out.push('<g class="bars">');
  for (const p of points) {
    if (p.lift === null || !Number.isFinite(p.lift)) continue;
    const cls = p.offset === 0 ? 'bar event-day' : window !== null && p.offset >= -window.before && p.offset <= window.after ? 'bar in-window' : 'bar';
    const h = Math.max(0, y(0) - y(p.lift));
    const tip = `day ${signedOffset(p.offset)}: lift ${ratio(p.lift)}× (volume ${amount(p.volume)} over ${plural(p.exposure, 'event-day')})`;
    out.push(
      `<rect class="${cls}" x="${c(xCenter(p.offset) - barW / 2)}" y="${c(y(0) - h)}" width="${c(barW)}" height="${c(h)}"${attr('data-offset', p.offset)}${attr('data-lift', p.lift)}><title>${escapeHtml(tip)}</title></rect>`,
    );
  }
  out.push('</g>');

  // Baseline: lift 1, dashed, labelled at the right end above the line.
  const y1 = c(y(1));
  out.push(`<line class="baseline" x1="${f.left}" x2="${f.width - f.right}" y1="${y1}" y2="${y1}"/>`);
  // Labelled in the right margin, clear of the bars.
  out.push(
    `<text class="line-label" x="${f.width - f.right + 6}" y="${y1}" dy="-0.2em">baseline</text><text class="line-label muted" x="${f.width - f.right + 6}" y="${y1}" dy="1em">lift 1</text>`,
  );

  // Back to baseline: a dotted marker with its label in the top margin.
  if (back !== null && back <= P) {
    out.push(verticalLines(f, [{ x: xCenter(back), text: `back to baseline: day ${signedOffset(back)}`, lineClass: 'marker', labelClass: '', prefer: 'start' }]));
  }

  // X axis: day offsets, a tick every 1, 2, 5, 10 … days (about a dozen labels).
  out.push(xAxisLine(f));
  const step = Math.max(1, niceStep((2 * P) / 12));
  const base = f.height - f.bottom;
  for (let k = -Math.floor(P / step) * step; k <= P; k += step) {
    const x = c(xCenter(k));
    out.push(`<line class="tick-mark" x1="${x}" x2="${x}" y1="${base}" y2="${base + 4}"/>`);
    out.push(`<text class="tick" x="${x}" y="${base + 17}" text-anchor="middle">${escapeHtml(signedOffset(k))}</text>`);
  }
  out.push(`<text class="axis-title" x="${c(f.left + pw / 2)}" y="${f.height - 8}" text-anchor="middle">days from the event (0 = the event's own days)</text>`);
  out.push('</svg>');
  return out.join('');
}

// ---------------------------------------------------------------------------
// Timeline

const TIMELINE_FRAME: Frame = { width: 760, height: 260, left: 60, right: 20, top: 16, bottom: 50 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days since 1970-01-01 of a report date (always a valid `YYYY-MM-DD`). */
export function dayNumber(date: string): number {
  return parseDay(date) ?? NaN;
}

const dateOfDay = civilFromDays;
const nextBucket = nextBucketStart;

export interface DateTick {
  day: number;
  label: string;
  /** Shown under the label: on the first tick and wherever the year changes. */
  year: number | null;
}

const dayOf = daysFromCivil;

/**
 * Ticks for a date axis over days [d0, d1) drawn `width` px wide, at least
 * `minGap` px apart: days ("Jan 8", every `minStepDays` or more) for short spans, else the 1st of every
 * 1, 3, 6 or 12 months ("Apr"), else every 1, 2, 5, 10 … years ("2030").
 */
export function dateTicks(d0: number, d1: number, width: number, minGap: number, minStepDays = 1): DateTick[] {
  const span = Math.max(1, d1 - d0);
  const pxPerDay = width / span;
  const out: DateTick[] = [];
  let lastYear: number | null = null;
  const push = (day: number, label: (t: { y: number; m: number; d: number }) => string, withYear: boolean): void => {
    const t = dateOfDay(day);
    out.push({ day, label: label(t), year: withYear && t.y !== lastYear ? t.y : null });
    lastYear = t.y;
  };
  if (span <= 100 && minStepDays <= 28) {
    const step = [1, 2, 7, 14, 28].find((k) => k >= minStepDays && k * pxPerDay >= minGap) ?? 28;
    for (let day = d0; day <= d1; day += step) push(day, (t) => `${MONTHS[t.m - 1]} ${t.d}`, true);
    return out;
  }
  const every = [1, 3, 6, 12].find((k) => k * 30.44 * pxPerDay >= minGap);
  const first = dateOfDay(d0);
  if (every !== undefined) {
    let y = first.y;
    let m = first.d === 1 ? first.m : first.m + 1;
    for (;;) {
      if (m > 12) {
        m -= 12;
        y++;
      }
      const day = dayOf(y, m, 1);
      if (day > d1) break;
      if ((m - 1) % every === 0) push(day, (t) => MONTHS[t.m - 1], true);
      m++;
    }
    return out;
  }
  const years = [2, 5, 10, 20, 50, 100].find((k) => k * 365.25 * pxPerDay >= minGap) ?? 100;
  for (let y = Math.ceil((first.m === 1 && first.d === 1 ? first.y : first.y + 1) / years) * years; dayOf(y, 1, 1) <= d1; y += years) {
    push(dayOf(y, 1, 1), (t) => String(t.y), false);
  }
  return out;
}

/** Volume per bucket as bars on a date axis; buckets holding event-window days are shaded. */
export function timelineChart(report: Report): string {
  const id = 'timeline-chart';
  const f = TIMELINE_FRAME;
  const bucket = report.settings.timeline;
  const unit = bucket === 'day' ? 'day' : bucket === 'week' ? 'week' : 'month';
  const title = `Timeline: volume per ${unit}, ${unit}s with event-window days shaded`;
  const pts = report.timeline;
  if (pts.length === 0) return emptyChart(id, f, title, 'No interactions in the period');

  const starts = pts.map((p) => dayNumber(p.start));
  const ends = starts.map((s, i) => (i + 1 < starts.length ? starts[i + 1] : nextBucket(s, bucket)));
  const d0 = starts[0];
  const d1 = ends[ends.length - 1];
  const pw = plotWidth(f);
  const ph = plotHeight(f);
  const x = (day: number): number => f.left + ((day - d0) / Math.max(1, d1 - d0)) * pw;
  const maxVolume = pts.reduce((m, p) => Math.max(m, p.volume), 0);
  const ticks = linearTicks(Math.max(1, maxVolume) * 1.02);
  const top = ticks[ticks.length - 1];
  const y = (v: number): number => f.top + ph - (v / top) * ph;
  const weighted = report.settings.weightCol !== null;
  const windowBuckets = pts.filter((p) => p.windowDays > 0).length;
  const events = report.events.map((e) => ({ name: e.name, from: dayNumber(e.windowStart), to: dayNumber(e.windowEnd) }));

  const desc = `${plural(pts.length, unit)} from ${pts[0].start}; the busiest holds ${amount(maxVolume)}; ${plural(windowBuckets, unit)} hold event-window days.`;
  const out: string[] = [svgOpen(id, f, title, desc)];
  out.push(`<rect class="plot-bg" x="${f.left}" y="${f.top}" width="${pw}" height="${ph}"/>`);

  // Shading first, under the grid and the bars; adjacent shaded buckets merge into one band.
  out.push('<g class="shades">');
  for (let i = 0; i < pts.length; ) {
    if (pts[i].windowDays <= 0) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < pts.length && pts[j + 1].windowDays > 0) j++;
    out.push(`<rect class="window-shade" x="${c(x(starts[i]))}" y="${f.top}" width="${c(x(ends[j]) - x(starts[i]))}" height="${ph}"/>`);
    i = j + 1;
  }
  out.push('</g>');
  out.push(yAxis(f, ticks, y, weighted ? `volume per ${unit}` : `interactions per ${unit}`));

  out.push('<g class="bars">');
  pts.forEach((p, i) => {
    const x0 = x(starts[i]);
    const w = x(ends[i]) - x0;
    const inset = Math.min(w * 0.15, Math.max(0, w - 1) / 2);
    const h = Math.max(0, y(0) - y(p.volume));
    const names = events.filter((e) => e.from < ends[i] && e.to >= starts[i]).map((e) => e.name);
    const label = bucket === 'day' ? p.start : `${unit[0].toUpperCase()}${unit.slice(1)} of ${p.start}`;
    const tip =
      `${label}: ${weighted ? `volume ${amount(p.volume)}, ` : ''}${plural(p.interactions, 'interaction')}` +
      (p.windowDays > 0 ? `; ${plural(p.windowDays, 'event-window day')}${names.length > 0 ? ` (${names.join(', ')})` : ''}` : '');
    out.push(
      `<rect class="${p.windowDays > 0 ? 'bar in-window' : 'bar'}" x="${c(x0 + inset)}" y="${c(y(0) - h)}" width="${c(Math.max(0.5, w - 2 * inset))}" height="${c(h)}"${attr('data-start', p.start)}${attr('data-volume', p.volume)}${attr('data-window-days', p.windowDays)}><title>${escapeHtml(tip)}</title></rect>`,
    );
  });
  out.push('</g>');

  // Date axis, labels at least ~54 px apart.
  out.push(xAxisLine(f));
  const base = f.height - f.bottom;
  for (const t of dateTicks(d0, d1, pw, 54, bucket === 'day' ? 1 : bucket === 'week' ? 7 : Infinity)) {
    const xx = c(x(t.day));
    out.push(`<line class="tick-mark" x1="${xx}" x2="${xx}" y1="${base}" y2="${base + 4}"/>`);
    out.push(`<text class="tick" x="${xx}" y="${base + 17}" text-anchor="middle">${escapeHtml(t.label)}</text>`);
    if (t.year !== null) out.push(`<text class="tick year" x="${xx}" y="${base + 32}" text-anchor="middle">${t.year}</text>`);
  }
  out.push('</svg>');
  return out.join('');
}

interface VerticalLabel {
  x: number;
  text: string;
  lineClass: string;
  labelClass: string;
  /** Which side of the line the label would rather sit: 'start' = to the right. */
  prefer: 'start' | 'end';
}

/** Rough width of label text at the chart's 11 px label size (no layout engine here). */
const textWidth = (s: string): number => s.length * 6.1;

/**
 * Vertical marker lines with labels: each label goes on its preferred side if it fits
 * inside the chart, else the other; one that would overlap an earlier label moves down
 * a row, into the top of the plot, drawn with a halo.
 */
function verticalLines(f: Frame, lines: readonly VerticalLabel[]): string {
  const out: string[] = [];
  const placed: { row: number; x0: number; x1: number }[] = [];
  const rows = [f.top - 8, f.top + 14, f.top + 30];
  for (const l of lines) {
    const w = textWidth(l.text);
    const fitsStart = l.x + 4 + w <= f.width - 2;
    const fitsEnd = l.x - 4 - w >= 2;
    const side = l.prefer === 'start' ? (fitsStart || !fitsEnd ? 'start' : 'end') : fitsEnd || !fitsStart ? 'end' : 'start';
    const x0 = side === 'start' ? l.x + 4 : l.x - 4 - w;
    const x1 = x0 + w;
    let row = 0;
    while (row < rows.length - 1 && placed.some((p) => p.row === row && x0 < p.x1 + 6 && p.x0 < x1 + 6)) row++;
    placed.push({ row, x0, x1 });
    const xl = c(side === 'start' ? l.x + 4 : l.x - 4);
    out.push(`<line class="${l.lineClass}" x1="${c(l.x)}" x2="${c(l.x)}" y1="${f.top - 4}" y2="${f.height - f.bottom}"/>`);
    out.push(`<text class="${['line-label', l.labelClass, row > 0 ? 'halo' : ''].filter((k) => k !== '').join(' ')}" x="${xl}" y="${rows[row]}" text-anchor="${side}">${escapeHtml(l.text)}</text>`);
  }
  return out.join('');
}

// ---------------------------------------------------------------------------
// Spikiness histogram

const HISTOGRAM_FRAME: Frame = { width: 760, height: 270, left: 60, right: 20, top: 30, bottom: 50 };
const BINS_PER_DECADE = 4;

export interface SpikinessBin {
  low: number;
  high: number;
  count: number;
  flagged: boolean;
}

/**
 * Log-scaled bins (four per decade) of the scored stakeholders' spikiness,
 * anchored on `flagAbove` so that the threshold is a bin edge: bin k holds
 * (anchor·10^(k/4), anchor·10^((k+1)/4)], and bins from k = 0 up are exactly
 * the flagged stakeholders (spikiness > flagAbove). The range always takes in
 * 1 (no campaign effect) and the threshold.
 */
export function spikinessBins(values: readonly number[], flagAbove: number): SpikinessBin[] {
  const anchor = flagAbove > 0 ? flagAbove : 1;
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (pos.length === 0) return [];
  const index = (v: number): number => Math.ceil(Math.log10(v / anchor) * BINS_PER_DECADE - 1e-9) - 1;
  let kMin = index(1);
  let kMax = 0;
  const counts = new Map<number, number>();
  for (const v of pos) {
    const k = index(v);
    counts.set(k, (counts.get(k) ?? 0) + 1);
    if (k < kMin) kMin = k;
    if (k > kMax) kMax = k;
  }
  const edge = (k: number): number => anchor * 10 ** (k / BINS_PER_DECADE);
  const bins: SpikinessBin[] = [];
  for (let k = kMin; k <= kMax; k++) bins.push({ low: edge(k), high: edge(k + 1), count: counts.get(k) ?? 0, flagged: k >= 0 && flagAbove > 0 });
  return bins;
}

/** Axis values 1, 3, 10, 30 … (and 0.1, 0.3 …) within [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 3]) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** How many stakeholders fall in each log-scaled spikiness bin, with the flagging threshold marked. */
export function spikinessHistogram(report: Report): string {
  const id = 'spikiness-histogram';
  const f = HISTOGRAM_FRAME;
  const flagAbove = report.settings.flagAbove;
  const title = `Spikiness of the scored stakeholders (log scale), threshold ${tickLabel(flagAbove)} marked`;
  const values = report.stakeholders.filter((s) => s.status === 'scored' && s.spikiness !== null).map((s) => s.spikiness as number);
  const bins = spikinessBins(values, flagAbove);
  if (bins.length === 0) {
    return emptyChart(id, f, title, report.events.length === 0 ? 'No events: no spikiness to plot' : 'No scored stakeholders');
  }
  const pw = plotWidth(f);
  const ph = plotHeight(f);
  const lo = bins[0].low;
  const hi = bins[bins.length - 1].high;
  const x = (v: number): number => f.left + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * pw;
  const maxCount = bins.reduce((m, b) => Math.max(m, b.count), 0);
  const ticks = linearTicks(Math.max(1, maxCount) * 1.04);
  if (ticks[ticks.length - 1] < 5) ticks.splice(0, ticks.length, 0, 1, 2, 3, 4, 5);
  const top = ticks[ticks.length - 1];
  const y = (v: number): number => f.top + ph - (v / top) * ph;
  const flagged = values.filter((v) => v > flagAbove).length;

  const desc = `${plural(values.length, 'scored stakeholder')}; ${integer(flagged)} above the threshold ${tickLabel(flagAbove)}.`;
  const out: string[] = [svgOpen(id, f, title, desc)];
  out.push(`<rect class="plot-bg" x="${f.left}" y="${f.top}" width="${pw}" height="${ph}"/>`);
  out.push(yAxis(f, ticks, y, 'stakeholders'));

  out.push('<g class="bars">');
  for (const b of bins) {
    if (b.count === 0) continue;
    const x0 = x(b.low);
    const w = x(b.high) - x0;
    const h = y(0) - y(b.count);
    const tip = `spikiness ${ratio(b.low)}–${ratio(b.high)}: ${plural(b.count, 'stakeholder')}${b.flagged ? ' (flagged)' : ''}`;
    out.push(
      `<rect class="${b.flagged ? 'bar flagged' : 'bar'}" x="${c(x0 + 1)}" y="${c(y(0) - h)}" width="${c(Math.max(0.5, w - 2))}" height="${c(h)}"${attr('data-low', b.low)}${attr('data-high', b.high)}${attr('data-count', b.count)}><title>${escapeHtml(tip)}</title></rect>`,
    );
  }
  out.push('</g>');

  // No effect (1) and the flagging threshold: vertical lines labelled in the top margin, a label
  // that would collide with another dropping to a second row inside the plot.
  const lines: VerticalLabel[] = [];
  if (flagAbove !== 1 && lo <= 1 && 1 <= hi) lines.push({ x: x(1), text: '1 = no campaign effect', lineClass: 'reference', labelClass: 'muted', prefer: 'end' });
  if (flagAbove > 0) {
    lines.push({ x: x(flagAbove), text: `flagged above ${tickLabel(flagAbove)}: ${integer(flagged)} of ${integer(values.length)}`, lineClass: 'threshold', labelClass: 'threshold-label', prefer: 'start' });
  }
  out.push(verticalLines(f, lines));

  out.push(xAxisLine(f));
  const base = f.height - f.bottom;
  for (const t of logTicks(lo, hi)) {
    const xx = c(x(t));
    out.push(`<line class="tick-mark" x1="${xx}" x2="${xx}" y1="${base}" y2="${base + 4}"/>`);
    out.push(`<text class="tick" x="${xx}" y="${base + 17}" text-anchor="middle">${escapeHtml(tickLabel(t))}</text>`);
  }
  out.push(`<text class="axis-title" x="${c(f.left + pw / 2)}" y="${f.height - 10}" text-anchor="middle">spikiness (log scale)</text>`);
  out.push('</svg>');
  return out.join('');
}
