import { CellTable } from './cell-table.js';

/** lastDay of a member with no run yet: below every day the parser accepts. */
const NONE = -2_147_483_648;

/** Cells per chunk: appending never copies, and memory is touched once (page faults dominate growth here). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;

interface Chunk {
  members: Int32Array;
  days: Int32Array;
  c: Float64Array;
  n: Float64Array;
  sq: Float64Array;
}

function newChunk(): Chunk {
  return { members: new Int32Array(CHUNK), days: new Int32Array(CHUNK), c: new Float64Array(CHUNK), n: new Float64Array(CHUNK), sq: new Float64Array(CHUNK) };
}

/**
 * (member, day) → c, n, Σw², built for logs that arrive in time order (exports
 * usually do, and rollups come sorted by stakeholder and day). Each member's
 * cells are appended while its days keep rising, so a row touches only the
 * member's newest cell, which is still in cache, instead of a random slot of a
 * hash table as large as the log. A row older than its member's newest cell
 * goes to a CellTable instead, so any order works; the same (member, day) may
 * then sit in both parts, and readers sum them (see collectSeries).
 */
export class CellStore {
  private lastDay = new Int32Array(1024).fill(NONE);
  private lastSlot = new Int32Array(1024);
  private readonly chunks: Chunk[] = [];
  private size = 0;
  private readonly spill = new CellTable(1 << 10);

  /** Adds a whole cell's sums. */
  addCell(member: number, day: number, c: number, n: number, sq: number): void {
    if (member >= this.lastDay.length) this.growMembers(member);
    const last = this.lastDay[member];
    if (day === last) {
      const k = this.lastSlot[member];
      const ch = this.chunks[k >>> CHUNK_BITS];
      const i = k & MASK;
      ch.c[i] += c;
      ch.n[i] += n;
      ch.sq[i] += sq;
      return;
    }
    if (day > last) {
      const k = this.size++;
      const i = k & MASK;
      if (i === 0) this.chunks.push(newChunk());
      const ch = this.chunks[k >>> CHUNK_BITS];
      ch.members[i] = member;
      ch.days[i] = day;
      ch.c[i] = c;
      ch.n[i] = n;
      ch.sq[i] = sq;
      this.lastDay[member] = day;
      this.lastSlot[member] = k;
      return;
    }
    this.spill.addCell(member, day, c, n, sq);
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
