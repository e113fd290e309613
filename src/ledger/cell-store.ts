import { CellTable } from './cell-table.js';
import { sameAsCount, volumeIsCount } from './rollup-columns.js';

/** lastDay of a member with no run yet: below every day the parser accepts. */
const NONE = -2_147_483_648;

/** Cells per chunk: appending never copies, and memory is touched once (page faults dominate growth here). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

/**
 * Cells side by side; a block handed to forEachBlock is valid up to the length
 * given with it. `n` and `sq` may be the very array `c` (see CellStore).
 */
export interface CellBlock {
  members: Int32Array;
  days: Int32Array;
  c: Float64Array;
  n: Float64Array;
  sq: Float64Array;
}

function newChunk(shared: boolean): CellBlock {
  const c = new Float64Array(CHUNK);
  return { members: new Int32Array(CHUNK), days: new Int32Array(CHUNK), c, n: shared ? c : new Float64Array(CHUNK), sq: shared ? c : new Float64Array(CHUNK) };
}

/**
 * (member, day) → c, n, Σw², built for logs that arrive in time order (exports
 * usually do, and rollups come sorted by stakeholder and day). Each member's
 * cells are appended while its days keep rising, so a row touches only the
 * member's newest cell, which is still in cache, instead of a random slot of a
 * hash table as large as the log. A row older than its member's newest cell
 * goes to a CellTable instead, so any order works; the same (member, day) may
 * then sit in both parts, and readers sum them (see collectSeries).
 *
 * Without weights every cell's n and Σw² equal its c. While no cell has been
 * added otherwise, the chunks keep one array for the three (a chunk's n and sq
 * are its c): 16 of a cell's 32 bytes, and memory first touched costs about
 * 10 µs a page on the VM the benchmarks run on. The first cell that differs
 * gives every chunk arrays of its own (copies of c, which the sums equalled).
 */
export class CellStore {
  private lastDay = new Int32Array(1024).fill(NONE);
  private lastSlot = new Int32Array(1024);
  private readonly chunks: CellBlock[] = [];
  private size = 0;
  private readonly spill = new CellTable(1 << 10);
  private shared: boolean;

  /** `mayShare`: whether n and sq may start as c's array (not for gap sums, which never equal their counts). */
  constructor(mayShare = true) {
    this.shared = mayShare;
  }

  /** Adds a whole cell's sums. */
  addCell(member: number, day: number, c: number, n: number, sq: number): void {
    if (this.shared && !sameAsCount(c, n, sq)) this.unshare();
    if (member >= this.lastDay.length) this.growMembers(member);
    const last = this.lastDay[member];
    if (day === last) {
      const k = this.lastSlot[member];
      const ch = this.chunks[k >>> CHUNK_BITS];
      const i = k & MASK;
      ch.c[i] += c;
      if (ch.n !== ch.c) {
        ch.n[i] += n;
        ch.sq[i] += sq;
      }
      return;
    }
    if (day > last) {
      const k = this.size++;
      const i = k & MASK;
      if (i === 0 && k === this.chunks.length * CHUNK) this.chunks.push(newChunk(this.shared));
      const ch = this.chunks[k >>> CHUNK_BITS];
      ch.members[i] = member;
      ch.days[i] = day;
      // Shared, these write c's slot three times with the same value.
      ch.c[i] = c;
      ch.n[i] = n;
      ch.sq[i] = sq;
      this.lastDay[member] = day;
      this.lastSlot[member] = k;
      return;
    }
    this.spill.addCell(member, day, c, n, sq);
  }

  /** Gives every chunk n and sq arrays of its own, copies of c (which they equalled), and stops sharing. */
  private unshare(): void {
    this.shared = false;
    for (const ch of this.chunks) {
      ch.n = ch.c.slice();
      ch.sq = ch.c.slice();
    }
  }

  /**
   * addCell for rows k in [0, rows) with sums c[k], n[k], sq[k], in the same
   * order: one loop with the store's arrays in locals, for a batch of rollup
   * rows. With `skipEmpty`, a row whose c is not positive adds no cell (a rollup row without gaps).
   */
  addCells(members: Int32Array, days: Int32Array, cs: Float64Array, ns: Float64Array, sqs: Float64Array, rows: number, skipEmpty: boolean): void {
    if (this.shared && !volumeIsCount(cs, ns, sqs, rows)) this.unshare();
    let top = -1;
    for (let k = 0; k < rows; k++) if (members[k] > top) top = members[k];
    if (top >= this.lastDay.length) this.growMembers(top);
    const lastDay = this.lastDay;
    const lastSlot = this.lastSlot;
    const chunks = this.chunks;
    // Chunks for every row that could open a cell, made before the loop: a chunk opened inside
    // it (once in 65,536 cells) met optimized code without feedback for that branch, and undid it.
    while (chunks.length * CHUNK < this.size + rows) chunks.push(newChunk(this.shared));
    for (let k = 0; k < rows; k++) {
      const c = cs[k];
      if (skipEmpty && !(c > 0)) continue;
      const member = members[k];
      const day = days[k];
      const last = lastDay[member];
      if (day === last) {
        const slot = lastSlot[member];
        const ch = chunks[slot >>> CHUNK_BITS];
        const i = slot & MASK;
        ch.c[i] += c;
        if (ch.n !== ch.c) {
          ch.n[i] += ns[k];
          ch.sq[i] += sqs[k];
        }
      } else if (day > last) {
        const slot = this.size++;
        const i = slot & MASK;
        const ch = chunks[slot >>> CHUNK_BITS];
        ch.members[i] = member;
        ch.days[i] = day;
        ch.c[i] = c;
        ch.n[i] = ns[k];
        ch.sq[i] = sqs[k];
        lastDay[member] = day;
        lastSlot[member] = slot;
      } else this.spill.addCell(member, day, c, ns[k], sqs[k]);
    }
  }

  /**
   * Calls `visit` for every stored cell: the appended runs in arrival order
   * (each member's days rising), then the out-of-order cells. A (member, day)
   * may be visited twice, once from each part.
   */
  forEach(visit: (member: number, day: number, c: number, n: number, sq: number) => void): void {
    for (let k = 0; k < this.size; k++) {
      const ch = this.chunks[k >>> CHUNK_BITS];
      const i = k & MASK;
      visit(ch.members[i], ch.days[i], ch.c[i], ch.n[i], ch.sq[i]);
    }
    this.spill.forEach(visit);
  }

  /**
   * The same cells as forEach, a block at a time (loops over typed arrays
   * instead of a call per cell): the appended chunks, then the out-of-order cells.
   */
  forEachBlock(visit: (block: CellBlock, length: number) => void): void {
    // Chunks past the last cell (made ahead by addCells) hold nothing yet.
    for (let k = 0; k * CHUNK < this.size; k++) visit(this.chunks[k], Math.min(CHUNK, this.size - k * CHUNK));
    const n = this.spill.size;
    if (n === 0) return;
    const block: CellBlock = { members: new Int32Array(n), days: new Int32Array(n), c: new Float64Array(n), n: new Float64Array(n), sq: new Float64Array(n) };
    let i = 0;
    this.spill.forEach((m, d, c, v, sq) => {
      block.members[i] = m;
      block.days[i] = d;
      block.c[i] = c;
      block.n[i] = v;
      block.sq[i] = sq;
      i++;
    });
    visit(block, i);
  }

  /** Whether every cell so far had n and sq equal to its c: a chunk's n and sq are then its c array. */
  get volumesAreCounts(): boolean {
    return this.shared;
  }

  /** Every member added so far is below this. */
  get memberBound(): number {
    return this.lastDay.length;
  }

  private growMembers(member: number): void {
    let len = this.lastDay.length;
    while (len <= member) len *= 2;
    const lastDay = new Int32Array(len).fill(NONE);
    lastDay.set(this.lastDay);
    const lastSlot = new Int32Array(len);
    lastSlot.set(this.lastSlot);
    this.lastDay = lastDay;
    this.lastSlot = lastSlot;
  }
}
