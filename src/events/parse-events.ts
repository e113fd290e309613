import { parse as parseCsv } from 'csv-parse/sync';
import { createRequire } from 'node:module';
import type { Node } from 'yaml';
import * as z from 'zod';
import type { EventSpec } from '../analysis/types.js';
import { InputError, jsonSyntaxText } from '../errors.js';
import { formatDay } from '../time/civil-date.js';
import type { TimestampParser } from '../time/parse-timestamp.js';
import { sniffDelimiter } from '../ingest/read-delimited.js';

/** An events record before validation, with where it came from for messages. */
export interface RawEvent {
  /** "line 4", "index 2 (line 9)", "--event #1" */
  where: string;
  fields: Record<string, unknown>;
  /** Set when the record could not even be split into fields (a malformed --event). */
  problem?: string;
}

const KNOWN_FIELDS = ['name', 'start', 'end', 'kind', 'before', 'after'] as const;

const blankToUndefined = (v: unknown): unknown => (v === '' || v === null ? undefined : typeof v === 'string' ? v.trim() || undefined : v);

const wholeDays = z.preprocess(
  (v) => {
    const b = blankToUndefined(v);
    return typeof b === 'string' && /^[+-]?\d+$/.test(b) ? Number(b) : b;
  },
  z.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(0, 'must not be negative').optional(),
);

const dateValue = z.union([z.string(), z.number(), z.date()], {
  error: (issue) => (issue.input === undefined ? 'is required' : 'must be a date (YYYY-MM-DD) or a timestamp'),
});
const dateLike = z.preprocess(blankToUndefined, dateValue);
const optionalDate = z.preprocess(blankToUndefined, dateValue.optional());

const eventSchema = z.object({
  name: z.preprocess((v) => (typeof v === 'number' ? String(v) : blankToUndefined(v)), z.string({ error: 'is required' })),
  start: dateLike,
  end: optionalDate,
  kind: z.preprocess(blankToUndefined, z.string().optional()),
  before: wholeDays,
  after: wholeDays,
});

export interface ParsedEvents {
  events: EventSpec[];
  /** Where each event came from ("line 4"), parallel to `events`. */
  where: string[];
  warnings: string[];
}

function toDay(v: unknown, parseTime: TimestampParser): number | string {
  const value = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  const r = parseTime(value);
  return typeof r === 'string' ? r : r.day;
}

/**
 * Validates every event and reports every problem at once (SPEC §1): nothing
 * is computed from a half-valid event list.
 */
export function validateEvents(raw: readonly RawEvent[], source: string, parseTime: TimestampParser): ParsedEvents {
  const problems: string[] = [];
  const warnings: string[] = [];
  const events: EventSpec[] = [];
  const where: string[] = [];
  const unknown = new Set<string>();

  for (const r of raw) {
    if (r.problem !== undefined) {
      problems.push(`${r.where}: ${r.problem}`);
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.fields)) {
      const key = k.trim().toLowerCase();
      if ((KNOWN_FIELDS as readonly string[]).includes(key)) fields[key] = v;
      else unknown.add(k);
    }
    const parsed = eventSchema.safeParse(fields);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${r.where}: "${issue.path.join('.') || 'event'}" ${issue.message}`);
      }
      continue;
    }
    const e = parsed.data;
    const start = toDay(e.start, parseTime);
    const end = e.end === undefined ? start : toDay(e.end, parseTime);
    const endGiven = e.end !== undefined;
    if (typeof start === 'string') problems.push(`${r.where}: "start" ${JSON.stringify(String(e.start))}: ${start}`);
    if (typeof end === 'string' && endGiven) problems.push(`${r.where}: "end" ${JSON.stringify(String(e.end))}: ${end}`);
    if (typeof start === 'string' || typeof end === 'string') continue;
    if (end < start) {
      problems.push(`${r.where}: "end" ${formatDay(end)} is before "start" ${formatDay(start)}`);
      continue;
    }
    events.push({ name: e.name, kind: e.kind ?? null, start, end, before: e.before ?? null, after: e.after ?? null });
    where.push(r.where);
  }
  if (unknown.size > 0) {
    warnings.push(`${source}: ignored unknown field(s) ${[...unknown].map((u) => `"${u}"`).join(', ')} (known: ${KNOWN_FIELDS.join(', ')})`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 50);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    throw new InputError(
      `invalid events in ${source} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${shown.join('\n  ')}${more}`,
      undefined,
      'Each event needs a name and a start (YYYY-MM-DD or an ISO timestamp); end, kind, before and after are optional.',
    );
  }
  return { events, where, warnings };
}

export type EventsFormat = 'csv' | 'json' | 'yaml';

export function eventsFormatOf(file: string, text: string): EventsFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('[') || t.startsWith('{')) return 'json';
  return (t.split(/\r?\n/, 1)[0] ?? '').includes(',') ? 'csv' : 'yaml';
}

function listOf(value: unknown, source: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object' && Array.isArray((value as { events?: unknown }).events)) {
    return (value as { events: unknown[] }).events;
  }
  throw new InputError(`${source}: expected a list of events (or an object with an "events" list)`);
}

function asFields(item: unknown, where: string, source: string): RawEvent {
  if (item && typeof item === 'object' && !Array.isArray(item)) return { where, fields: item as Record<string, unknown> };
  throw new InputError(`invalid events in ${source}:\n  ${where}: each event must be an object with name and start`);
}

/** Turns the text of an events file into raw records with positions. */
export function readEventsText(text: string, source: string, format: EventsFormat): RawEvent[] {
  if (format === 'csv') {
    let rows: { record: string[]; info: { lines: number } }[];
    try {
      rows = parseCsv(text, {
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        info: true,
        // The header says which delimiter a spreadsheet used (';' in much of Europe), as for logs.
        delimiter: source.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(text),
      }) as unknown as { record: string[]; info: { lines: number } }[];
    } catch (err) {
      throw new InputError(`${source}: not valid CSV: ${(err as Error).message}`);
    }
    if (rows.length === 0) return [];
    const header = rows[0].record.map((h) => h.trim());
    // info.lines is where a record ends; a quoted line break inside it moves its start up.
    return rows.slice(1).map(({ record, info }) => ({
      where: `line ${info.lines - record.reduce((n, f) => n + (f.match(/\r\n|\n|\r/g)?.length ?? 0), 0)}`,
      fields: Object.fromEntries(header.map((h, j) => [h, record[j] ?? ''])),
    }));
  }
  if (format === 'json') {
    let value: unknown;
    const json = text.replace(/^\uFEFF/, '');
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new InputError(`${source}: not valid JSON: ${jsonSyntaxText(err, json)}`);
    }
    return listOf(value, source).map((item, i) => asFields(item, `index ${i}`, source));
  }
  // The YAML parser is loaded only for YAML events files.
  const { LineCounter, parseDocument, isSeq, isMap } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError(`${source}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  let seq: Node | null = doc.contents as Node | null;
  if (isMap(seq)) seq = (seq.get('events', true) as Node | undefined) ?? null;
  if (!isSeq(seq)) throw new InputError(`${source}: expected a list of events (or an "events:" list)`);
  return seq.items.map((node, i) => {
    const line = (node as Node).range ? counter.linePos((node as Node).range![0]).line : undefined;
    const where = line === undefined ? `index ${i}` : `index ${i} (line ${line})`;
    return asFields((node as Node).toJSON(), where, source);
  });
}

/** `NAME=START` or `NAME=START..END` from repeated --event flags. */
export function readEventFlags(flags: readonly string[]): RawEvent[] {
  return flags.map((flag, i) => {
    const where = `--event #${i + 1}`;
    const eq = flag.lastIndexOf('=');
    if (eq <= 0) return { where, fields: {}, problem: `"${flag}" is not NAME=START or NAME=START..END (e.g. "ESMO 2025=2025-10-17..2025-10-21")` };
    const parts = flag.slice(eq + 1).split('..');
    // "2024-01-10..2024-01-12..2024-01-14" or "2024-01-10.." would otherwise lose a part, or the end, without a word.
    if (parts.length > 2 || (parts.length === 2 && parts[1].trim() === '')) {
      return { where, fields: {}, problem: `"${flag}" is not NAME=START or NAME=START..END: ${parts.length > 2 ? 'more than one ".."' : 'nothing after ".."'} (e.g. "ESMO 2025=2025-10-17..2025-10-21")` };
    }
    return { where, fields: { name: flag.slice(0, eq), start: parts[0], end: parts[1] ?? '' } };
  });
}
