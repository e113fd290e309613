/**
 * An open-addressing hash table from (stakeholder, day, value) to the sums
 * c, n and Σw², in typed arrays: one cell costs about 40 bytes and no garbage-
 * collected object, which is what lets tens of millions of rows aggregate
 * without the heap growing with them.
 */
export class CellTable {
  private cap: number;
  private mask: number;
  size = 0;
  keyS: Int32Array;
  keyD: Int32Array;
  keyV: Int32Array;
  c: Float64Array;
  n: Float64Array;
  sq: Float64Array;
  /** Slot of the i-th inserted cell, so cells can be walked in insertion order without scanning empties. */
  private order: Int32Array;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.keyS = new Int32Array(cap).fill(-1);
    this.keyD = new Int32Array(cap);
    this.keyV = new Int32Array(cap);
    this.c = new Float64Array(cap);
    this.n = new Float64Array(cap);
    this.sq = new Float64Array(cap);
    this.order = new Int32Array(cap >> 1);
  }

  private static hash(s: number, d: number, v: number): number {
    let h = Math.imul(s, 0x9e3779b1) ^ Math.imul(d + 0x7f4a7c15, 0x85ebca77) ^ Math.imul(v + 1, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h >>> 0;
  }

  add(s: number, d: number, v: number, weight: number): void {
    let i = CellTable.hash(s, d, v) & this.mask;
    const keyS = this.keyS;
    for (;;) {
      const ks = keyS[i];
      if (ks === -1) break;
      if (ks === s && this.keyD[i] === d && this.keyV[i] === v) {
        this.c[i] += 1;
        this.n[i] += weight;
        this.sq[i] += weight * weight;
        return;
      }
      i = (i + 1) & this.mask;
    }
    keyS[i] = s;
    this.keyD[i] = d;
    this.keyV[i] = v;
    this.c[i] = 1;
    this.n[i] = weight;
    this.sq[i] = weight * weight;
    this.order[this.size++] = i;
    if (this.size * 2 >= this.cap) this.grow();
  }

  /** Adds a whole cell (for merging tables built in parallel). */
  addCell(s: number, d: number, v: number, c: number, n: number, sq: number): void {
    let i = CellTable.hash(s, d, v) & this.mask;
    for (;;) {
      const ks = this.keyS[i];
      if (ks === -1) break;
      if (ks === s && this.keyD[i] === d && this.keyV[i] === v) {
        this.c[i] += c;
        this.n[i] += n;
        this.sq[i] += sq;
        return;
      }
      i = (i + 1) & this.mask;
    }
    this.keyS[i] = s;
    this.keyD[i] = d;
    this.keyV[i] = v;
    this.c[i] = c;
    this.n[i] = n;
    this.sq[i] = sq;
    this.order[this.size++] = i;
    if (this.size * 2 >= this.cap) this.grow();
  }

  private grow(): void {
    const old = { keyS: this.keyS, keyD: this.keyD, keyV: this.keyV, c: this.c, n: this.n, sq: this.sq, order: this.order, size: this.size };
    this.cap *= 2;
    this.mask = this.cap - 1;
    this.keyS = new Int32Array(this.cap).fill(-1);
    this.keyD = new Int32Array(this.cap);
    this.keyV = new Int32Array(this.cap);
    this.c = new Float64Array(this.cap);
    this.n = new Float64Array(this.cap);
    this.sq = new Float64Array(this.cap);
    this.order = new Int32Array(this.cap >> 1);
    this.size = 0;
    for (let k = 0; k < old.size; k++) {
      const j = old.order[k];
      this.addCell(old.keyS[j], old.keyD[j], old.keyV[j], old.c[j], old.n[j], old.sq[j]);
    }
  }

  /** Slots of the cells, in insertion order. */
  slots(): Int32Array {
    return this.order.subarray(0, this.size);
  }
}
