/** Slot layout: packed key, c, n, Σw². */
const STRIDE = 4;
/** Keys are always positive (see DAY_SHIFT), so a fresh, zero-filled array is already empty. */
const EMPTY = 0;
/** Days are stored shifted into (0, 2^18): 1611 to 2328 fit, beyond the 1900–2200 the parser accepts. */
const DAY_SHIFT = 131_072;
const DAY_SPAN = 262_144;

/**
 * An open-addressing hash table from (member, day) to the sums c, n and Σw²,
 * where a member is a stakeholder (or a stakeholder within one segment value):
 * the part of a CellStore that takes rows arriving out of day order. Each slot
 * is four doubles side by side, key first, so an update touches one cache
 * line, and no cell is a garbage-collected object (about 40 bytes a cell at
 * the 0.75 load factor).
 */
export class CellTable {
  private cap: number;
  private mask: number;
  size = 0;
  private data: Float64Array;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap * 0.75 < initialCapacity) cap *= 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.data = CellTable.emptyData(cap);
  }

  private static emptyData(cap: number): Float64Array {
    return new Float64Array(cap * STRIDE);
  }

  private static hash(key: number): number {
    // Both halves of the (integral, < 2^53) key feed the mix.
    let h = (Math.imul(key | 0, 0x9e3779b1) + Math.imul((key / 4294967296) | 0, 0x85ebca77)) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b);
    h ^= h >>> 16;
    return h >>> 0;
  }

  /** Adds a whole cell's sums. */
  addCell(member: number, day: number, c: number, n: number, sq: number): void {
    this.addKey(member * DAY_SPAN + day + DAY_SHIFT, c, n, sq);
  }

  private addKey(key: number, c: number, n: number, sq: number): void {
    const data = this.data;
    let i = CellTable.hash(key) & this.mask;
    for (;;) {
      const o = i * STRIDE;
      const k = data[o];
      if (k === key) {
        data[o + 1] += c;
        data[o + 2] += n;
        data[o + 3] += sq;
        return;
      }
      if (k === EMPTY) {
        data[o] = key;
        data[o + 1] = c;
        data[o + 2] = n;
        data[o + 3] = sq;
        if (++this.size >= this.cap * 0.75) this.grow();
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.data;
    this.cap *= 2;
    this.mask = this.cap - 1;
    this.data = CellTable.emptyData(this.cap);
    this.size = 0;
    // The old slots are read in memory order: only the writes land at random.
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o] !== EMPTY) this.addKey(old[o], old[o + 1], old[o + 2], old[o + 3]);
    }
  }

  /**
   * Calls `visit` for every cell, in slot order (not insertion order): walking
   * the array front to back is what keeps tens of millions of cells fast.
   */
  forEach(visit: (member: number, day: number, c: number, n: number, sq: number) => void): void {
    const data = this.data;
    for (let o = 0; o < data.length; o += STRIDE) {
      const key = data[o];
      if (key === EMPTY) continue;
      const member = Math.floor(key / DAY_SPAN);
      visit(member, key - member * DAY_SPAN - DAY_SHIFT, data[o + 1], data[o + 2], data[o + 3]);
    }
  }
}
