import { createInterface } from 'node:readline';
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
  const keys = new KeyColumns();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text0 of lines) {
    line++;
    const text = line === 1 ? text0.replace(/^\uFEFF/, '') : text0;
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      yield { kind: 'malformed', line, reason: `invalid JSON: ${(err as Error).message}`, raw: text };
      continue;
    }
    if (!isPlainObject(parsed)) {
      yield { kind: 'malformed', line, reason: 'the line is valid JSON but not an object', raw: text };
      continue;
    }
    const { values, grew } = keys.align(parsed);
    if (grew) yield { kind: 'columns', columns: [...keys.columns] };
    yield { kind: 'record', line, values, raw: text };
  }
}
