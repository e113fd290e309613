import type { StringTable } from './parse-records.js';
import { latin1 } from './scan-delimited.js';
import { grown } from './grown.js';
import { trimmedEnd, trimmedStart } from '../time/parse-timestamp.js';

/**
 * Maps the ASCII bytes of a field straight to its id in a StringTable, so a
 * worker reading plain fields makes a string only the first time it meets a
 * value: a log of ten million rows holds a few thousand distinct ids and a
 * handful of values per dimension. Keys live in one byte arena; the table is
 * open addressing over 32-bit FNV-1a hashes.
 */
export class ByteInterner {
  // Empty until the constructor sizes them (see there).
  private arena = new Uint8Array(0);
  private used = 0;
  /** Per entry: start in the arena, length, hash, string id. */
  private keyStart = new Int32Array(0);
  private keyLength = new Int32Array(0);
  private keyHash = new Int32Array(0);
  private keyId = new Int32Array(0);
  private entries = 0;
  /** Slot → entry + 1 (0 is empty); twice the entries' capacity, a power of two. */
  private slots = new Int32Array(0);

  constructor(private readonly table: StringTable) {
    // The arrays are replaced as the table grows. V8 treats a field written once as a
    // constant and drops the optimized code built on that at its first replacement, in the
    // middle of a worker's hot loop; written a second time here, with their starting
    // sizes, they are variable before any code is optimized.
    this.arena = new Uint8Array(4096);
    this.keyStart = new Int32Array(256);
    this.keyLength = new Int32Array(256);
    this.keyHash = new Int32Array(256);
    this.keyId = new Int32Array(256);
    this.slots = new Int32Array(512);
  }

  /** The table id of the text held by b[start..end), which must be ASCII. */
  id(b: Buffer, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const len = end - start;
    const mask = this.slots.length - 1;
    let slot = (h ^ (h >>> 16)) & mask;
    for (;;) {
      const at = this.slots[slot];
      if (at === 0) break;
      const k = at - 1;
      if (this.keyHash[k] === h && this.keyLength[k] === len && this.sameBytes(k, b, start, len)) return this.keyId[k];
      slot = (slot + 1) & mask;
    }
    return this.add(slot, h, b, start, end);
  }

  /** The id of the text b[s..e) trimmed as String.prototype.trim trims ASCII. */
  idTrimmed(b: Buffer, s: number, e: number): number {
    const from = trimmedStart(b, s, e);
    return this.id(b, from, trimmedEnd(b, from, e));
  }

  private sameBytes(k: number, b: Buffer, start: number, len: number): boolean {
    const arena = this.arena;
    const from = this.keyStart[k];
    for (let i = 0; i < len; i++) if (arena[from + i] !== b[start + i]) return false;
    return true;
  }

  private add(slot: number, h: number, b: Buffer, start: number, end: number): number {
    const len = end - start;
    if (this.used + len > this.arena.length) {
      let cap = this.arena.length * 2;
      while (cap < this.used + len) cap *= 2;
      const arena = new Uint8Array(cap);
      arena.set(this.arena.subarray(0, this.used));
      this.arena = arena;
    }
    this.arena.set(b.subarray(start, end), this.used);
    const k = this.entries++;
    if (k === this.keyStart.length) {
      const cap = k * 2;
      this.keyStart = grown(this.keyStart, cap, k);
      this.keyLength = grown(this.keyLength, cap, k);
      this.keyHash = grown(this.keyHash, cap, k);
      this.keyId = grown(this.keyId, cap, k);
    }
    this.keyStart[k] = this.used;
    this.keyLength[k] = len;
    this.keyHash[k] = h;
    // ASCII, so latin1 decoding is exact.
    const id = this.table.id(latin1.call(b, start, end));
    this.keyId[k] = id;
    this.used += len;
    this.slots[slot] = k + 1;
    if (this.entries * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.entries; k++) {
      const h = this.keyHash[k];
      let slot = (h ^ (h >>> 16)) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
  }
}

/** Whether the string `text` is the ASCII text b[s..e). */
export function sameText(text: string, b: Uint8Array, s: number, e: number): boolean {
  if (text.length !== e - s) return false;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) !== b[s + k]) return false;
  return true;
}
