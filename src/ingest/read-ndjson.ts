import type { Readable } from 'node:stream';
import type { SourceItem } from './source-item.js';

/** Grows the column list as new keys appear, and aligns each object's values to it. */
export class KeyColumns {
  readonly columns: string[] = [];
  private readonly index = new Map<string, number>();

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
    for (const [key, i] of this.index) values[i] = obj[key];
    return { values, grew };
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
 * The items of `readNdjson`, one array per chunk read, so that a consumer
 * awaits per chunk rather than per line. Lines end at LF (a CR before it is
 * dropped); an LF byte never occurs inside a UTF-8 character, so lines are cut
 * on bytes and each decoded once.
 */
export async function* readNdjsonBatches(stream: Readable): AsyncGenerator<SourceItem[]> {
  const keys = new KeyColumns();
  let line = 0;
  let tail: Buffer | null = null;
  let first = true;

  const parseLine = (buf: Buffer, start: number, end: number, out: SourceItem[]): void => {
    line++;
    if (end > start && buf[end - 1] === 0x0d) end--;
    if (first) {
      first = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    const text = buf.toString('utf8', start, end);
    if (text.trim() === '') return;
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
  };

  for await (const chunk of stream) {
    const buf: Buffer = tail === null ? (chunk as Buffer) : Buffer.concat([tail, chunk as Buffer]);
    const out: SourceItem[] = [];
    let start = 0;
    for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
      parseLine(buf, start, nl, out);
      start = nl + 1;
    }
    tail = start < buf.length ? buf.subarray(start) : null;
    if (out.length > 0) yield out;
  }
  if (tail !== null) {
    const out: SourceItem[] = [];
    parseLine(tail, 0, tail.length, out);
    if (out.length > 0) yield out;
  }
}
