import type { DaySeries } from '../analysis/types.js';
import { sumColumns } from './rollup-columns.js';

/** A stakeholder with no run yet. */
const NONE = -1;
/** What a filed batch's slots hold until replay() empties the lists. */
const NO_DAYS = new Int32Array(0);
const NO_SUMS = new Float64Array(0);

/**
 * Rollup rows kept as the batches that brought them, for as long as every
 * stakeholder's rows form one stretch of the input with rising days: a rollup
 * sorted by stakeholder and day, as the generated queries (and DuckDB reading
 * their output) give it. A batch's columns are then already its stakeholders'
 * series, so nothing is filed row by row, and the snapshot hands out views of
 * them. The first batch that breaks the pattern is refused, and the ledger
 * files everything kept so far into its cell stores instead (replay).
 *
 * A batch brings `rows` rows: stakeholder positions, days, and the six sums by
 * column (sum j of row k at sumColumns(volumeIsCount)[j] * rows + k, as in RollupBatch).
 */
export class RollupRuns {
  private readonly days: Int32Array[] = [];
  private readonly sums: Float64Array[] = [];
  private readonly rows: number[] = [];
  /** Per batch, whether volume and volume_sq are kept in the interactions' column. */
  private readonly volumeIsCount: boolean[] = [];
  /**
   * Segments in arrival order: a stretch [start, end) of one batch's rows, all
   * one stakeholder's. A stakeholder's run is contiguous in the input, so its
   * segments (one per batch it spans) are consecutive here.
   */
  private readonly segBatch: number[] = [];
  private readonly segStart: number[] = [];
  private readonly segEnd: number[] = [];
  private readonly segMember: number[] = [];
  /** Per stakeholder, its first and last segment; NONE before its run starts. */
  private firstSeg = new Int32Array(1024).fill(NONE);
  private lastSeg = new Int32Array(1024).fill(NONE);
  /** Per stakeholder, the last batch checked that started its run (add() refuses a second start within a batch). */
  private startedIn = new Int32Array(1024).fill(NONE);
  /** The stakeholder whose run the last row kept belongs to, and that row's day. */
  private current = NONE;
  private lastDay = 0;

  get empty(): boolean {
    return this.days.length === 0;
  }

  /**
   * Keeps the batch (its arrays, not copies) if it continues the pattern: each
   * row's stakeholder is the previous row's with a later day, or one whose run
   * has not started. Otherwise keeps nothing and returns false.
   */
  add(members: Int32Array, days: Int32Array, sums: Float64Array, rows: number, volumeIsCount = false): boolean {
    // Each loop is a method of its own: a loop that V8 optimizes on the stack (OSR) in a
    // longer method met the code after it without type feedback, and was undone on every batch.
    if (rows === 0) return true;
    if (!this.fits(members, days, rows)) return false;
    this.cut(members, days, rows);
    this.days.push(days);
    this.sums.push(sums);
    this.rows.push(rows);
    this.volumeIsCount.push(volumeIsCount);
    return true;
  }

  /** Whether the batch continues the pattern; marks the runs it would start as started in it. */
  private fits(members: Int32Array, days: Int32Array, rows: number): boolean {
    const b = this.days.length;
    const top = largest(members, rows);
    if (top >= this.firstSeg.length) this.growMembers(top);
    const { firstSeg, startedIn } = this;
    let current = this.current;
    let lastDay = this.lastDay;
    for (let k = 0; k < rows; k++) {
      const m = members[k];
      const d = days[k];
      if (m === current) {
        if (!(d > lastDay)) return false;
      } else {
        if (firstSeg[m] !== NONE || startedIn[m] === b) return false;
        startedIn[m] = b;
        current = m;
      }
      lastDay = d;
    }
    return true;
  }

  /** Cuts a batch that fits into segments, one per stretch of a stakeholder's rows. */
  private cut(members: Int32Array, days: Int32Array, rows: number): void {
    const b = this.days.length;
    // Before the loop: code after a loop optimized on the stack has no type feedback yet.
    this.current = members[rows - 1];
    this.lastDay = days[rows - 1];
    const { firstSeg, lastSeg, segBatch, segStart, segEnd, segMember } = this;
    let k = 0;
    while (k < rows) {
      const m = members[k];
      let end = k + 1;
      while (end < rows && members[end] === m) end++;
      const seg = segBatch.length;
      segBatch.push(b);
      segStart.push(k);
      segEnd.push(end);
      segMember.push(m);
      if (firstSeg[m] === NONE) firstSeg[m] = seg;
      lastSeg[m] = seg;
      k = end;
    }
  }

  /**
   * Hands every kept batch, in order, with its rows' stakeholder positions, to
   * `file`, and lets go of each once filed: the rollup is never held twice,
   * as batches and as cells, while the cell stores fill. The runs are spent
   * after it (the ledger drops them).
   */
  replay(file: (members: Int32Array, days: Int32Array, sums: Float64Array, rows: number, volumeIsCount: boolean) => void): void {
    let seg = 0;
    const batches = this.days.length;
    for (let b = 0; b < batches; b++) {
      const members = new Int32Array(this.rows[b]);
      for (; seg < this.segBatch.length && this.segBatch[seg] === b; seg++) members.fill(this.segMember[seg], this.segStart[seg], this.segEnd[seg]);
      file(members, this.days[b], this.sums[b], this.rows[b], this.volumeIsCount[b]);
      this.days[b] = NO_DAYS;
      this.sums[b] = NO_SUMS;
    }
  }

  /**
   * Each stakeholder's series of the days in P, in the order their runs
   * started: views of a batch's columns when those days lie in one batch,
   * otherwise copies (side by side in four shared arrays). Stakeholders with
   * no day in P are left out.
   */
  collectSeries(period: { from: number; to: number }, visit: (member: number, series: DaySeries) => void): void {
    const { from, to } = period;
    const n = this.segBatch.length;
    // Per segment, its rows inside P.
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    for (let seg = 0; seg < n; seg++) {
      const days = this.days[this.segBatch[seg]];
      lo[seg] = lowerBound(days, this.segStart[seg], this.segEnd[seg], from);
      hi[seg] = upperBound(days, lo[seg], this.segEnd[seg], to);
    }
    let copied = 0;
    this.forEachRun((first, last) => {
      let inside = 0;
      let parts = 0;
      for (let seg = first; seg <= last; seg++) {
        if (hi[seg] > lo[seg]) parts++;
        inside += hi[seg] - lo[seg];
      }
      if (parts > 1) copied += inside;
    });
    const all = { days: new Int32Array(copied), counts: new Float64Array(copied), volumes: new Float64Array(copied), squares: new Float64Array(copied) };
    let at = 0;
    this.forEachRun((first, last, member) => {
      let parts = 0;
      let only = -1;
      for (let seg = first; seg <= last; seg++) {
        if (hi[seg] > lo[seg]) {
          parts++;
          only = seg;
        }
      }
      if (parts === 0) return;
      if (parts === 1) {
        const b = this.segBatch[only];
        const rows = this.rows[b];
        const x = this.sums[b];
        const c = sumColumns(this.volumeIsCount[b]);
        const s0 = lo[only];
        const s1 = hi[only];
        visit(member, {
          days: this.days[b].subarray(s0, s1),
          counts: x.subarray(c[0] * rows + s0, c[0] * rows + s1),
          volumes: x.subarray(c[1] * rows + s0, c[1] * rows + s1),
          squares: x.subarray(c[2] * rows + s0, c[2] * rows + s1),
        });
        return;
      }
      const start = at;
      for (let seg = first; seg <= last; seg++) {
        const b = this.segBatch[seg];
        const rows = this.rows[b];
        const x = this.sums[b];
        const c = sumColumns(this.volumeIsCount[b]);
        const s0 = lo[seg];
        const s1 = hi[seg];
        all.days.set(this.days[b].subarray(s0, s1), at);
        all.counts.set(x.subarray(c[0] * rows + s0, c[0] * rows + s1), at);
        all.volumes.set(x.subarray(c[1] * rows + s0, c[1] * rows + s1), at);
        all.squares.set(x.subarray(c[2] * rows + s0, c[2] * rows + s1), at);
        at += s1 - s0;
      }
      visit(member, {
        days: all.days.subarray(start, at),
        counts: all.counts.subarray(start, at),
        volumes: all.volumes.subarray(start, at),
        squares: all.squares.subarray(start, at),
      });
    });
  }

  /**
   * Adds each stakeholder's gap count, sum and sum of squares over the days in
   * P to moments (stride 3), row by row in input order, skipping rows without
   * gaps: the additions a cell store of the same rows makes.
   */
  addGapMoments(period: { from: number; to: number }, moments: Float64Array): void {
    const { from, to } = period;
    for (let seg = 0; seg < this.segBatch.length; seg++) {
      const b = this.segBatch[seg];
      const days = this.days[b];
      const rows = this.rows[b];
      const x = this.sums[b];
      const col = sumColumns(this.volumeIsCount[b]);
      const count = col[3] * rows;
      const sum = col[4] * rows;
      const squares = col[5] * rows;
      const st = 3 * this.segMember[seg];
      for (let k = this.segStart[seg]; k < this.segEnd[seg]; k++) {
        const d = days[k];
        const c = x[count + k];
        if (d < from || d > to || !(c > 0)) continue;
        moments[st] += c;
        moments[st + 1] += x[sum + k];
        moments[st + 2] += x[squares + k];
      }
    }
  }

  /** Calls `visit` with each run's first and last segment and its stakeholder, in the order the runs started. */
  private forEachRun(visit: (first: number, last: number, member: number) => void): void {
    for (let seg = 0; seg < this.segBatch.length; ) {
      const m = this.segMember[seg];
      const last = this.lastSeg[m];
      visit(seg, last, m);
      seg = last + 1;
    }
  }

  private growMembers(member: number): void {
    let len = this.firstSeg.length;
    while (len <= member) len *= 2;
    const widen = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const out = new Int32Array(len).fill(NONE);
      out.set(a);
      return out;
    };
    this.firstSeg = widen(this.firstSeg);
    this.lastSeg = widen(this.lastSeg);
    this.startedIn = widen(this.startedIn);
  }
}

/** The largest of a[0..n), or −1 for none (a loop of its own, as RollupRuns.add explains). */
function largest(a: Int32Array, n: number): number {
  let top = -1;
  for (let k = 0; k < n; k++) if (a[k] > top) top = a[k];
  return top;
}

/**
 * The first index in [start, end) whose day is not below `day` (days rise
 * there), or end. Written as the negation of the filter the cell stores apply
 * (a day d is in P unless d < from or d > to), so a bound that is not an
 * integer, or NaN, selects the same days here as there.
 */
function lowerBound(days: Int32Array, start: number, end: number, day: number): number {
  let a = start;
  let b = end;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (days[mid] < day) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** The first index in [start, end) whose day is above `day` (days rise there), or end; see lowerBound. */
function upperBound(days: Int32Array, start: number, end: number, day: number): number {
  let a = start;
  let b = end;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (days[mid] > day) b = mid;
    else a = mid + 1;
  }
  return a;
}
