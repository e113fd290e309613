import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { InvalidUtf8Lines } from './invalid-utf8.js';
import { isPlainObject, KeyColumns } from './read-ndjson.js';
import type { SourceItem } from './source-item.js';

/**
 * A JSON array of objects, element by element, without holding the file:
 * a small scanner finds where each top-level element starts and ends (tracking
 * strings, escapes and nesting) and only that element's text is parsed.
 */
export async function* readJsonArray(stream: Readable, file: string): AsyncGenerator<SourceItem> {
  for await (const batch of readJsonArrayBatches(stream, file)) yield* batch;
}

/** The items of `readJsonArray`, one array per chunk read (a consumer awaits per chunk, not per element). */
export async function* readJsonArrayBatches(stream: Readable, file: string, invalidUtf8?: InvalidUtf8Lines): AsyncGenerator<SourceItem[]> {
  const decoder = new StringDecoder('utf8');
  const keys = new KeyColumns();
  let state: 'start' | 'between' | 'element' | 'done' = 'start';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let elementLine = 1;
  let buf = '';
  let trailing = false;
  const pending: SourceItem[] = [];

  const finishElement = (): void => {
    const text = buf.trim();
    buf = '';
    if (text === '') {
      pending.push({ kind: 'malformed', line: elementLine, reason: 'empty array element (two commas in a row)', raw: '' });
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      pending.push({ kind: 'malformed', line: elementLine, reason: `invalid JSON: ${(err as Error).message}`, raw: text });
      return;
    }
    if (!isPlainObject(parsed)) {
      pending.push({ kind: 'malformed', line: elementLine, reason: 'the array element is not an object', raw: text });
      return;
    }
    const { values, grew } = keys.align(parsed);
    if (grew) pending.push({ kind: 'columns', columns: [...keys.columns] });
    pending.push({ kind: 'record', line: elementLine, values, raw: text });
  };

  const scan = (chunk: string): void => {
    let segmentStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false;
          else if (ch === '\\') escaped = true;
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          if (depth === 0 && ch === ']') {
            buf += chunk.slice(segmentStart, i);
            finishElement();
            state = 'done';
            continue;
          }
          depth--;
        } else if (ch === ',' && depth === 0) {
          buf += chunk.slice(segmentStart, i);
          finishElement();
          state = 'between';
        }
      } else if (state === 'start') {
        if (ch === '[') state = 'between';
        else if (ch !== '\uFEFF' && !/\s/.test(ch)) {
          throw new InputError('expected a JSON array of objects (the file does not start with "[")', { file, line }, 'For one object per line, use --input-format ndjson.');
        }
      } else if (state === 'between') {
        if (ch === ']') state = 'done';
        else if (ch === ',') {
          elementLine = line;
          finishElement();
        } else if (!/\s/.test(ch)) {
          state = 'element';
          elementLine = line;
          segmentStart = i;
          depth = 0;
          inString = ch === '"';
          if (ch === '{' || ch === '[') depth = 1;
        }
      } else if (state === 'done' && !/\s/.test(ch)) {
        trailing = true;
      }
      if (ch === '\n') line++;
    }
    if (state === 'element') buf += chunk.slice(segmentStart);
  };

  const decode = (text: string): void => {
    // Invalid UTF-8 shows as U+FFFD once decoded; checking the decoded chunk costs one indexOf.
    if (invalidUtf8 !== undefined && text.includes('\uFFFD')) invalidUtf8.noteReplacements(text, line);
    scan(text);
  };
  for await (const chunk of stream) {
    decode(decoder.write(chunk as Buffer));
    if (pending.length > 0) yield pending.splice(0);
  }
  decode(decoder.end());
  // `state` is updated inside scan(); TypeScript cannot see that.
  const finalState = state as typeof state | 'element' | 'between' | 'done';
  if (finalState === 'element') {
    const text = buf.trim();
    buf = '';
    pending.push({ kind: 'malformed', line: elementLine, reason: 'the file ends inside this array element (truncated?)', raw: text });
  } else if (finalState === 'start') {
    throw new InputError('the file is empty: expected a JSON array of objects', { file });
  }
  if (pending.length > 0) yield pending.splice(0);
  if (finalState === 'between') {
    throw new InputError('the JSON array is never closed with "]": the file looks truncated', { file, line }, 'Re-export the file; rows after the cut are missing.');
  }
  if (trailing) {
    throw new InputError('unexpected content after the closing "]" of the JSON array', { file, line }, 'Check that the file holds exactly one JSON array.');
  }
}
