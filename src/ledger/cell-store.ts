import { CellTable } from './cell-table.js';

/** lastDay of a member with no run yet: below every day the parser accepts. */
const NONE = -2_147_483_648;

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
  private members = new Int32Array(4096);
  private days = new Int32Array(4096);
  private c = new Float64Array(4096);
  private n = new Float64Array(4096);
  private sq = new Float64Array(4096);
  private size = 0;
  private readonly spill = new CellTable(1 << 10);

  /** Adds one interaction of weight `w`. */
  add(member: number, day: number, w: number): void {
    this.addCell(member, day, 1, w, w * w);
  }

  /** Adds a whole cell's sums. */
  addCell(member: number, day: number, c: number, n: number, sq: number): void {
    if (member >= this.lastDay.length) this.growMembers(member);
    const last = this.lastDay[member];
    if (day === last) {
      const k = this.lastSlot[member];
      this.c[k] += c;
      this.n[k] += n;
      this.sq[k] += sq;
      return;
    }
    if (day > last) {
      if (this.size === this.days.length) this.growCells();
      const k = this.size++;
      this.members[k] = member;
      this.days[k] = day;
      this.c[k] = c;
      this.n[k] = n;
      this.sq[k] = sq;
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
    for (let k = 0; k < this.size; k++) visit(this.members[k], this.days[k], this.c[k], this.n[k], this.sq[k]);
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

  private growCells(): void {
    const len = this.days.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(len);
      b.set(a);
      return b;
    };
    this.members = grow(this.members, (k) => new Int32Array(k));
    this.days = grow(this.days, (k) => new Int32Array(k));
    this.c = grow(this.c, (k) => new Float64Array(k));
    this.n = grow(this.n, (k) => new Float64Array(k));
    this.sq = grow(this.sq, (k) => new Float64Array(k));
  }
}
