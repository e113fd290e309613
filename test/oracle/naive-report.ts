/*
 * Naive reference implementation ("oracle") of SPEC §2–3 (calendar and metrics), used only
 * as a test oracle in property tests. It deliberately shares no code with src/ and favours
 * clarity over speed: every quantity is recomputed from scratch by looping over day numbers.
 *
 * Days are handled as integer "day numbers" (days since 1970-01-01, computed with Date.UTC
 * from the YYYY-MM-DD string); rows already carry their day in the report time zone.
 *
 * Ambiguities in the SPEC and how this oracle resolves them (most literal reading):
 *  1. Default period: `from` defaults to the earliest row day and `to` to the latest row day,
 *     each independently (so with only `from` given, `to` is the last day of ANY row).
 *     With no rows and no from/to there is no period, and to < from is empty: both throw.
 *  2. `eventsOutsidePeriod` lists the ignored events' names in input order (not sorted).
 *  3. Spikiness/ciLow/… are computed for every scope; N = e_W + e_B and N − x are taken as
 *     e_W + e_B and e_B respectively (so "x = N" is exactly "no baseline interactions").
 *     Effective counts of an empty set are 0. `ciHigh` is null when θU === 1 (exactly).
 *  4. `lift` anywhere (events, gaps, profile) is null when r_B = 0; profile `lift` is also
 *     null when `rate` is null. `daysToBaseline` is still computed when r_B = 0 (the test
 *     then is Σvolume ≤ 0).
 *  5. An event's own profile: offset 0 covers every day start…end, so exposure(0) may exceed
 *     1 for multi-day events (the SPEC's "0 or 1 per offset" remark is taken as informal).
 *     "Another event" means any other entry of the (non-ignored) event list, even one with
 *     the same name/dates; ignored events have no window in P and so never exclude a day.
 *  6. `peakOffset`: among offsets with exposure > 0 in the event's own profile, the one with
 *     the largest volume(k) (summed over its contributing days); ties → smallest offset. If
 *     every contributing offset has volume 0 it is still the smallest contributing offset;
 *     null only when no (e, d) pair contributes.
 *  7. Gap `before`/`after` tie-breaks use the events' own `start` day (not the clipped window
 *     start), then the name by plain `<` comparison. Exact duplicates (same start and name)
 *     are indistinguishable in the output, the first found in input order is kept.
 *  8. Gap `engagedBefore`/`silentThrough` use all interactions (overall scope). For a gap at
 *     the start of P there is no window block: engagedBefore 0, silentThrough 0, darkShare null.
 *  9. Event `activeStakeholders` = distinct stakeholders with an interaction on a day of that
 *     event's (clipped) window.
 * 10. Segments: values are taken from in-P rows only; a row lacking the dimension key counts
 *     as value "" (empty string). A dimension with no in-P values yields no segments.
 * 11. "exceeds flagAbove" is strict (>); status uses the interaction COUNT (not volume).
 * 12. Burstiness uses only the stakeholder's in-P interactions, sorted by instantMs; gaps are
 *     in seconds (ms / 1000); population standard deviation.
 * 13. Stakeholder `firstDay`/`lastDay` are over its in-P interactions; silence runs are
 *     counted over days firstDay…P.to; darkPeriods counts maximal runs with length ≥ silenceDays.
 * 14. Events with equal start and name keep input order when sorted (stable sort).
 * 15. Sums of volume are accumulated in row input order; the spikiness and return-to-baseline
 *     formulas are evaluated in the left-to-right order written in the SPEC.
 */
import quantile from '@stdlib/stats-base-dists-beta-quantile';

export interface OracleRow {
  stakeholder: string;
  day: string; // YYYY-MM-DD, already in the report time zone
  instantMs: number; // full-resolution instant, for burstiness
  weight: number;
  dims: Record<string, string>;
}
export interface OracleEvent {
  name: string;
  start: string;
  end: string; // YYYY-MM-DD days
  before: number;
  after: number;
}
export interface OracleSettings {
  from?: string;
  to?: string;
  minInteractions: number;
  silenceDays: number;
  profileDays: number;
  settleDays: number;
  tolerance: number;
  confidence: number;
  flagAbove: number;
  by: string[];
}

export interface OracleScopeMetrics {
  interactions: number;
  volume: number;
  windowInteractions: number;
  baselineInteractions: number;
  windowRate: number;
  baselineRate: number;
  spikiness: number;
  rateRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  windowShare: number | null;
  expectedShare: number;
  stakeholders: number;
  scoredStakeholders: number;
  flaggedStakeholders: number;
  medianSpikiness: number | null;
  p90Spikiness: number | null;
}
export interface OracleSegment extends OracleScopeMetrics {
  dimension: string;
  value: string;
}
export interface OracleStakeholder {
  id: string;
  interactions: number;
  volume: number;
  windowInteractions: number;
  baselineInteractions: number;
  windowRate: number;
  baselineRate: number;
  spikiness: number;
  rateRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  windowShare: number | null;
  burstiness: number | null;
  longestSilenceDays: number;
  darkPeriods: number;
  darkBaselineShare: number;
  firstDay: string;
  lastDay: string;
  status: 'scored' | 'insufficient';
}
export interface OracleEventResult {
  name: string;
  start: string;
  end: string;
  windowStart: string;
  windowEnd: string;
  windowDays: number;
  interactions: number;
  volume: number;
  activeStakeholders: number;
  lift: number | null;
  peakOffset: number | null;
  daysToBaseline: number | null;
}
export interface OracleGap {
  before: string | null;
  after: string | null;
  start: string;
  end: string;
  days: number;
  interactions: number;
  volume: number;
  lift: number | null;
  engagedBefore: number;
  silentThrough: number;
  darkShare: number | null;
}
export interface OracleProfilePoint {
  offset: number;
  exposure: number;
  volume: number;
  rate: number | null;
  lift: number | null;
}
export interface OracleReport {
  period: {
    from: string;
    to: string;
    days: number;
    windowDays: number;
    baselineDays: number;
    baselineRate: number;
  };
  rowsOutOfRange: number;
  eventsOutsidePeriod: string[];
  overall: OracleScopeMetrics;
  segments: OracleSegment[];
  stakeholders: OracleStakeholder[];
  events: OracleEventResult[];
  gaps: OracleGap[];
  profile: OracleProfilePoint[];
  profileDaysToBaseline: number | null;
}

// ---------------------------------------------------------------------------------------
// Day helpers

const MS_PER_DAY = 86_400_000;

function dayNum(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad day: ${s}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
}

function dayStr(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

function plainCompare(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

// ---------------------------------------------------------------------------------------
// Calendar (shared by every scope of one report)

interface ActiveEvent {
  index: number; // position in the input list
  name: string;
  start: number;
  end: number;
  startStr: string;
  endStr: string;
  windowStart: number; // clipped to P
  windowEnd: number; // clipped to P
}

interface Calendar {
  from: number;
  to: number;
  events: ActiveEvent[];
  DW: number;
  DB: number;
  pi: number;
}

function inWindowOf(ev: ActiveEvent, d: number): boolean {
  return d >= ev.windowStart && d <= ev.windowEnd;
}

function isWindowDay(cal: Calendar, d: number): boolean {
  for (const ev of cal.events) {
    if (inWindowOf(ev, d)) return true;
  }
  return false;
}

function offsetOf(ev: ActiveEvent, d: number): number {
  if (d < ev.start) return d - ev.start;
  if (d > ev.end) return d - ev.end;
  return 0;
}

// ---------------------------------------------------------------------------------------
// Per-set basic metrics (§3)

interface Basic {
  cW: number;
  cB: number;
  nW: number;
  nB: number;
  sqW: number; // Σ w² over window interactions
  sqB: number;
}

function basicOf(cal: Calendar, rows: OracleRow[]): Basic {
  const b: Basic = { cW: 0, cB: 0, nW: 0, nB: 0, sqW: 0, sqB: 0 };
  for (const r of rows) {
    if (isWindowDay(cal, dayNum(r.day))) {
      b.cW += 1;
      b.nW += r.weight;
      b.sqW += r.weight * r.weight;
    } else {
      b.cB += 1;
      b.nB += r.weight;
      b.sqB += r.weight * r.weight;
    }
  }
  return b;
}

function spikinessOf(cal: Calendar, b: Basic): number {
  const pi = cal.pi;
  const c = b.cW + b.cB;
  const wbar = c === 0 ? 1 : (b.nW + b.nB) / c;
  return ((b.nW + pi * wbar) / cal.DW) / ((b.nB + (1 - pi) * wbar) / cal.DB);
}

function intervalOf(cal: Calendar, b: Basic, gamma: number): { ciLow: number | null; ciHigh: number | null } {
  const eW = b.cW === 0 ? 0 : (b.nW * b.nW) / b.sqW;
  const eB = b.cB === 0 ? 0 : (b.nB * b.nB) / b.sqB;
  const x = eW;
  const N = eW + eB;
  if (N === 0) return { ciLow: null, ciHigh: null };
  let mW = b.nW === 0 ? NaN : b.sqW / b.nW;
  let mB = b.nB === 0 ? NaN : b.sqB / b.nB;
  if (b.nW === 0) mW = mB;
  if (b.nB === 0) mB = mW;
  const NminusX = eB; // = N − x
  const thetaL = x === 0 ? 0 : quantile((1 - gamma) / 2, x, NminusX + 1);
  const thetaU = NminusX === 0 ? 1 : quantile((1 + gamma) / 2, x + 1, NminusX);
  const ciLow = (thetaL / (1 - thetaL)) * (cal.DB / cal.DW) * (mW / mB);
  const ciHigh = thetaU === 1 ? null : (thetaU / (1 - thetaU)) * (cal.DB / cal.DW) * (mW / mB);
  return { ciLow, ciHigh };
}

interface RateBlock {
  interactions: number;
  volume: number;
  windowInteractions: number;
  baselineInteractions: number;
  windowRate: number;
  baselineRate: number;
  spikiness: number;
  rateRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  windowShare: number | null;
}

function rateBlockOf(cal: Calendar, rows: OracleRow[], gamma: number): RateBlock {
  const b = basicOf(cal, rows);
  const rW = b.nW / cal.DW;
  const rB = b.nB / cal.DB;
  const { ciLow, ciHigh } = intervalOf(cal, b, gamma);
  return {
    interactions: b.cW + b.cB,
    volume: b.nW + b.nB,
    windowInteractions: b.cW,
    baselineInteractions: b.cB,
    windowRate: rW,
    baselineRate: rB,
    spikiness: spikinessOf(cal, b),
    rateRatio: b.nB === 0 ? null : rW / rB,
    ciLow,
    ciHigh,
    windowShare: b.cW + b.cB === 0 ? null : b.nW / (b.nW + b.nB),
  };
}

// ---------------------------------------------------------------------------------------
// Quantiles, burstiness, silence

function type7(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = p * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function burstinessOf(rows: OracleRow[]): number | null {
  const instants = rows.map((r) => r.instantMs).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < instants.length; i++) gaps.push((instants[i] - instants[i - 1]) / 1000);
  const k = gaps.length;
  if (k < 2) return null;
  let sum = 0;
  for (const g of gaps) sum += g;
  const mu = sum / k;
  if (mu === 0) return null;
  let sq = 0;
  for (const g of gaps) sq += (g - mu) * (g - mu);
  const sigma = Math.sqrt(sq / k);
  const r = sigma / mu;
  return (Math.sqrt(k + 1) * r - Math.sqrt(k - 1)) / ((Math.sqrt(k + 1) - 2) * r + Math.sqrt(k - 1));
}

function silenceOf(
  cal: Calendar,
  rows: OracleRow[],
  silenceDays: number,
): { longestSilenceDays: number; darkPeriods: number; darkBaselineShare: number } {
  let first = Infinity;
  for (const r of rows) first = Math.min(first, dayNum(r.day));
  const runs: Array<{ start: number; end: number }> = [];
  let runStart: number | null = null;
  for (let d = first; d <= cal.to; d++) {
    const hasInteraction = rows.some((r) => dayNum(r.day) === d);
    if (!hasInteraction) {
      if (runStart === null) runStart = d;
    } else if (runStart !== null) {
      runs.push({ start: runStart, end: d - 1 });
      runStart = null;
    }
  }
  if (runStart !== null) runs.push({ start: runStart, end: cal.to });
  let longest = 0;
  let dark = 0;
  let darkBaselineDays = 0;
  for (const run of runs) {
    const len = run.end - run.start + 1;
    if (len > longest) longest = len;
    if (len >= silenceDays) {
      dark += 1;
      for (let d = run.start; d <= run.end; d++) {
        if (!isWindowDay(cal, d)) darkBaselineDays += 1;
      }
    }
  }
  return { longestSilenceDays: longest, darkPeriods: dark, darkBaselineShare: darkBaselineDays / cal.DB };
}

function distinctStakeholders(rows: OracleRow[]): string[] {
  const ids: string[] = [];
  for (const r of rows) if (!ids.includes(r.stakeholder)) ids.push(r.stakeholder);
  return ids;
}

// ---------------------------------------------------------------------------------------
// Scope metrics (overall or a segment)

function scopeMetricsOf(cal: Calendar, rows: OracleRow[], settings: OracleSettings): OracleScopeMetrics {
  const block = rateBlockOf(cal, rows, settings.confidence);
  const ids = distinctStakeholders(rows);
  const scoredSpikiness: number[] = [];
  let flagged = 0;
  for (const id of ids) {
    const own = rows.filter((r) => r.stakeholder === id);
    if (own.length < settings.minInteractions) continue;
    const s = spikinessOf(cal, basicOf(cal, own));
    scoredSpikiness.push(s);
    if (s > settings.flagAbove) flagged += 1;
  }
  return {
    ...block,
    expectedShare: cal.pi,
    stakeholders: ids.length,
    scoredStakeholders: scoredSpikiness.length,
    flaggedStakeholders: flagged,
    medianSpikiness: type7(scoredSpikiness, 0.5),
    p90Spikiness: type7(scoredSpikiness, 0.9),
  };
}

// ---------------------------------------------------------------------------------------
// Profiles and return to baseline

interface ProfileArrays {
  exposure: Map<number, number>;
  volume: Map<number, number>;
}

function emptyProfile(profileDays: number): ProfileArrays {
  const p: ProfileArrays = { exposure: new Map(), volume: new Map() };
  for (let k = -profileDays; k <= profileDays; k++) {
    p.exposure.set(k, 0);
    p.volume.set(k, 0);
  }
  return p;
}

function volumeOnDay(rows: OracleRow[], d: number): number {
  let v = 0;
  for (const r of rows) if (dayNum(r.day) === d) v += r.weight;
  return v;
}

/** Adds event e's contributing (e, d) pairs to the profile. */
function addEventToProfile(cal: Calendar, ev: ActiveEvent, rows: OracleRow[], profileDays: number, p: ProfileArrays): void {
  for (let d = cal.from; d <= cal.to; d++) {
    const k = offsetOf(ev, d);
    if (Math.abs(k) > profileDays) continue;
    let inOther = false;
    for (const other of cal.events) {
      if (other.index !== ev.index && inWindowOf(other, d)) inOther = true;
    }
    if (inOther) continue;
    p.exposure.set(k, (p.exposure.get(k) as number) + 1);
    p.volume.set(k, (p.volume.get(k) as number) + volumeOnDay(rows, d));
  }
}

/**
 * SPEC: Σvolume ≤ (1 + tolerance)·r_B·Σexposure with r_B = n_B/D_B. Both sides are
 * multiplied by D_B (> 0) so that an exact tie is decided exactly, not by the
 * rounding of r_B (the inequality is the same).
 */
function daysToBaselineOf(p: ProfileArrays, nB: number, DB: number, settings: OracleSettings): number | null {
  for (let k = 1; k + settings.settleDays - 1 <= settings.profileDays; k++) {
    let sumV = 0;
    let sumE = 0;
    for (let j = k; j <= k + settings.settleDays - 1; j++) {
      sumV += p.volume.get(j) as number;
      sumE += p.exposure.get(j) as number;
    }
    if (sumV * DB <= (1 + settings.tolerance) * nB * sumE && sumE > 0) return k;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// The report

export function naiveReport(rows: OracleRow[], events: OracleEvent[], settings: OracleSettings): OracleReport {
  // --- period P
  let from: number;
  let to: number;
  if (settings.from !== undefined) from = dayNum(settings.from);
  else {
    if (rows.length === 0) throw new Error('no rows and no from');
    from = Math.min(...rows.map((r) => dayNum(r.day)));
  }
  if (settings.to !== undefined) to = dayNum(settings.to);
  else {
    if (rows.length === 0) throw new Error('no rows and no to');
    to = Math.max(...rows.map((r) => dayNum(r.day)));
  }
  if (to < from) throw new Error('empty period');

  const inP: OracleRow[] = [];
  let rowsOutOfRange = 0;
  for (const r of rows) {
    const d = dayNum(r.day);
    if (d >= from && d <= to) inP.push(r);
    else rowsOutOfRange += 1;
  }

  // --- event windows
  const active: ActiveEvent[] = [];
  const eventsOutsidePeriod: string[] = [];
  events.forEach((e, index) => {
    const start = dayNum(e.start);
    const end = dayNum(e.end);
    const ws = Math.max(start - e.before, from);
    const we = Math.min(end + e.after, to);
    if (ws > we) {
      eventsOutsidePeriod.push(e.name);
      return;
    }
    active.push({ index, name: e.name, start, end, startStr: e.start, endStr: e.end, windowStart: ws, windowEnd: we });
  });

  const cal: Calendar = { from, to, events: active, DW: 0, DB: 0, pi: 0 };
  for (let d = from; d <= to; d++) {
    if (isWindowDay(cal, d)) cal.DW += 1;
    else cal.DB += 1;
  }
  if (cal.DW === 0) throw new Error('no window days (D_W = 0)');
  if (cal.DB === 0) throw new Error('no baseline days (D_B = 0)');
  cal.pi = cal.DW / (cal.DW + cal.DB);

  // --- overall
  const overall = scopeMetricsOf(cal, inP, settings);
  const overallTotals = basicOf(cal, inP);
  const rB = overall.baselineRate;
  const liftOf = (rate: number): number | null => (rB === 0 ? null : rate / rB);

  // --- segments
  const segments: OracleSegment[] = [];
  for (const dim of settings.by) {
    const values: string[] = [];
    for (const r of inP) {
      const v = r.dims[dim] ?? '';
      if (!values.includes(v)) values.push(v);
    }
    values.sort(plainCompare);
    for (const value of values) {
      const segRows = inP.filter((r) => (r.dims[dim] ?? '') === value);
      segments.push({ dimension: dim, value, ...scopeMetricsOf(cal, segRows, settings) });
    }
  }

  // --- stakeholders
  const stakeholders: OracleStakeholder[] = [];
  for (const id of distinctStakeholders(inP)) {
    const own = inP.filter((r) => r.stakeholder === id);
    const block = rateBlockOf(cal, own, settings.confidence);
    const silence = silenceOf(cal, own, settings.silenceDays);
    const days = own.map((r) => dayNum(r.day));
    stakeholders.push({
      id,
      ...block,
      burstiness: burstinessOf(own),
      ...silence,
      firstDay: dayStr(Math.min(...days)),
      lastDay: dayStr(Math.max(...days)),
      status: own.length < settings.minInteractions ? 'insufficient' : 'scored',
    });
  }
  stakeholders.sort((a, b) => {
    if (a.spikiness !== b.spikiness) return b.spikiness - a.spikiness;
    return plainCompare(a.id, b.id);
  });

  // --- events
  const eventResults: Array<{ ev: ActiveEvent; out: OracleEventResult }> = [];
  for (const ev of active) {
    const winRows = inP.filter((r) => inWindowOf(ev, dayNum(r.day)));
    let volume = 0;
    for (const r of winRows) volume += r.weight;
    const windowDays = ev.windowEnd - ev.windowStart + 1;
    const own = emptyProfile(settings.profileDays);
    addEventToProfile(cal, ev, inP, settings.profileDays, own);
    let peakOffset: number | null = null;
    let peakVolume = -Infinity;
    for (let k = -settings.profileDays; k <= settings.profileDays; k++) {
      if ((own.exposure.get(k) as number) === 0) continue;
      const v = own.volume.get(k) as number;
      if (v > peakVolume) {
        peakVolume = v;
        peakOffset = k;
      }
    }
    eventResults.push({
      ev,
      out: {
        name: ev.name,
        start: ev.startStr,
        end: ev.endStr,
        windowStart: dayStr(ev.windowStart),
        windowEnd: dayStr(ev.windowEnd),
        windowDays,
        interactions: winRows.length,
        volume,
        activeStakeholders: distinctStakeholders(winRows).length,
        lift: liftOf(volume / windowDays),
        peakOffset,
        daysToBaseline: daysToBaselineOf(own, overallTotals.nB, cal.DB, settings),
      },
    });
  }
  eventResults.sort((a, b) => {
    if (a.ev.start !== b.ev.start) return a.ev.start - b.ev.start;
    const byName = plainCompare(a.ev.name, b.ev.name);
    if (byName !== 0) return byName;
    return a.ev.index - b.ev.index;
  });

  // --- gaps: maximal runs of baseline days
  const gaps: OracleGap[] = [];
  let d = from;
  while (d <= to) {
    if (isWindowDay(cal, d)) {
      d++;
      continue;
    }
    const gStart = d;
    while (d + 1 <= to && !isWindowDay(cal, d + 1)) d++;
    const gEnd = d;
    d++;

    // before: window ends on gStart − 1; latest start, then last name
    let before: ActiveEvent | null = null;
    for (const ev of active) {
      if (ev.windowEnd !== gStart - 1) continue;
      if (
        before === null ||
        ev.start > before.start ||
        (ev.start === before.start && plainCompare(ev.name, before.name) > 0)
      ) {
        before = ev;
      }
    }
    // after: window starts on gEnd + 1; earliest start, then first name
    let after: ActiveEvent | null = null;
    for (const ev of active) {
      if (ev.windowStart !== gEnd + 1) continue;
      if (
        after === null ||
        ev.start < after.start ||
        (ev.start === after.start && plainCompare(ev.name, after.name) < 0)
      ) {
        after = ev;
      }
    }

    const gapRows = inP.filter((r) => {
      const rd = dayNum(r.day);
      return rd >= gStart && rd <= gEnd;
    });
    let volume = 0;
    for (const r of gapRows) volume += r.weight;
    const days = gEnd - gStart + 1;

    // window block just before g: maximal run of window days ending on gStart − 1
    let engaged: string[] = [];
    if (gStart - 1 >= from && isWindowDay(cal, gStart - 1)) {
      let blockStart = gStart - 1;
      while (blockStart - 1 >= from && isWindowDay(cal, blockStart - 1)) blockStart--;
      const blockRows = inP.filter((r) => {
        const rd = dayNum(r.day);
        return rd >= blockStart && rd <= gStart - 1;
      });
      engaged = distinctStakeholders(blockRows);
    }
    let silent = 0;
    for (const id of engaged) {
      if (!gapRows.some((r) => r.stakeholder === id)) silent += 1;
    }

    gaps.push({
      before: before === null ? null : before.name,
      after: after === null ? null : after.name,
      start: dayStr(gStart),
      end: dayStr(gEnd),
      days,
      interactions: gapRows.length,
      volume,
      lift: liftOf(volume / days),
      engagedBefore: engaged.length,
      silentThrough: silent,
      darkShare: engaged.length === 0 ? null : silent / engaged.length,
    });
  }

  // --- superposed profile
  const sup = emptyProfile(settings.profileDays);
  for (const ev of active) addEventToProfile(cal, ev, inP, settings.profileDays, sup);
  const profile: OracleProfilePoint[] = [];
  for (let k = -settings.profileDays; k <= settings.profileDays; k++) {
    const exposure = sup.exposure.get(k) as number;
    const volume = sup.volume.get(k) as number;
    const rate = exposure === 0 ? null : volume / exposure;
    profile.push({ offset: k, exposure, volume, rate, lift: rate === null ? null : liftOf(rate) });
  }

  return {
    period: {
      from: dayStr(from),
      to: dayStr(to),
      days: to - from + 1,
      windowDays: cal.DW,
      baselineDays: cal.DB,
      baselineRate: rB,
    },
    rowsOutOfRange,
    eventsOutsidePeriod,
    overall,
    segments,
    stakeholders,
    events: eventResults.map((x) => x.out),
    gaps,
    profile,
    profileDaysToBaseline: daysToBaselineOf(sup, overallTotals.nB, cal.DB, settings),
  };
}
