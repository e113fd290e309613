import type { DaySeries, SegmentInput, StakeholderInput } from '../analysis/types.js';
import { CellStore, type CellBlock } from './cell-store.js';
import { RollupRuns } from './rollup-runs.js';
import { sumColumns } from './rollup-columns.js';
import { compareText } from '../compare-text.js';
import { FIRST_PLAUSIBLE_DAY, LAST_PLAUSIBLE_DAY } from '../time/civil-date.js';

/** Rollup rows per day, 1900–2200 (days outside are rejected before they reach the ledger). */
const ROLLUP_DAY_SPAN = LAST_PLAUSIBLE_DAY - FIRST_PLAUSIBLE_DAY + 1;

/** No instants: every list's starting array, and a stakeholder input's whose instants come as pieces. */
const NO_INSTANTS = new Float64Array(0);

const FROZEN = 'a row reached the ledger after snapshot(), whose series are views of its cells';

/** Distinguishes "seen with several values" from any real dimension value. */
const MIXED = Symbol('mixed');

/** Growable per-stakeholder list of instants (8 bytes an interaction, for burstiness). */
export class InstantList {
  /**
   * Empty until the first push: a file read by parse workers leaves most
   * lists empty (their instants stay in the workers' arrays), and an array of
   * its own for each stakeholder took 110–130 MB of peak RSS on 200,000 of them.
   */
  values = NO_INSTANTS;
  count = 0;
  push(t: number): void {
    if (this.count === this.values.length) this.grow(this.count + 1);
    this.values[this.count++] = t;
  }
  /** Capacity doubles (at least to `need`): each instant is copied about once more in all. */
  private grow(need: number): void {
    let cap = Math.max(4, this.values.length * 2);
    while (cap < need) cap *= 2;
    const grown = new Float64Array(cap);
    // The whole old array, not a view of its first `count`: no object is made.
    grown.set(this.values);
    this.values = grown;
  }
  /**
   * The instants in ascending order, sorted in place (later calls find them
   * sorted already, and no copy is made). A time-ordered log brings each
   * stakeholder's instants in order: a linear check then spares the sort.
   */
  sorted(): Float64Array {
    const v = this.values.subarray(0, this.count);
    for (let i = 1; i < v.length; i++) {
      const a = v[i - 1];
      const b = v[i];
      // Equal zeros may be −0 and +0, which sort() orders: leave those to it.
      if (!(a < b || (a === b && a !== 0))) return v.sort();
    }
    return v;
  }
}


/**
 * Sorts a series by day and sums cells that share a day (a day can arrive both
 * in order and out of order): (day, position) packed in a double, one native sort.
 */
function sortByDay(series: DaySeries): DaySeries {
  const n = series.days.length;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = series.days[k] * 1_048_576 + k;
  keys.sort();
  // A series whose volumes and squares are its counts (one array: see collectSeries) stays so.
  const shared = series.volumes === series.counts && series.squares === series.counts;
  const counts = new Float64Array(n);
  const out: DaySeries = { days: new Int32Array(n), counts, volumes: shared ? counts : new Float64Array(n), squares: shared ? counts : new Float64Array(n) };
  let w = -1;
  for (let j = 0; j < n; j++) {
    const day = Math.floor(keys[j] / 1_048_576);
    const k = keys[j] - day * 1_048_576;
    if (w < 0 || out.days[w] !== day) {
      w++;
      out.days[w] = day;
    }
    out.counts[w] += series.counts[k];
    if (shared) continue;
    out.volumes[w] += series.volumes[k];
    out.squares[w] += series.squares[k];
  }
  const len = w + 1;
  if (len === n) return out;
  const c = out.counts.subarray(0, len);
  return { days: out.days.subarray(0, len), counts: c, volumes: shared ? c : out.volumes.subarray(0, len), squares: shared ? c : out.squares.subarray(0, len) };
}

/**
 * Groups the table's cells by member (a stakeholder, or one within a segment) and turns each group, days
 * inside P only, into a DaySeries sorted by day. Two passes with a counting
 * sort keep this linear in the number of cells. A member whose cells inside P
 * lie side by side in one block (a rollup sorted by stakeholder and day: all of
 * them) gets views of that block instead of copies, and the second pass
 * copies only the others.
 */
function collectSeries(
  table: CellStore,
  period: { from: number; to: number },
  visit: (member: number, series: DaySeries) => void,
): void {
  const { from, to } = period;
  // No weights: every cell's volume and squares are its count, and the copies keep one array for the three.
  const volumesAreCounts = table.volumesAreCounts;
  // Members are small dense integers: a typed array maps them to groups.
  const groupOf = new Int32Array(table.memberBound).fill(-1);
  const groupKeys: number[] = [];
  const counts: number[] = [];
  /** Per group: the block of its first cell, where its run there starts and ends; −1 once its cells are not one run. */
  const runBlock: number[] = [];
  const runStart: number[] = [];
  const runEnd: number[] = [];
  const blocks: CellBlock[] = [];
  const lengths: number[] = [];
  table.forEachBlock((block, length) => {
    const { members, days } = block;
    const b = blocks.length;
    blocks.push(block);
    lengths.push(length);
    for (let i = 0; i < length; i++) {
      const d = days[i];
      if (d < from || d > to) continue;
      const m = members[i];
      let g = groupOf[m];
      if (g < 0) {
        g = groupOf[m] = counts.length;
        groupKeys.push(m);
        counts.push(0);
        runBlock.push(b);
        runStart.push(i);
        runEnd.push(i);
      } else if (runBlock[g] === b && runEnd[g] === i - 1) runEnd[g] = i;
      else runBlock[g] = -1;
      counts[g]++;
    }
  });
  // Each copied group's series is filled in arrival order, which for a time-ordered
  // log is already day order; otherwise it is sorted and same-day cells summed.
  // The copied groups share one array of each kind, cut at prefix sums: a cell costs one
  // cursor and four stores, instead of reaching its group's own series through two objects.
  const cursor = new Int32Array(counts.length).fill(-1);
  let copied = 0;
  for (let g = 0; g < counts.length; g++) {
    if (runBlock[g] >= 0) continue;
    cursor[g] = copied;
    copied += counts[g];
  }
  const copiedCounts = new Float64Array(copied);
  const all = {
    days: new Int32Array(copied),
    counts: copiedCounts,
    volumes: volumesAreCounts ? copiedCounts : new Float64Array(copied),
    squares: volumesAreCounts ? copiedCounts : new Float64Array(copied),
  };
  const groups: DaySeries[] = counts.map((n, g) => {
    const b = runBlock[g];
    if (b >= 0) {
      const { days, c, n: v, sq } = blocks[b];
      const s0 = runStart[g];
      const s1 = runEnd[g] + 1;
      return { days: days.subarray(s0, s1), counts: c.subarray(s0, s1), volumes: v.subarray(s0, s1), squares: sq.subarray(s0, s1) };
    }
    const s0 = cursor[g];
    const s1 = s0 + n;
    const c = all.counts.subarray(s0, s1);
    if (volumesAreCounts) return { days: all.days.subarray(s0, s1), counts: c, volumes: c, squares: c };
    return { days: all.days.subarray(s0, s1), counts: c, volumes: all.volumes.subarray(s0, s1), squares: all.squares.subarray(s0, s1) };
  });
  if (copied > 0) copyCells(blocks, lengths, period, groupOf, cursor, all, volumesAreCounts);
  for (let g = 0; g < groups.length; g++) {
    const series = groups[g];
    let sorted = true;
    for (let j = 1; j < series.days.length; j++) if (series.days[j - 1] >= series.days[j]) sorted = false;
    visit(groupKeys[g], sorted ? series : sortByDay(series));
  }
}

/**
 * collectSeries' copy of the cells in P into each copied group's place (its
 * cursor), in block order; only days and counts when `all`'s volumes and
 * squares are its counts array.
 */
function copyCells(
  blocks: readonly CellBlock[],
  lengths: readonly number[],
  period: { from: number; to: number },
  groupOf: Int32Array,
  cursor: Int32Array,
  all: DaySeries,
  volumesAreCounts: boolean,
): void {
  const { from, to } = period;
  const { days: toDays, counts: toCounts, volumes: toVolumes, squares: toSquares } = all;
  for (let b = 0; b < blocks.length; b++) {
    const { members, days, c, n, sq } = blocks[b];
    const length = lengths[b];
    for (let i = 0; i < length; i++) {
      const d = days[i];
      if (d < from || d > to) continue;
      const g = groupOf[members[i]];
      const k = cursor[g];
      if (k < 0) continue;
      cursor[g] = k + 1;
      toDays[k] = d;
      toCounts[k] = c[i];
      if (volumesAreCounts) continue;
      toVolumes[k] = n[i];
      toSquares[k] = sq[i];
    }
  }
}

/** One rollup row's sums (see the README's rollup schema). */
export interface RollupSums {
  interactions: number;
  volume: number;
  volumeSq: number;
  gapCount: number;
  gapSum: number;
  gapSumSq: number;
}

export interface LedgerSnapshot {
  period: { from: number; to: number };
  stakeholders: StakeholderInput[];
  segments: SegmentInput[];
  /** Input rows whose day falls outside the observation period (interactions, or rollup rows). */
  outOfRange: number;
}

/**
 * Compact per-stakeholder, per-day aggregates: memory grows with
 * stakeholders × active days (plus 8 bytes per interaction for burstiness),
 * never with the raw text. Rows can arrive in any order.
 */
export class Ledger {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly cells = new CellStore();
  private readonly instants: InstantList[] = [];
  /** Per dimension, per stakeholder: the one value seen so far, or MIXED. */
  private readonly constants: (string | typeof MIXED | undefined)[][] = [];
  private readonly dimensionNames: string[] = [];
  private readonly byDimensions: readonly string[];
  /** Position of each --by dimension among the registered ones, −1 until registered. */
  private readonly byIndex: number[];
  /**
   * Per --by dimension: its values, and its cells keyed by (member, day), where a
   * member is one stakeholder within one value (interned, with its parts kept).
   */
  private readonly segmentCells: CellStore[];
  private readonly segmentValues: Map<string, number>[];
  private readonly segmentMembers: { index: Map<number, number>; stakeholder: number[]; value: number[] }[];
  /**
   * The rollup rows' gap sums (count, sum, sum of squares) by (stakeholder,
   * day), in the same store as the cells; null unless filled from a rollup.
   */
  private gapCells: CellStore | null = null;
  /**
   * A sorted rollup's batches, kept whole while addRollupRows alone brings rows
   * that keep each stakeholder's run in one stretch; null once the cell stores
   * hold the rows instead (see leaveRuns).
   */
  private runs: RollupRuns | null = new RollupRuns();
  /**
   * Input rows per day, so what was read can be counted outside the period: one
   * per row of a rollup file, one per interaction when an engine rolled up the rows.
   */
  private readonly rollupRowsByDay = new Float64Array(ROLLUP_DAY_SPAN);
  private minDay = Infinity;
  private maxDay = -Infinity;
  private total = 0;

  /** `by` names the dimensions to segment on; their positions are fixed once registered. */
  constructor(by: readonly string[] = []) {
    this.byDimensions = by;
    this.byIndex = by.map(() => -1);
    this.segmentCells = by.map(() => new CellStore());
    this.segmentValues = by.map(() => new Map());
    this.segmentMembers = by.map(() => ({ index: new Map(), stakeholder: [], value: [] }));
  }

  /** First and last day holding an interaction. */
  get dayRange(): { from: number; to: number } {
    return { from: this.minDay, to: this.maxDay };
  }

  /** Registers a dimension column and returns its index in the `dims` array of `add`. */
  dimensionIndex(name: string): number {
    let i = this.dimensionNames.indexOf(name);
    if (i < 0) {
      if (this.ids.length > 0) this.dimensionAfterRows = true;
      i = this.dimensionNames.length;
      this.dimensionNames.push(name);
      this.constants.push([]);
      const b = this.byDimensions.indexOf(name);
      if (b >= 0) this.byIndex[b] = i;
    }
    return i;
  }

  /** Whether a dimension was registered once rows were in (a later file with a new column). */
  private dimensionAfterRows = false;

  /**
   * Whether groups (addGroup, noteDimension) from a file with these dimensions
   * give exactly what add() would row by row: every dimension was registered
   * before the first row, and the file has them all. Otherwise add()'s rules
   * for a dimension missing from a file or new to a stakeholder apply, and
   * rows must come one by one.
   */
  groupsExactFor(dimensions: readonly string[]): boolean {
    return !this.dimensionAfterRows && new Set(dimensions).size === this.dimensionNames.length;
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
    const s = this.intern(stakeholder);
    this.addAt(s, this.interned, day, instant, weight, dims);
  }

  /** add() for the stakeholder at position s (stakeholderIndex), whose first row this is when `first`. */
  addAt(s: number, first: boolean, day: number, instant: number, weight: number, dims: readonly string[]): void {
    if (this.gapCells !== null) throw new Error('a ledger holds either interactions or rollup rows, not both');
    this.register(s, first, dims, day, 1, weight, weight * weight);
    this.instants[s].push(instant);
    this.total++;
  }

  /**
   * Adds one rollup row: the sums of a (stakeholder, day, dimension values)
   * group and the additive pieces of its gaps, which stand in for the instants.
   * `inputRows` is how many rows of the input it accounts for.
   */
  addRollupRow(stakeholder: string, day: number, dims: readonly string[], sums: RollupSums, inputRows = 1): void {
    const s = this.intern(stakeholder);
    this.addRollupRowAt(s, this.interned, day, dims, sums, inputRows);
  }

  /**
   * addRollupRow for the stakeholder at position s (stakeholderIndex), whose
   * first row this is when `first` (its stakeholderIndex call added it).
   */
  addRollupRowAt(s: number, first: boolean, day: number, dims: readonly string[], sums: RollupSums, inputRows = 1): void {
    if (this.frozen) throw new Error(FROZEN);
    if (this.gapCells === null) {
      if (this.total > 0) throw new Error('a ledger holds either interactions or rollup rows, not both');
      this.gapCells = new CellStore(false);
    }
    this.leaveRuns();
    this.register(s, first, dims, day, sums.interactions, sums.volume, sums.volumeSq);
    if (sums.gapCount > 0) this.gapCells.addCell(s, day, sums.gapCount, sums.gapSum, sums.gapSumSq);
    const at = day - FIRST_PLAUSIBLE_DAY;
    if (!(at >= 0 && at < ROLLUP_DAY_SPAN)) throw new Error(`rollup day ${day} outside 1900–2200 reached the ledger`);
    this.rollupRowsByDay[at] += inputRows;
    this.total += sums.interactions;
  }

  /**
   * Whether addRollupRows may take rows: no dimension is registered or
   * segmented on, so a row has only its stakeholder, day and sums.
   */
  get takesPlainRollupRows(): boolean {
    return this.constants.length === 0 && this.byDimensions.length === 0;
  }

  /**
   * addRollupRowAt for `rows` rows of a batch without dimensions, in order:
   * stakeholder positions s[k], days day[k], and the six sums by column in
   * `sums` (interactions, volume, volume_sq, gap_count, gap_sum, gap_sum_sq;
   * sum j of row k at sumColumns(volumeIsCount)[j] * rows + k: four columns
   * when volume and volume_sq are the interactions). Each row accounts for one input row, or
   * for its interactions when `rowsAreInteractions`. The cells add up in the
   * same order as row by row. The ledger may keep `day` and `sums` (not `s`):
   * the caller must not change them afterwards.
   */
  addRollupRows(s: Int32Array, day: Int32Array, sums: Float64Array, rows: number, rowsAreInteractions: boolean, volumeIsCount = false): void {
    if (!this.takesPlainRollupRows) throw new Error('addRollupRows takes rows without dimensions only');
    // No row, no change: as addRollupRowAt called for none (the ledger is not made a rollup's).
    if (rows === 0) return;
    if (this.frozen) throw new Error(FROZEN);
    if (this.gapCells === null) {
      if (this.total > 0) throw new Error('a ledger holds either interactions or rollup rows, not both');
      this.gapCells = new CellStore(false);
    }
    this.countRollupRows(day, sums, rows, rowsAreInteractions);
    if (this.runs !== null && this.runs.add(s, day, sums, rows, volumeIsCount)) return;
    this.leaveRuns();
    this.fileRollupRows(s, day, sums, rows, volumeIsCount);
  }

  /**
   * The accounting of addRollupRows: rows by day, the day range, the total.
   * A method of its own, as RollupRuns.add explains.
   */
  private countRollupRows(day: Int32Array, sums: Float64Array, rows: number, rowsAreInteractions: boolean): void {
    let minDay = this.minDay;
    let maxDay = this.maxDay;
    let total = this.total;
    const byDay = this.rollupRowsByDay;
    for (let k = 0; k < rows; k++) {
      const d = day[k];
      const at = d - FIRST_PLAUSIBLE_DAY;
      if (!(at >= 0 && at < ROLLUP_DAY_SPAN)) throw new Error(`rollup day ${d} outside 1900–2200 reached the ledger`);
      const interactions = sums[k];
      byDay[at] += rowsAreInteractions ? interactions : 1;
      total += interactions;
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
    }
    this.minDay = minDay;
    this.maxDay = maxDay;
    this.total = total;
  }

  /** Files a batch of rollup rows (as addRollupRows takes them) into the cell stores. */
  private fileRollupRows(s: Int32Array, day: Int32Array, sums: Float64Array, rows: number, volumeIsCount: boolean): void {
    const at = sumColumns(volumeIsCount);
    const column = (j: number): Float64Array => sums.subarray(at[j] * rows, (at[j] + 1) * rows);
    this.cells.addCells(s, day, column(0), column(1), column(2), rows, false);
    this.gapCells!.addCells(s, day, column(3), column(4), column(5), rows, true);
  }

  /**
   * Moves the rows kept as runs into the cell stores, in the order they came,
   * and stops keeping runs: a row that breaks the pattern, or one by one, goes there.
   */
  private leaveRuns(): void {
    const runs = this.runs;
    if (runs === null) return;
    this.runs = null;
    runs.replay((members, days, sums, rows, volumeIsCount) => this.fileRollupRows(members, days, sums, rows, volumeIsCount));
  }

  /** Whether the ledger was filled from rollup rows. */
  get fromRollup(): boolean {
    return this.gapCells !== null;
  }

  /**
   * The stakeholder's position, added when new: parse workers' groups refer
   * to stakeholders by it (addGroup, addInstants, noteDimension) so that a
   * group costs no lookup by id.
   */
  stakeholderIndex(stakeholder: string): number {
    return this.intern(stakeholder);
  }

  /** Whether the last stakeholderIndex call added the stakeholder. */
  get added(): boolean {
    return this.interned;
  }

  /**
   * Adds `count` interactions of weight 1 of stakeholder `s` on one day, whose
   * --by values are `byValues`: what a parse worker sums per cell. Their
   * instants come through addInstants, the dimensions' constant values through noteDimension.
   */
  addGroup(s: number, day: number, count: number, byValues: readonly string[]): void {
    this.addSums(s, day, count, count, count, byValues);
  }

  /**
   * Adds one interaction of stakeholder `s` whose --by values are `byValues`,
   * as add() does, but leaves the dimensions' constant values to noteDimension:
   * for a parse worker's weighted rows, under the same condition as addGroup.
   */
  addRow(s: number, day: number, instant: number, weight: number, byValues: readonly string[]): void {
    this.addSums(s, day, 1, weight, weight * weight, byValues);
    this.instants[s].push(instant);
  }

  /** c interactions of volume n (squares sq) of stakeholder s on one day, to its cell and its --by segments. */
  private addSums(s: number, day: number, c: number, n: number, sq: number, byValues: readonly string[]): void {
    if (this.gapCells !== null) throw new Error('a ledger holds either interactions or rollup rows, not both');
    if (this.frozen) throw new Error(FROZEN);
    this.cells.addCell(s, day, c, n, sq);
    for (let b = 0; b < this.byDimensions.length; b++) this.addSegmentCell(b, byValues[b], s, day, c, n, sq);
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
    this.total += c;
  }

  /**
   * Adds instants[from..to) to stakeholder s's instants (for groups added by
   * addGroup). The ledger keeps `instants` itself, and snapshot() hands out
   * each stakeholder's runs as pieces of it (the caller must not change it):
   * copying a parse worker's runs into growing per-stakeholder lists as they
   * came took the main thread about 0.75 s of CPU on ten million rows, which
   * the workers lacked.
   */
  addInstants(s: number, instants: Float64Array, from: number, to: number): void {
    if (this.frozen) throw new Error(FROZEN);
    const arrays = this.instantArrays;
    if (arrays.length === 0 || arrays[arrays.length - 1] !== instants) arrays.push(instants);
    const r = this.instantRuns;
    if (4 * (r.size + 1) > r.cells.length) {
      const cells = new Int32Array(Math.max(4 * 1024, 2 * r.cells.length));
      cells.set(r.cells);
      r.cells = cells;
    }
    const at = 4 * r.size++;
    r.cells[at] = s;
    r.cells[at + 1] = arrays.length - 1;
    r.cells[at + 2] = from;
    r.cells[at + 3] = to - from;
  }

  /** Arrays addInstants kept, and its runs: (stakeholder, array, start, length) side by side, in arrival order. */
  private readonly instantArrays: Float64Array[] = [];
  private readonly instantRuns = { cells: new Int32Array(4 * 1024), size: 0 };

  /**
   * The instants as pieces (analysis/types.ts InstantPieces) when addInstants
   * kept runs: each stakeholder's list first, then its runs in arrival order
   * (for a time-ordered log, time order). Nothing is copied: gathering ten
   * million instants into one array took the snapshot 0.3–0.5 s on one core,
   * and 80 MB of memory touched for the first time, when burstiness can read
   * them where they are. Null without runs (the lists hold every instant).
   * Built once: the ledger is frozen by then, and the runs' table goes.
   */
  private instantPieces(): { arrays: Float64Array[]; table: Int32Array; first: Int32Array } | null {
    if (this.pieces !== null) return this.pieces;
    const { cells, size } = this.instantRuns;
    if (size === 0) return null;
    const lists = this.instants;
    const n = lists.length;
    const first = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) if (lists[s].count > 0) first[s + 1]++;
    for (let k = 0; k < size; k++) first[cells[4 * k] + 1]++;
    for (let s = 0; s < n; s++) first[s + 1] += first[s];
    const arrays = this.instantArrays;
    const table = new Int32Array(3 * first[n]);
    const cursor = first.slice(0, n);
    for (let s = 0; s < n; s++) {
      const list = lists[s];
      if (list.count === 0) continue;
      const j = cursor[s]++;
      table[3 * j] = arrays.length;
      table[3 * j + 1] = 0;
      table[3 * j + 2] = list.count;
      arrays.push(list.values);
    }
    for (let k = 0; k < size; k++) {
      const j = cursor[cells[4 * k]]++;
      table[3 * j] = cells[4 * k + 1];
      table[3 * j + 1] = cells[4 * k + 2];
      table[3 * j + 2] = cells[4 * k + 3];
    }
    this.instantRuns.cells = new Int32Array(0);
    this.instantRuns.size = 0;
    this.pieces = { arrays, table, first };
    return this.pieces;
  }

  private pieces: { arrays: Float64Array[]; table: Int32Array; first: Int32Array } | null = null;

  /**
   * Records that stakeholder s's rows held `value` (null: several values) in
   * dimension `dim`; for groups from addGroup, whose dimensions were all registered first.
   */
  noteDimension(s: number, dim: number, value: string | null): void {
    const perStakeholder = this.constants[dim];
    const seen = perStakeholder[s];
    if (value === null) perStakeholder[s] = MIXED;
    else if (seen === undefined) perStakeholder[s] = value;
    else if (seen !== MIXED && seen !== value) perStakeholder[s] = MIXED;
  }

  /** Set by snapshot(): rows added later would change the series already handed out. */
  private frozen = false;

  /** Whether the last intern() call added the stakeholder. */
  private interned = false;

  private intern(stakeholder: string): number {
    let s = this.index.get(stakeholder);
    this.interned = s === undefined;
    if (s === undefined) {
      s = this.ids.length;
      this.ids.push(stakeholder);
      this.index.set(stakeholder, s);
      this.instants.push(new InstantList());
    }
    return s;
  }

  private addSegmentCell(b: number, value: string, s: number, day: number, c: number, n: number, sq: number): void {
    const values = this.segmentValues[b];
    let v = values.get(value);
    if (v === undefined) {
      v = values.size;
      values.set(value, v);
    }
    const members = this.segmentMembers[b];
    const key = v * 0x100000000 + s;
    let m = members.index.get(key);
    if (m === undefined) {
      m = members.stakeholder.length;
      members.index.set(key, m);
      members.stakeholder.push(s);
      members.value.push(v);
    }
    this.segmentCells[b].addCell(m, day, c, n, sq);
  }

  /** Tracks stakeholder s's constant dimensions (`first`: this is its first row) and adds the sums to its cells and segments. */
  private register(s: number, first: boolean, dims: readonly string[], day: number, c: number, n: number, sq: number): void {
    if (this.frozen) throw new Error(FROZEN);
    this.cells.addCell(s, day, c, n, sq);
    for (let i = 0; i < this.constants.length; i++) {
      const v = dims[i] ?? '';
      const perStakeholder = this.constants[i];
      const seen = perStakeholder[s];
      // A dimension registered after this stakeholder's first rows was '' on them.
      if (seen === undefined) perStakeholder[s] = first ? v : v === '' ? '' : MIXED;
      else if (seen !== MIXED && seen !== v) perStakeholder[s] = MIXED;
    }
    for (let b = 0; b < this.byDimensions.length; b++) {
      const idx = this.byIndex[b];
      this.addSegmentCell(b, idx < 0 ? '' : (dims[idx] ?? ''), s, day, c, n, sq);
    }
    if (day < this.minDay) this.minDay = day;
    if (day > this.maxDay) this.maxDay = day;
  }

  /**
   * Freezes the aggregates for analysis. The period defaults to the first and
   * last day holding an interaction; interactions outside it are counted, not used.
   * Stakeholders come out sorted by id. Series and instants may be views of
   * the ledger's own arrays, so the ledger takes no rows after this.
   */
  snapshot(from?: number, to?: number): LedgerSnapshot {
    this.frozen = true;
    const pieces = this.instantPieces();
    const period = { from: from ?? this.minDay, to: to ?? this.maxDay };
    const seriesOf = new Map<number, DaySeries>();
    const runs = this.runs !== null && !this.runs.empty ? this.runs : null;
    if (runs !== null) runs.collectSeries(period, (s, series) => seriesOf.set(s, series));
    else collectSeries(this.cells, period, (s, series) => seriesOf.set(s, series));

    // Interactions before P, per stakeholder, in one pass over the cells.
    const beforeP = new Float64Array(this.ids.length);
    if (period.from > this.minDay) {
      this.cells.forEachBlock(({ members, days, c }, length) => {
        for (let i = 0; i < length; i++) if (days[i] < period.from) beforeP[members[i]] += c[i];
      });
    }
    const order = [...seriesOf.keys()].sort((a, b) => compareText(this.ids[a], this.ids[b]));
    const gapMoments = this.gapMomentsIn(period);
    let inRangeTotal = 0;
    const stakeholders: StakeholderInput[] = order.map((s) => {
      const series = seriesOf.get(s)!;
      let inRange = 0;
      for (let i = 0; i < series.counts.length; i++) inRange += series.counts[i];
      inRangeTotal += inRange;
      const list = this.instants[s];
      // Day order follows instant order, so the interactions before (after) P are
      // the earliest (latest) instants: trim by count rather than store a day per instant.
      const before = beforeP[s];
      // No prototype: a column named __proto__ is a dimension like any other, not the object's prototype.
      const dimensions: Record<string, string> = Object.create(null) as Record<string, string>;
      this.constants.forEach((perStakeholder, i) => {
        const v = perStakeholder[s];
        if (typeof v === 'string' && v !== '') dimensions[this.dimensionNames[i]] = v;
      });
      if (pieces !== null && gapMoments === null) {
        const { arrays, table, first } = pieces;
        return { id: this.ids[s], series, instants: NO_INSTANTS, instantPieces: { arrays, table, first: first[s], pieces: first[s + 1] - first[s], skip: before, count: inRange }, dimensions };
      }
      const sorted = list.sorted();
      if (gapMoments !== null) {
        return { id: this.ids[s], series, instants: sorted, gapMoments: { count: gapMoments[3 * s], sum: gapMoments[3 * s + 1], sumSq: gapMoments[3 * s + 2] }, dimensions };
      }
      return { id: this.ids[s], series, instants: inRange === list.count ? sorted : sorted.subarray(before, before + inRange), dimensions };
    });

    const segments: SegmentInput[] = [];
    this.byDimensions.forEach((dimension, b) => {
      const names = [...this.segmentValues[b].keys()];
      const members = new Map<number, { id: string; series: DaySeries }[]>();
      const parts = this.segmentMembers[b];
      collectSeries(this.segmentCells[b], period, (m, series) => {
        const v = parts.value[m];
        const s = parts.stakeholder[m];
        let list = members.get(v);
        if (!list) members.set(v, (list = []));
        list.push({ id: this.ids[s], series });
      });
      for (const [v, list] of members) {
        list.sort((a, b2) => compareText(a.id, b2.id));
        segments.push({ dimension, value: names[v], stakeholders: list });
      }
    });
    let outOfRange = this.total - inRangeTotal;
    if (this.gapCells !== null) {
      // A rollup row is what was read, so rows are what the accounting counts.
      outOfRange = 0;
      const rows = this.rollupRowsByDay;
      for (let i = 0; i < rows.length; i++) {
        const day = i + FIRST_PLAUSIBLE_DAY;
        if (day < period.from || day > period.to) outOfRange += rows[i];
      }
    }
    return { period, stakeholders, segments, outOfRange };
  }

  /**
   * Per stakeholder, the gap count, sum and sum of squares over the days in P
   * (stride 3); null unless the ledger holds a rollup. A gap is filed under the
   * day of the interaction that ends it, so the first gap inside a narrowed
   * period still reaches back to an interaction before it.
   */
  private gapMomentsIn(period: { from: number; to: number }): Float64Array | null {
    if (this.gapCells === null) return null;
    const moments = new Float64Array(this.ids.length * 3);
    if (this.runs !== null && !this.runs.empty) {
      this.runs.addGapMoments(period, moments);
      return moments;
    }
    const { from, to } = period;
    // A block at a time: a rollup holds millions of gap cells.
    this.gapCells.forEachBlock(({ members, days, c, n, sq }, length) => {
      for (let i = 0; i < length; i++) {
        const d = days[i];
        if (d < from || d > to) continue;
        const st = 3 * members[i];
        moments[st] += c[i];
        moments[st + 1] += n[i];
        moments[st + 2] += sq[i];
      }
    });
    return moments;
  }
}
