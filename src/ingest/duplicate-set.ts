import { nestedText } from './validate-row.js';

/** Value kinds the fingerprint tells apart, so 1 and "1", or null and "", differ. */
export const MISSING = 1; // null, or a key a JSON object lacks
export const TEXT = 2;
export const TOKEN = 3; // a number or boolean, whose text is its JSON token

/** The last fingerprint computed, as two 32-bit halves (module state, so no pair is allocated per row). */
let fpHi = 0;
let fpLo = 0;

/**
 * A 63-bit fingerprint of a row's fields into fpHi/fpLo: FNV-1a and a
 * polynomial hash over the same characters, with the field boundaries and
 * value types mixed in so ("ab","c") and ("a","bc"), or 1 and "1", differ.
 * fpHi is never zero, which the set below uses to mark empty slots.
 */
function fingerprint(values: readonly unknown[]): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  // JSON objects read before a new key appeared have a shorter list: trailing gaps do not count.
  let n = values.length;
  while (n > 0 && values[n - 1] === undefined) n--;
  for (let f = 0; f < n; f++) {
    const v = values[f];
    const text = typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? nestedText(v) : String(v);
    // Two UTF-16 units a step: this runs on every character of every row.
    const len = text.length;
    let i = 0;
    for (; i + 1 < len; i += 2) {
      const w = text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16);
      a = Math.imul(a ^ w, 0x01000193);
      // A multiply-add is half the work of a second FNV lane; fields are mixed fully below.
      b = (Math.imul(b, 0x2f0b3f3b) + w) | 0;
    }
    if (i < len) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = (Math.imul(b, 0x2f0b3f3b) + c) | 0;
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ (0x100 + (v === null || v === undefined ? MISSING : typeof v === 'string' ? TEXT : TOKEN)), 0x5bd1e995);
    b ^= b >>> 13;
  }
  b = Math.imul(b ^ n, 0x85ebca6b);
  b ^= b >>> 16;
  fpHi = (a | 1) >>> 0;
  fpLo = b >>> 0;
}

/**
 * The same fingerprint as fingerprint() gives a record of `nf` values when
 * value f's text is the ASCII bytes b[start[f]..end[f]): for ASCII a byte is
 * a UTF-16 unit, so a worker reading plain fields needs no strings to make it.
 * `kinds[f]` is the value's kind (MISSING, TEXT, TOKEN); without it every
 * value is text, as in CSV. Written at `out[2 * at]` as
 * writeFingerprint does.
 */
export function writeFingerprintOfBytes(
  b: Uint8Array,
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  nf: number,
  out: Uint32Array,
  at: number,
  kinds?: Uint8Array,
): void {
  let a = 0x811c9dc5;
  let h = 0x9747b28c;
  for (let f = 0; f < nf; f++) {
    const e = end[f];
    let i = start[f];
    for (; i + 1 < e; i += 2) {
      const w = b[i] | (b[i + 1] << 16);
      a = Math.imul(a ^ w, 0x01000193);
      h = (Math.imul(h, 0x2f0b3f3b) + w) | 0;
    }
    if (i < e) {
      a = Math.imul(a ^ b[i], 0x01000193);
      h = (Math.imul(h, 0x2f0b3f3b) + b[i]) | 0;
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    h = Math.imul(h ^ (0x100 + (kinds === undefined ? TEXT : kinds[f])), 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ nf, 0x85ebca6b);
  h ^= h >>> 16;
  out[2 * at] = (a | 1) >>> 0;
  out[2 * at + 1] = h >>> 0;
}

/** Writes the row's fingerprint (two 32-bit halves) at `out[2 * at]`, for rows fingerprinted in a worker thread. */
export function writeFingerprint(values: readonly unknown[], out: Uint32Array, at: number): void {
  fingerprint(values);
  out[2 * at] = fpHi;
  out[2 * at + 1] = fpLo;
}

/**
 * Spots exact duplicates as rows arrive, for --dedupe, which must drop a
 * repeat before it is counted. Fingerprints (above) sit as (hi, lo) pairs in
 * one typed array, about 11 bytes a row and no objects. Distinct rows share a
 * fingerprint with probability about n²/2⁶⁴: around 5 in a million for ten
 * million rows. The price is one random memory access a row, which is why
 * merely counting duplicates uses FingerprintLog instead.
 */
export class DuplicateSet {
  private cap: number;
  private mask: number;
  /** (hi, lo) pairs side by side, so a probe touches one cache line. */
  private slots: Uint32Array;
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap * 0.7 < initialCapacity) cap *= 2;
    this.cap = cap;
    this.mask = cap - 1;
    this.slots = new Uint32Array(cap * 2);
  }

  /** Adds the row's fields; true when an identical row was added before. */
  addRow(values: readonly unknown[]): boolean {
    fingerprint(values);
    return this.insert(fpHi, fpLo);
  }

  private insert(h: number, l: number): boolean {
    const slots = this.slots;
    let i = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
    for (;;) {
      const k = slots[2 * i];
      if (k === 0) {
        slots[2 * i] = h;
        slots[2 * i + 1] = l;
        if (++this.size > this.cap * 0.7) this.grow();
        return false;
      }
      if (k === h && slots[2 * i + 1] === l) return true;
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.cap *= 2;
    this.mask = this.cap - 1;
    this.slots = new Uint32Array(this.cap * 2);
    this.size = 0;
    for (let o = 0; o < old.length; o += 2) if (old[o] !== 0) this.insert(old[o], old[o + 1]);
  }
}

/** Buckets by the top byte of a fingerprint's first half, each counted on its own at the end. */
const BUCKETS = 256;
/** Fingerprints in a bucket's largest chunk (512 KB). */
const CHUNK = 1 << 16;

/** Fingerprints (pairs of halves) in FingerprintLog's bucket order: bucket b's pairs end at `ends[b]`. */
export interface BucketedFingerprints {
  pairs: Uint32Array;
  ends: Int32Array;
}

/** The first n fingerprints of `pairs`, bucket by bucket (a counting sort by the top byte), for FingerprintLog.addBucketed. */
export function bucketed(pairs: Uint32Array, n: number): BucketedFingerprints {
  const ends = new Int32Array(BUCKETS);
  for (let k = 0; k < n; k++) ends[pairs[2 * k] >>> 24]++;
  const at = new Int32Array(BUCKETS);
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    at[b] = sum;
    sum += ends[b];
    ends[b] = sum;
  }
  const out = new Uint32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const hi = pairs[2 * k];
    const i = at[hi >>> 24]++;
    out[2 * i] = hi;
    out[2 * i + 1] = pairs[2 * k + 1];
  }
  return { pairs: out, ends };
}

/**
 * Counts exact duplicates when they are kept (the default): the same
 * fingerprints as DuplicateSet, appended (8 bytes a row) to one of 256
 * buckets by their top byte, and each bucket's distinct ones counted at the
 * end in a hash set the size of that bucket, small enough to stay in cache
 * (one set of ten million would miss the cache on almost every row). Equal
 * fingerprints share a bucket, so it counts exactly what DuplicateSet would
 * have flagged, at a fraction of the cost.
 */
export class FingerprintLog {
  /** Per bucket, its full chunks: (hi, lo) pairs side by side. */
  private readonly full: Uint32Array[][] = Array.from({ length: BUCKETS }, () => []);
  /** Per bucket, the chunk being filled, and how many pairs it holds. */
  private readonly chunks: Uint32Array[] = Array.from({ length: BUCKETS }, () => new Uint32Array(128));
  private readonly used = new Int32Array(BUCKETS);

  addRow(values: readonly unknown[]): void {
    fingerprint(values);
    this.addFingerprint(fpHi, fpLo);
  }

  /**
   * Records fingerprints that a parse worker has laid out bucket by bucket
   * (bucketed()): each bucket's part is kept where it is, as a view, so the
   * thread that owns the log copies nothing per row.
   */
  addBucketed({ pairs, ends }: BucketedFingerprints): void {
    let from = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const to = ends[b];
      if (to > from) this.full[b].push(pairs.subarray(2 * from, 2 * to));
      from = to;
    }
  }

  /** Records a fingerprint computed elsewhere (by writeFingerprint). */
  addFingerprint(hi: number, lo: number): void {
    const b = hi >>> 24;
    let at = this.used[b];
    let chunk = this.chunks[b];
    if (2 * at === chunk.length) {
      chunk = this.nextChunk(b);
      at = 0;
    }
    chunk[2 * at] = hi;
    chunk[2 * at + 1] = lo;
    this.used[b] = at + 1;
  }

  /** Files bucket b's chunk, which is full, and starts the next. */
  private nextChunk(b: number): Uint32Array {
    // Chunks double up to CHUNK and are then kept as they are: growing never copies a bucket.
    const chunk = this.chunks[b];
    this.full[b].push(chunk);
    const next = (this.chunks[b] = new Uint32Array(Math.min(2 * CHUNK, chunk.length * 2)));
    this.used[b] = 0;
    return next;
  }

  /** Rows whose fingerprint an earlier row already had: per bucket, its fingerprints less its distinct ones. */
  countRepeats(): number {
    let repeats = 0;
    let table = new Uint32Array(0);
    for (let b = 0; b < BUCKETS; b++) {
      const parts = [...this.full[b], this.chunks[b].subarray(0, 2 * this.used[b])];
      let total = 0;
      for (const p of parts) total += p.length / 2;
      if (total < 2) continue;
      // Open addressing at most half full: a bucket at ten million rows (about
      // 40,000 fingerprints) fits a 512 KB table, which stays in cache, where a
      // sort of the bucket would take several passes over it.
      let cap = 16;
      while (cap < 2 * total) cap *= 2;
      if (table.length < 2 * cap) table = new Uint32Array(2 * cap);
      else table.fill(0, 0, 2 * cap);
      const mask = cap - 1;
      let distinct = 0;
      for (const p of parts) {
        for (let k = 0; k < p.length; k += 2) {
          const hi = p[k];
          const lo = p[k + 1];
          // hi is never 0, which marks an empty slot; its top byte is the bucket's.
          let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
          for (;;) {
            const t = table[2 * i];
            if (t === 0) {
              table[2 * i] = hi;
              table[2 * i + 1] = lo;
              distinct++;
              break;
            }
            if (t === hi && table[2 * i + 1] === lo) break;
            i = (i + 1) & mask;
          }
        }
      }
      repeats += total - distinct;
    }
    return repeats;
  }
}
