import { parse, type InfoRecord, type Options } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { SourceItem } from './source-item.js';

const CANDIDATE_DELIMITERS = [',', '\t', ';', '|'];

/** The delimiter that occurs most often outside quotes in the header line; comma on ties. */
export function sniffDelimiter(head: string): string {
  const text = head.replace(/^\uFEFF/, '');
  const counts = new Map<string, number>(CANDIDATE_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of CANDIDATE_DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

function countCrlf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\r\n'); i >= 0; i = s.indexOf('\r\n', i + 2)) n++;
  return n;
}

function trimLineBreaks(raw: string): string {
  return raw.replace(/^[\r\n]+|[\r\n]+$/g, '');
}

/** What an unclosed quote at the end of input is reported as. */
export function unclosedQuote(line: number, endLine: number): string {
  return `a quoted field opened on line ${line} is never closed (lines ${line}–${endLine} were read as one field)`;
}

interface CsvInfo {
  lines: number;
  empty_lines: number;
}

/**
 * RFC 4180 records from a byte stream (BOM, CRLF, quoted delimiters and line
 * breaks). Ragged rows are passed on for the validator to reject with their
 * line; a record the parser cannot read becomes a malformed item, never a crash.
 * Quotes inside unquoted fields are kept as text, as spreadsheets write them.
 */
export async function* readDelimited(stream: Readable, delimiter: string): AsyncGenerator<SourceItem> {
  // Line numbers are computed in parse order (on_record and 'skip' both fire
  // synchronously while parsing), then items are yielded in that same order.
  let prevEnd = 0;
  let prevEmpty = 0;
  let seq = 0;
  // csv-parse counts a CRLF inside a quoted field as two lines; undo that.
  let crlfInside = 0;
  const startLine = (info: CsvInfo, raw: string): number => {
    crlfInside += countCrlf(trimLineBreaks(raw));
    const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
    prevEnd = info.lines - crlfInside;
    prevEmpty = info.empty_lines;
    return line;
  };
  const skipped: { seq: number; item: SourceItem }[] = [];
  interface ParsedRecord {
    seq: number;
    line: number;
    record: string[];
    raw: string;
  }
  const options: Options<ParsedRecord, string[]> = {
    bom: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    raw: true,
    // With `raw`, csv-parse hands on_record a {record, raw} pair rather than the bare array.
    on_record: (pair: unknown, context: InfoRecord) => {
      const { record, raw } = pair as { record: string[]; raw: string };
      return { seq: seq++, line: startLine(context, raw), record, raw };
    },
  };
  // csv-parse's overloads only type on_record for object-mode columns; the runtime is the same.
  const parser = parse(options as unknown as Options);
  parser.on('skip', (err: Error & Partial<CsvInfo> & { raw?: string }) => {
    const info = { lines: err.lines ?? prevEnd + 1, empty_lines: err.empty_lines ?? prevEmpty };
    const line = startLine(info, err.raw ?? '');
    const raw = trimLineBreaks(err.raw ?? '');
    const item: SourceItem = /Quote Not Closed/i.test(err.message)
      ? { kind: 'malformed', line, endLine: prevEnd, reason: unclosedQuote(line, prevEnd), raw }
      : { kind: 'malformed', line, reason: `malformed CSV: ${err.message}`, raw };
    skipped.push({ seq: seq++, item });
  });
  stream.on('error', (err) => parser.destroy(err));
  stream.pipe(parser);

  let header = true;
  for await (const rec of parser as AsyncIterable<ParsedRecord>) {
    while (skipped.length > 0 && skipped[0].seq < rec.seq) yield skipped.shift()!.item;
    if (header) {
      header = false;
      yield { kind: 'columns', columns: rec.record };
      continue;
    }
    yield { kind: 'record', line: rec.line, values: rec.record, raw: trimLineBreaks(rec.raw) };
  }
  for (const s of skipped) yield s.item;
}
