import { InputError } from '../errors.js';
import { sniffDelimiter } from './read-delimited.js';

/** How records are written down. */
export const TEXT_FORMATS = ['csv', 'tsv', 'json', 'ndjson'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/**
 * What `--input-format` accepts: a text format, or `rollup` — per-day sums
 * instead of interactions, in whichever text format the name or content shows.
 */
export const INPUT_FORMATS = [...TEXT_FORMATS, 'rollup'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Parquet is read by the DuckDB engine only, so its name alone picks that engine. */
export function isParquetName(name: string): boolean {
  return /\.parquet$/i.test(name);
}

/** The format a file name promises, ignoring a trailing `.gz`; null when the name says nothing. */
export function formatFromName(name: string): TextFormat | null {
  const base = name.toLowerCase().replace(/\.gz$/, '');
  if (base.endsWith('.csv')) return 'csv';
  if (base.endsWith('.tsv') || base.endsWith('.tab')) return 'tsv';
  if (base.endsWith('.ndjson') || base.endsWith('.jsonl')) return 'ndjson';
  if (base.endsWith('.json')) return 'json';
  return null;
}

/**
 * Guesses the format from the first decoded bytes when neither a flag nor the
 * file name tells: `[` opens a JSON array, `{` a JSON line, anything else is
 * delimited text (tab-separated when the first line has tabs and no commas).
 */
export function sniffFormat(head: string): TextFormat {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[')) return 'json';
  if (text.startsWith('{')) return 'ndjson';
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (firstLine.includes('\t') && !firstLine.includes(',')) return 'tsv';
  return 'csv';
}

/** Refuses content that no reader can make sense of, before any row is counted. */
export function assertTextual(head: Buffer, file: string): void {
  const sample = head.subarray(0, 4096);
  let controls = 0;
  for (const b of sample) {
    if (b === 0) {
      throw new InputError(
        'the file holds NUL bytes: it looks binary (a spreadsheet, an archive or a database file), not a text log',
        { file },
        'Export the data as CSV, TSV, JSON or NDJSON (optionally gzip-compressed) and try again.',
      );
    }
    if (b < 9 || (b > 13 && b < 32)) controls++;
  }
  if (sample.length > 0 && controls / sample.length > 0.1) {
    throw new InputError('the file is mostly control bytes: it looks binary, not a text log', { file }, 'Export the data as CSV, TSV, JSON or NDJSON and try again.');
  }
}

/**
 * How a file is read, from the flags, its name and its first bytes: the format
 * (`--input-format rollup` names no text format, so the others decide) and,
 * for delimited text, the delimiter.
 */
export function chooseFormat(file: string, headText: string, flags: { inputFormat?: InputFormat; delimiter?: string }): { format: TextFormat; delimiter: string } {
  const forced = flags.inputFormat === 'rollup' ? undefined : flags.inputFormat;
  const format = forced ?? formatFromName(file) ?? sniffFormat(headText);
  return { format, delimiter: flags.delimiter ?? (format === 'tsv' ? '\t' : sniffDelimiter(headText)) };
}
