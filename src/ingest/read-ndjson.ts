import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { InvalidUtf8Lines } from './invalid-utf8.js';
import type { SourceItem } from './source-item.js';
import type { FlatObjectBytes } from './flat-object-bytes.js';
import type { RecordTarget } from './scan-delimited.js';

/** Grows the column list as new keys appear, and aligns each object's values to it. */
export class KeyColumns {
  readonly columns: string[] = [];
  private readonly index = new Map<string, number>();

  /** Starts from columns already seen (a parse worker continuing where the main thread left off). */
  constructor(initial: readonly string[] = []) {
    for (const key of initial) {
      this.index.set(key, this.columns.length);
      this.columns.push(key);
    }
  }

  /** Returns the values aligned to the columns, and whether new columns appeared. */
  align(obj: Record<string, unknown>): { values: unknown[]; grew: boolean } {
    let grew = false;
    for (const key of Object.keys(obj)) {
      if (!this.index.has(key)) {
        this.index.set(key, this.columns.length);
        this.columns.push(key);
        grew = true;
      }
    }
    const values = new Array<unknown>(this.columns.length);
    // Own keys only: a line without "constructor" must not read Object.prototype's.
    for (const [key, i] of this.index) if (Object.hasOwn(obj, key)) values[i] = obj[key];
    return { values, grew };
  }

  /** The same from parallel key/value lists (a later duplicate key wins, as in JSON.parse). */
  alignPairs(keys: readonly string[], vals: readonly unknown[]): { values: unknown[]; grew: boolean } {
    let grew = false;
    const idx = new Array<number>(keys.length);
    for (let k = 0; k < keys.length; k++) {
      let i = this.index.get(keys[k]);
      if (i === undefined) {
        i = this.columns.length;
        this.index.set(keys[k], i);
        this.columns.push(keys[k]);
        grew = true;
      }
      idx[k] = i;
    }
    const values = new Array<unknown>(this.columns.length);
    for (let k = 0; k < keys.length; k++) values[idx[k]] = vals[k];
    return { values, grew };
  }
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** A string body JSON.parse would decode to something else (escapes) or reject (raw control characters). */
const NOT_PLAIN = /[\u0000-\u001f\\]/;

function skipSpace(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

/**
 * A flat JSON object (string, number, true/false/null values; no escapes, no
 * nesting) read without JSON.parse, which is most CRM and warehouse exports.
 * Anything else returns null and goes through JSON.parse, which then also
 * words the error; a property test holds the two paths to the same items.
 */
export function parseFlatObject(t: string): [string[], unknown[]] | null {
  const keys: string[] = [];
  const values: unknown[] = [];
  let i = skipSpace(t, 0);
  if (t.charCodeAt(i) !== 123) return null;
  i = skipSpace(t, i + 1);
  if (t.charCodeAt(i) === 125) return skipSpace(t, i + 1) === t.length ? [keys, values] : null;
  for (;;) {
    if (t.charCodeAt(i) !== 34) return null;
    const keyEnd = t.indexOf('"', i + 1);
    if (keyEnd < 0) return null;
    const key = t.slice(i + 1, keyEnd);
    if (NOT_PLAIN.test(key)) return null;
    i = skipSpace(t, keyEnd + 1);
    if (t.charCodeAt(i) !== 58) return null;
    i = skipSpace(t, i + 1);
    let value: unknown;
    if (t.charCodeAt(i) === 34) {
      const end = t.indexOf('"', i + 1);
      if (end < 0) return null;
      const body = t.slice(i + 1, end);
      if (NOT_PLAIN.test(body)) return null;
      value = body;
      i = end + 1;
    } else {
      let end = i;
      for (;;) {
        const c = t.charCodeAt(end);
        if (end >= t.length || c === 44 || c === 125 || c === 32 || c === 9 || c === 10 || c === 13) break;
        end++;
      }
      const token = t.slice(i, end);
      if (token === 'true') value = true;
      else if (token === 'false') value = false;
      else if (token === 'null') value = null;
      else if (JSON_NUMBER.test(token)) value = Number(token);
      else return null;
      i = end;
    }
    keys.push(key);
    values.push(value);
    i = skipSpace(t, i);
    const c = t.charCodeAt(i);
    if (c === 44) {
      i = skipSpace(t, i + 1);
      continue;
    }
    if (c === 125) return skipSpace(t, i + 1) === t.length ? [keys, values] : null;
    return null;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One JSON object per line; blank lines are not rows. */
export async function* readNdjson(stream: Readable): AsyncGenerator<SourceItem> {
  for await (const batch of readNdjsonBatches(stream)) yield* batch;
}

/**
 * NDJSON lines to items, one line at a time, keeping the state that spans
 * lines: the columns seen so far, the line number, and whether the first line
 * (which may start with a BOM) is still to come. Parse workers use it on their
 * byte ranges; readNdjsonBatches on a stream.
 */
export class NdjsonLines {
  /** Lines parsed so far (the number of the last one). */
  line = 0;
  private first = true;
  /** Whether the lines at hand need a UTF-8 check (one check per chunk decides). */
  checkLines = false;

  constructor(
    readonly keys: KeyColumns,
    private readonly invalidUtf8: InvalidUtf8Lines | null,
    private readonly flatFastPath = true,
    /** Lines already read before these. */
    startLine = 0,
    /** Whether the first line parsed is the file's first (which may start with a BOM). */
    atFileStart = startLine === 0,
  ) {
    this.line = startLine;
    this.first = atFileStart;
  }

  /**
   * Offers the line buf[start..end) (without its LF) to `target` as byte
   * fields, where `flat` can read it: true when taken, and the line is
   * counted; false leaves it to parse(). The file's first line (it may start
   * with a BOM) and lines still to be checked for UTF-8 always go to parse().
   */
  offer(buf: Buffer, start: number, end: number, flat: FlatObjectBytes, target: RecordTarget): boolean {
    if (this.first || this.checkLines) return false;
    if (end > start && buf[end - 1] === 0x0d) end--;
    const nf = flat.read(buf, start, end);
    if (nf < 0 || !target.plain(buf, nf, flat.start, flat.end, this.line + 1, flat.kinds)) return false;
    this.line++;
    return true;
  }

  /** Parses the line buf[start..end) (without its LF) into `out`. */
  parse(buf: Buffer, start: number, end: number, out: SourceItem[]): void {
    const line = ++this.line;
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (this.first) {
      this.first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    if (this.checkLines) this.invalidUtf8!.check(buf, start, end, line);
    const text = buf.toString('utf8', start, end);
    if (text.trim() === '') return;
    const keys = this.keys;
    const flat = this.flatFastPath ? parseFlatObject(text) : null;
    if (flat !== null) {
      const { values, grew } = keys.alignPairs(flat[0], flat[1]);
      if (grew) out.push({ kind: 'columns', columns: [...keys.columns] });
      out.push({ kind: 'record', line, values, raw: text });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      out.push({ kind: 'malformed', line, reason: `invalid JSON: ${(err as Error).message}`, raw: text });
      return;
    }
    if (!isPlainObject(parsed)) {
      out.push({ kind: 'malformed', line, reason: 'the line is valid JSON but not an object', raw: text });
      return;
    }
    const { values, grew } = keys.align(parsed);
    if (grew) out.push({ kind: 'columns', columns: [...keys.columns] });
    out.push({ kind: 'record', line, values, raw: text });
  }
}

/**
 * The items of `readNdjson`, one array per chunk read, so that a consumer
 * awaits per chunk rather than per line. Lines end at LF (a CR before it is
 * dropped); an LF byte never occurs inside a UTF-8 character, so lines are cut
 * on bytes and each decoded once.
 */
export async function* readNdjsonBatches(
  stream: Readable,
  /**
   * Tests turn the flat-object path off to compare it with JSON.parse; `invalidUtf8` notes lines
   * with invalid UTF-8; `lines` continues an earlier parser's state (columns, line number).
   */
  options: { flatFastPath?: boolean; invalidUtf8?: InvalidUtf8Lines; lines?: NdjsonLines } = {},
): AsyncGenerator<SourceItem[]> {
  const invalidUtf8 = options.invalidUtf8 ?? null;
  const parser = options.lines ?? new NdjsonLines(new KeyColumns(), invalidUtf8, options.flatFastPath ?? true);
  let tail: Buffer | null = null;

  for await (const chunk of stream) {
    const buf: Buffer = tail === null ? (chunk as Buffer) : Buffer.concat([tail, chunk as Buffer]);
    const out: SourceItem[] = [];
    let start = 0;
    if (invalidUtf8 !== null) {
      // Complete lines end at the last LF, so a character cut by the chunk boundary is not a false alarm.
      const last = buf.lastIndexOf(0x0a);
      parser.checkLines = last > 0 && !isUtf8(buf.subarray(0, last));
    }
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      parser.parse(buf, start, nl, out);
      start = nl + 1;
    }
    tail = start < buf.length ? buf.subarray(start) : null;
    if (out.length > 0) yield out;
  }
  if (tail !== null) {
    const out: SourceItem[] = [];
    parser.checkLines = invalidUtf8 !== null;
    parser.parse(tail, 0, tail.length, out);
    if (out.length > 0) yield out;
  }
}
