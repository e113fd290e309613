import type { DaySeries, SegmentInput, StakeholderInput } from '../analysis/types.js';

interface Cell {
  c: number;
  n: number;
  sq: number;
}

type DayCells = Map<number, Cell>;

/** Distinguishes "seen with several values" from any real dimension value. */
const MIXED = Symbol('mixed');

class StakeholderAccumulator {
  readonly days: DayCells = new Map();
  instants = new Float64Array(8);
  count = 0;
  /** Per dimension: the one value seen so far, or MIXED. */
  readonly dims: (string | typeof MIXED)[] = [];
  /** Per --by dimension: value → that stakeholder's day cells within the segment. */
  readonly segments: Map<string, DayCells>[];

  constructor(byCount: number) {
    this.segments = Array.from({ length: byCount }, () => new Map());
  }

  pushInstant(t: number): void {
    if (this.count === this.instants.length) {
      const grown = new Float64Array(this.instants.length * 2);
      grown.set(this.instants);
      this.instants = grown;
    }
    this.instants[this.count++] = t;
  }
}

function addToCells(cells: DayCells, day: number, weight: number): void {
  const cell = cells.get(day);
  if (cell) {
    cell.c += 1;
    cell.n += weight;
    cell.sq += weight * weight;
  } else {
    cells.set(day, { c: 1, n: weight, sq: weight * weight });
  }
}

function toSeries(cells: DayCells, from: number, to: number): DaySeries {
  const keys = [...cells.keys()].filter((d) => d >= from && d <= to).sort((a, b) => a - b);
  const series: DaySeries = {
    days: new Int32Array(keys.length),
    counts: new Float64Array(keys.length),
    volumes: new Float64Array(keys.length),
    squares: new Float64Array(keys.length),
  };
  keys.forEach((d, i) => {
    const cell = cells.get(d)!;
    series.days[i] = d;
    series.counts[i] = cell.c;
    series.volumes[i] = cell.n;
    series.squares[i] = cell.sq;
  });
  return series;
}

export interface LedgerSnapshot {
  period: { from: number; to: number };
  stakeholders: StakeholderInput[];
  segments: SegmentInput[];
  /** Interactions whose day falls outside the observation period. */
  outOfRange: number;
}

/**
 * Compact per-stakeholder, per-day aggregates: memory grows with
 * stakeholders × active days (plus 8 bytes per interaction for burstiness),
 * never with the raw text. Rows can arrive in any order.
 */
export class Ledger {
  private readonly stakeholders = new Map<string, StakeholderAccumulator>();
  private readonly dimensionNames: string[] = [];
  private readonly byDimensions: readonly string[];
  /** Position of each --by dimension among the registered ones, −1 until registered. */
  private readonly byIndex: number[];
  private minDay = Infinity;
  private maxDay = -Infinity;

  /** `by` names the dimensions to segment on; their positions are fixed once registered. */
  constructor(by: readonly string[] = []) {
    this.byDimensions = by;
    this.byIndex = by.map(() => -1);
  }

  get interactionCount(): number {
    let n = 0;
    for (const s of this.stakeholders.values()) n += s.count;
    return n;
  }

  get stakeholderCount(): number {
    return this.stakeholders.size;
  }

  /** Registers a dimension column and returns its index in the `dims` array of `add`. */
  dimensionIndex(name: string): number {
    let i = this.dimensionNames.indexOf(name);
    if (i < 0) {
      i = this.dimensionNames.length;
      this.dimensionNames.push(name);
      const b = this.byDimensions.indexOf(name);
      if (b >= 0) this.byIndex[b] = i;
    }
    return i;
  }

  /** Dimension names in registration order. */
  get dimensions(): readonly string[] {
    return this.dimensionNames;
  }

  /**
   * Adds one valid interaction. `dims[i]` is the value of dimension i
   * (missing entries count as the empty string).
   */
  add(stakeholder: string, day: number, instant: number, weight: number, dims: readonly string[]): void {
    let acc = this.stakeholders.get(stakeholder);
    if (!acc) {
      acc = new StakeholderAccumulator(this.byDimensions.length);
      this.stakeholders.set(stakeholder, acc);
    }
    const first = acc.count === 0;
    addToCells(acc.days, day, weight);
    acc.pushInstant(instant);
    const width = Math.max(this.dimensionNames.length, acc.dims.length);
    for (let i = 0; i < width; i++) {
      const v = dims[i] ?? '';
      const seen = acc.dims[i];
      if (seen === undefined) acc.dims[i] = first ? v : v === '' ? '' : MIXED;
      else if (seen !== MIXED && seen !== v) acc.dims[i] = MIXED;
    }
    for (let b = 0; b < this.byDimensions.length; b++) {
      const idx = this.byIndex[b];
      const value = idx < 0 ? '' : (dims[idx] ?? '');
      let cells = acc.segments[b].get(value);
      if (!cells) {
        cells = new Map();
        acc.segments[b].set(value, cells);
      }
      addToCells(cells, day, weight);
    }
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
  }

  /** True when at least one interaction was added. */
  get isEmpty(): boolean {
    return this.stakeholders.size === 0;
  }

  /**
   * Freezes the aggregates for analysis. The period defaults to the first and
   * last day holding an interaction; interactions outside it are counted, not used.
   */
  snapshot(from?: number, to?: number): LedgerSnapshot {
    const period = { from: from ?? this.minDay, to: to ?? this.maxDay };
    const ids = [...this.stakeholders.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const stakeholders: StakeholderInput[] = [];
    const segmentMembers = this.byDimensions.map(() => new Map<string, { id: string; series: DaySeries }[]>());
    let outOfRange = 0;

    for (const id of ids) {
      const acc = this.stakeholders.get(id)!;
      const series = toSeries(acc.days, period.from, period.to);
      let inRange = 0;
      for (let i = 0; i < series.counts.length; i++) inRange += series.counts[i];
      outOfRange += acc.count - inRange;
      if (series.days.length === 0) continue;

      // Day order follows instant order, so the interactions before (after) P are
      // the earliest (latest) instants: trim by count rather than store a day per instant.
      let before = 0;
      for (const [d, cell] of acc.days) if (d < period.from) before += cell.c;
      const sorted = acc.instants.slice(0, acc.count).sort();
      const instants = inRange === acc.count ? sorted : sorted.subarray(before, before + inRange);
      const dimensions: Record<string, string> = {};
      acc.dims.forEach((v, i) => {
        if (v !== MIXED && v !== '') dimensions[this.dimensionNames[i]] = v;
      });
      stakeholders.push({ id, series, instants, dimensions });

      acc.segments.forEach((byValue, b) => {
        for (const [value, cells] of byValue) {
          const segSeries = toSeries(cells, period.from, period.to);
          if (segSeries.days.length === 0) continue;
          const list = segmentMembers[b].get(value) ?? [];
          list.push({ id, series: segSeries });
          segmentMembers[b].set(value, list);
        }
      });
    }

    const segments: SegmentInput[] = [];
    this.byDimensions.forEach((dimension, b) => {
      for (const [value, members] of segmentMembers[b]) segments.push({ dimension, value, stakeholders: members });
    });
    return { period, stakeholders, segments, outOfRange };
  }
}
