/** Display formatting shared by the human formats; JSON and CSV never round. */

export const DASH = '–';

export function fixed(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return v.toFixed(digits);
}

/** Three significant figures for ratios: 0.0123, 1.23, 12.3, 123, 1,234. */
export function ratio(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const a = Math.abs(v);
  if (a >= 1000) return integer(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 0.1 || a === 0) return v.toFixed(2);
  return v.toPrecision(2);
}

export function integer(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  const rounded = Math.round(v);
  const s = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return rounded < 0 ? `-${s}` : s;
}

/** Volumes may be fractional with weights. */
export function amount(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return Number.isInteger(v) ? integer(v) : ratio(v);
}

export function percent(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH;
  return `${(v * 100).toFixed(digits)}%`;
}

export function interval(low: number | null, high: number | null): string {
  if (low === null) return DASH;
  return `${ratio(low)}–${high === null ? '∞' : ratio(high)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${integer(n)} ${n === 1 ? one : many}`;
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** One character per value, scaled to `max` (default: the largest value); blank for null. */
export function sparkline(values: readonly (number | null)[], scaleMax?: number): string {
  let max = scaleMax ?? 0;
  if (scaleMax === undefined) for (const v of values) if (v !== null && v > max) max = v;
  return values
    .map((v) => {
      if (v === null) return ' ';
      if (max === 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))];
    })
    .join('');
}

/**
 * Text from the data made safe for a terminal: control characters (ESC of
 * colour codes, line breaks, BEL…) become U+FFFD instead of acting.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
}

/** Printable text cut to `width` characters with an ellipsis. */
export function truncate(s: string, width: number): string {
  const p = printable(s);
  return p.length <= width ? p : `${p.slice(0, Math.max(0, width - 1))}…`;
}

/** An offset from an event with its sign: −3, 0, +3 (a true minus sign). */
export function signedOffset(k: number): string {
  return k > 0 ? `+${k}` : k < 0 ? `−${-k}` : '0';
}

/** How a segment value is shown; the empty value gets a name. */
export function segmentValueLabel(value: string): string {
  return value === '' ? '(empty)' : value;
}

/** "daily", "weekly", "monthly" for the timeline bucket. */
export function bucketAdjective(bucket: 'day' | 'week' | 'month'): string {
  return bucket === 'day' ? 'daily' : bucket === 'week' ? 'weekly' : 'monthly';
}

/**
 * The window every event shares, or null when per-event before/after (or
 * detected bursts, which have none) make them differ.
 */
export function commonWindow(events: readonly { before: number; after: number }[]): { before: number; after: number } | null {
  if (events.length === 0) return null;
  const { before, after } = events[0];
  return events.every((e) => e.before === before && e.after === after) ? { before, after } : null;
}

/**
 * The smallest "nice" number (a multiplier times a power of ten) at or above
 * `v`, for chart axes: 1, 2, 5, 10… by default, or finer steps when given.
 */
export function niceAtLeast(v: number, multipliers: readonly number[] = [1, 2, 5, 10]): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of multipliers) {
    const c = Number((m * p).toPrecision(12));
    if (c >= v * (1 - 1e-9)) return c;
  }
  return 10 * p;
}
