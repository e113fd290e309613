/**
 * Remembers a 63-bit fingerprint of every row seen, to spot exact duplicates
 * (overlapping exports repeat rows). Two independent 32-bit hashes of the
 * row's fields live in two typed arrays, so the set costs about 11 bytes a
 * row and no objects. Distinct rows share a fingerprint with probability
 * about n²/2⁶⁴: around 5 in a million for ten million rows.
 */
function objectText(v: object): string {
  try {
    return JSON.stringify(v);
  } catch {
    // Too deeply nested to serialise: such rows are compared by their other fields.
    return '[nested value]';
  }
}

export class DuplicateSet {
  private cap: number;
  private mask: number;
  private hi: Uint32Array;
  private lo: Uint32Array;
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap * 0.7 < initialCapacity) cap *= 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
  }

  /** Adds the row's fields; true when an identical row was added before. */
  addRow(values: readonly unknown[]): boolean {
    // FNV-1a and a multiply-xorshift hash over the same characters, with the
    // field boundaries mixed in so ("ab","c") and ("a","bc") differ.
    let a = 0x811c9dc5;
    let b = 0x9747b28c;
    // JSON objects read before a new key appeared have a shorter list: trailing gaps do not count.
    let n = values.length;
    while (n > 0 && values[n - 1] === undefined) n--;
    for (let f = 0; f < n; f++) {
      const v = values[f];
      const text = typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? objectText(v) : String(v);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995);
        b ^= b >>> 15;
      }
      a = Math.imul(a ^ 0x1f, 0x01000193);
      b = Math.imul(b ^ (0x100 + (v === null || v === undefined ? 1 : typeof v === 'string' ? 2 : 3)), 0x5bd1e995);
      b ^= b >>> 13;
    }
    b = Math.imul(b ^ n, 0x85ebca6b);
    b ^= b >>> 16;
    // A zero `hi` marks an empty slot.
    return this.insert((a | 1) >>> 0, b >>> 0);
  }

  private insert(h: number, l: number): boolean {
    let i = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
    for (;;) {
      const k = this.hi[i];
      if (k === 0) {
        this.hi[i] = h;
        this.lo[i] = l;
        if (++this.size > this.cap * 0.7) this.grow();
        return false;
      }
      if (k === h && this.lo[i] === l) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const { hi, lo } = this;
    this.cap *= 2;
    this.mask = this.cap - 1;
    this.hi = new Uint32Array(this.cap);
    this.lo = new Uint32Array(this.cap);
    this.size = 0;
    for (let i = 0; i < hi.length; i++) if (hi[i] !== 0) this.insert(hi[i], lo[i]);
  }
}
