import { ByteInterner } from './byte-interner.js';
import { MISSING, TEXT, TOKEN } from './duplicate-set.js';
import { StringTable } from './parse-records.js';


const QUOTE = 0x22;
/** Printable ASCII without a quote or backslash: a name a JSON line writes byte for byte. */
const PLAIN_NAME = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const BACKSLASH = 0x5c;

function skipSpace(b: Buffer, i: number, e: number): number {
  while (i < e) {
    const c = b[i];
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

/** The end of a string body starting at i (at its closing quote), or −1 unless it is plain ASCII text. */
function plainStringEnd(b: Buffer, i: number, e: number): number {
  for (; i < e; i++) {
    const c = b[i];
    if (c === QUOTE) return i;
    // An escape or a raw control character is JSON.parse's business, and non-ASCII the string decoder's.
    if (c < 0x20 || c === BACKSLASH || c >= 0x80) return -1;
  }
  return -1;
}

/**
 * The kind of a bare JSON token whose text, as its value becomes text, is
 * exactly its bytes: null (MISSING, no text), true, false and integers of up
 * to 15 digits without a needless sign or zero (TOKEN). Anything else is −1:
 * 1.50 or 1e3 read as numbers whose text is 1.5 or 1000.
 */
function tokenKind(b: Buffer, s: number, e: number): number {
  const len = e - s;
  if (len === 4 && b[s] === 0x6e && b[s + 1] === 0x75 && b[s + 2] === 0x6c && b[s + 3] === 0x6c) return MISSING;
  if (len === 4 && b[s] === 0x74 && b[s + 1] === 0x72 && b[s + 2] === 0x75 && b[s + 3] === 0x65) return TOKEN;
  if (len === 5 && b[s] === 0x66 && b[s + 1] === 0x61 && b[s + 2] === 0x6c && b[s + 3] === 0x73 && b[s + 4] === 0x65) return TOKEN;
  let i = s;
  if (i < e && b[i] === 0x2d) i++;
  const digits = e - i;
  if (digits < 1 || digits > 15) return -1;
  if (b[i] === 0x30) return digits === 1 && i === s ? TOKEN : -1; // 0 alone; -0 reads as 0
  for (; i < e; i++) if (b[i] < 0x30 || b[i] > 0x39) return -1;
  return TOKEN;
}

/**
 * Reads an NDJSON line that is a flat object of known keys straight from its
 * bytes, for a parse worker: per column, where its value's text lies and what
 * kind of value it is. It reads only what it can read exactly as
 * parseFlatObject and KeyColumns would (plain ASCII keys and strings, no
 * repeated or new key, tokens whose text is their bytes); for anything else
 * read() says −1 and the line takes the string path.
 */
export class FlatObjectBytes {
  /** Per column: its value's text is b[start..end), of kind `kinds` (MISSING: not in the line, or null). */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly kinds: Uint8Array;
  private readonly keys: ByteInterner;
  private readonly seen: Int32Array;
  private line = 0;
  /** Per column, its name's bytes where a line spells it as they are (plain ASCII); null otherwise. */
  private readonly names: (Buffer | null)[];
  /** Per key position, the column the last line had there: lines of an export mostly share their key order. */
  private readonly order: Int32Array;

  constructor(private readonly columns: readonly string[]) {
    // A table of the columns alone: a key's id is its column, and an id past them a key not seen before.
    const table = new StringTable();
    for (const c of columns) table.id(c);
    this.keys = new ByteInterner(table);
    this.start = new Int32Array(columns.length);
    this.end = new Int32Array(columns.length);
    this.kinds = new Uint8Array(columns.length);
    this.seen = new Int32Array(columns.length);
    this.names = columns.map((c) => (PLAIN_NAME.test(c) ? Buffer.from(c, 'latin1') : null));
    this.order = new Int32Array(columns.length).fill(-1);
  }

  /** The column whose name the key starting at b[i] (after its quote) spells, when it is the one guessed; −1 otherwise. */
  private guessed(b: Buffer, i: number, e: number, guess: number): number {
    const name = this.names[guess];
    if (name === null) return -1;
    const len = name.length;
    if (i + len >= e || b[i + len] !== QUOTE) return -1;
    for (let k = 0; k < len; k++) if (b[i + k] !== name[k]) return -1;
    return guess;
  }

  /**
   * Reads b[s..e); the number of values the record has for the fingerprint
   * (up to its last key present: JSON.parse leaves later columns undefined),
   * or −1 when the line must take the string path.
   */
  read(b: Buffer, s: number, e: number): number {
    const n = this.columns.length;
    const { start, end, kinds, seen } = this;
    const line = ++this.line;
    let i = skipSpace(b, s, e);
    if (i >= e || b[i] !== 0x7b) return -1;
    i = skipSpace(b, i + 1, e);
    let last = -1;
    for (let j = 0; ; j++) {
      if (i >= e || b[i] !== QUOTE) return -1;
      // The key the last line had here, compared byte for byte; else looked up.
      const guess = j < n ? this.order[j] : -1;
      let col = guess < 0 ? -1 : this.guessed(b, i + 1, e, guess);
      let keyEnd: number;
      if (col >= 0) keyEnd = i + 1 + this.names[col]!.length;
      else {
        keyEnd = plainStringEnd(b, i + 1, e);
        if (keyEnd < 0) return -1;
        col = this.keys.id(b, i + 1, keyEnd);
        if (j < n) this.order[j] = col < n ? col : -1;
      }
      if (col >= n || seen[col] === line) return -1;
      seen[col] = line;
      i = skipSpace(b, keyEnd + 1, e);
      if (i >= e || b[i] !== 0x3a) return -1;
      i = skipSpace(b, i + 1, e);
      if (i >= e) return -1;
      if (b[i] === QUOTE) {
        const valueEnd = plainStringEnd(b, i + 1, e);
        if (valueEnd < 0) return -1;
        start[col] = i + 1;
        end[col] = valueEnd;
        kinds[col] = TEXT;
        i = valueEnd + 1;
      } else {
        const from = i;
        while (i < e) {
          const c = b[i];
          if (c === 0x2c || c === 0x7d || c === 32 || c === 9 || c === 10 || c === 13) break;
          i++;
        }
        const kind = tokenKind(b, from, i);
        if (kind < 0) return -1;
        start[col] = from;
        end[col] = kind === MISSING ? from : i;
        kinds[col] = kind;
      }
      if (col > last) last = col;
      i = skipSpace(b, i, e);
      if (i >= e) return -1;
      if (b[i] === 0x2c) {
        i = skipSpace(b, i + 1, e);
        continue;
      }
      if (b[i] !== 0x7d || skipSpace(b, i + 1, e) !== e) return -1;
      break;
    }
    for (let c = 0; c < n; c++) {
      if (seen[c] !== line) {
        start[c] = 0;
        end[c] = 0;
        kinds[c] = MISSING;
      }
    }
    return last + 1;
  }
}
