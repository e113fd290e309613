import type { Readable } from 'node:stream';
import { InputError, UsageError } from '../errors.js';
import { Ledger } from '../ledger/ledger.js';
import type { TimestampParser } from '../time/parse-timestamp.js';
import { assertByAvailable, type ColumnMapping, type ColumnOptions } from './column-mapping.js';
import { assertTextual, chooseFormat, type InputFormat, type TextFormat } from './input-format.js';
import { InvalidUtf8Lines } from './invalid-utf8.js';
import { openInput, STDIN_NAME, type InputEncoding } from './open-input.js';
import { scanDelimitedBatches } from './scan-delimited.js';
import { readJsonArrayBatches } from './read-json-array.js';
import { readNdjsonBatches } from './read-ndjson.js';
import { RejectTally, type RejectedRow } from './rejects.js';
import type { SourceItem } from './source-item.js';
import { RecordSink } from './record-sink.js';
import { DuplicateSet, FingerprintLog } from './duplicate-set.js';
import { isRollupHeader } from './rollup-schema.js';
import { planParallel, readParallel, type ParallelColumns, type ParallelPlan, type ParallelSettings, type ReadUnit } from './parallel-read.js';
import { RollupSink } from './rollup-sink.js';

export interface IngestOptions {
  files: readonly string[];
  /** Forces the format of every input (required in spirit for stdin; sniffed otherwise). */
  inputFormat?: InputFormat;
  delimiter?: string;
  columns: ColumnOptions;
  parseTime: TimestampParser;
  by: readonly string[];
  strict: boolean;
  /** Drop exact duplicate rows (they are counted either way). */
  dedupe?: boolean;
  stdin: Readable;
  /** Called for every rejected row, in input order (the CLI writes --rejects from it). */
  onReject?: (row: RejectedRow) => void;
  /**
   * Reading large delimited files with worker threads (the result is the same
   * as on one thread); absent or threads < 2 reads on this thread.
   */
  parallel?: ParallelSettings;
  /** Called after each batch of rows, for a progress display. */
  onProgress?: (progress: IngestProgress) => void;
}

/** What was read from one input: how it was recognised and how many rows it held. */
export interface FileSummary {
  file: string;
  format: TextFormat | 'parquet';
  /** Whether the file held rollup rows rather than interactions. */
  rollup: boolean;
  gzip: boolean;
  /** The encoding on disk (UTF-16 is read as UTF-8). */
  encoding: InputEncoding;
  /** Lines with bytes that are not valid UTF-8 (read with U+FFFD), or null. */
  invalidUtf8: { firstLine: number; lines: number } | null;
  rowsRead: number;
}

export interface IngestProgress {
  file: string;
  /** Bytes of this file read so far, and its size (null for standard input). */
  bytesRead: number;
  totalBytes: number | null;
  /** Rows read so far, over all files. */
  rowsRead: number;
}

export interface IngestResult {
  ledger: Ledger;
  /** Whether the inputs were rollups: rows are then per-day sums, not interactions. */
  rollup: boolean;
  files: FileSummary[];
  rowsRead: number;
  rowsUsed: number;
  /** Where the earliest used row is (null when no single row can be named, as with DuckDB). */
  earliest: { file: string; line: number; day: number } | null;
  /** Valid rows identical to an earlier row of any input (dropped as rejects with --dedupe). */
  duplicateRows: number;
  /** Byte ranges parsed by worker threads (0 when everything was read on one thread). */
  workerRanges: number;
  /** The most worker threads that parsed one file's ranges. */
  workersUsed: number;
  rejects: RejectTally;
}

export function displayName(file: string): string {
  return file === STDIN_NAME ? '<stdin>' : file;
}

/** A file that gave no columns at all, worded for its format: JSON has no header row. */
function nothingToRead(name: string, format: InputFormat, malformed: number, forced: boolean): InputError {
  if (format === 'ndjson') {
    return new InputError(
      malformed === 0 ? 'no JSON objects: the input is empty or blank lines' : malformed === 1 ? 'its only line is not a JSON object' : `none of its ${malformed.toLocaleString('en')} lines is a JSON object`,
      { file: name },
      forced
        ? 'NDJSON has one JSON object per line; for a CSV or TSV file leave --input-format out (the format is told from the name or the content).'
        : 'NDJSON has one JSON object per line.',
    );
  }
  if (format === 'json') return new InputError('the JSON array holds no objects', { file: name }, 'A JSON log is an array of objects, one per interaction.');
  return new InputError('no header row and no records', { file: name }, 'The first line must name the columns.');
}

function delimiterHintFor(columns: readonly string[], delimiter: string): string | undefined {
  if (columns.length !== 1) return undefined;
  const only = columns[0];
  for (const [d, name] of [[',', 'comma'], ['\t', 'tab'], [';', 'semicolon'], ['|', 'pipe']] as const) {
    if (d !== delimiter && only.includes(d)) {
      return `The header was read as one column; it looks ${name}-separated: pass --delimiter ${JSON.stringify(d)}.`;
    }
  }
  return undefined;
}

/**
 * Reads every input as one log into a ledger. Rows that cannot be used are
 * counted, reported and (with --strict) fatal; nothing is silently dropped.
 */
export async function ingest(opts: IngestOptions): Promise<IngestResult> {
  const by = opts.by;
  const ledger = new Ledger(by);
  const rejects = new RejectTally();
  const summaries: FileSummary[] = [];
  const dimensionsSeen = new Set<string>();
  let rowsRead = 0;
  let rowsUsed = 0;
  let duplicateRows = 0;
  let workerRanges = 0;
  let workersUsed = 0;
  let earliest: IngestResult['earliest'] = null;
  const duplicates = opts.dedupe === true ? new DuplicateSet() : new FingerprintLog();
  /** Null until the first file's header is seen. */
  let rollup: boolean | null = null;
  /** The first log's timestamp and stakeholder columns, for a --by that names one of them. */
  let mapped: ColumnMapping['names'] | undefined;
  if (opts.files.filter((f) => f === STDIN_NAME).length > 1) {
    throw new UsageError('standard input (-) can be read only once');
  }

  for (const file of opts.files) {
    const name = displayName(file);
    const plan = await planParallel(file, { inputFormat: opts.inputFormat, delimiter: opts.delimiter, dedupe: opts.dedupe === true, settings: opts.parallel });
    const source = plan === null ? await openSequential(file, name, opts) : parallelSource(plan, opts.parallel!, () => sink?.parsedColumns() ?? null);
    const { format, delimiter, invalidUtf8 } = source;

    const reject = (row: RejectedRow): void => {
      rejects.add(row);
      opts.onReject?.(row);
      // A duplicate dropped by --dedupe was asked for, not a fault of the input.
      if (opts.strict && row.reason !== 'duplicate') {
        throw new InputError(
          `${row.field ? `field "${row.field}": ` : ''}${row.message}`,
          { file: row.file, line: row.line },
          'Without --strict, rejected rows are reported and the run goes on.',
        );
      }
    };
    // The header decides between interactions and a rollup, so the sink is chosen at the first item.
    const sinkFor = (first: SourceItem | undefined): RecordSink | RollupSink => {
      const isRollup = opts.inputFormat === 'rollup' || (first?.kind === 'columns' && isRollupHeader(first.columns));
      if (rollup !== null && rollup !== isRollup) {
        throw new UsageError(
          `${name} holds ${isRollup ? 'a rollup' : 'interactions'}, but ${summaries[0].file} held ${rollup ? 'a rollup' : 'interactions'}`,
          'Analyse raw logs and rollups in separate runs.',
        );
      }
      rollup = isRollup;
      if (isRollup) return new RollupSink(ledger, { name, format, by, reject });
      return new RecordSink(ledger, {
        name,
        format,
        delimiterHint: (columns) => delimiterHintFor(columns, delimiter),
        columns: opts.columns,
        parseTime: opts.parseTime,
        by,
        reject,
        duplicates,
      });
    };
    let sink: RecordSink | RollupSink | null = null;
    for await (const unit of source.units) {
      if (unit.kind === 'parsed') {
        const { batch } = unit;
        if (batch.kind === 'rollup') {
          if (!(sink instanceof RollupSink)) throw new Error('parsed rollup rows reached an interaction sink');
          sink.acceptParsed(batch, unit.strings, unit.lineOffset);
        } else {
          if (!(sink instanceof RecordSink)) throw new Error('parsed records reached a rollup sink');
          sink.acceptParsed(batch, unit.strings, unit.lineOffset);
        }
        workerRanges++;
        workersUsed = Math.max(workersUsed, unit.worker + 1);
        opts.onProgress?.({ file: name, bytesRead: unit.bytesDone, totalBytes: source.totalBytes, rowsRead: rowsRead + sink.rowsRead });
        continue;
      }
      const batch = unit.items;
      if (batch.length === 0) continue;
      sink ??= sinkFor(batch[0]);
      opts.onProgress?.({ file: name, bytesRead: source.bytesRead(), totalBytes: source.totalBytes, rowsRead: rowsRead + sink.rowsRead + batch.length });
      sink.accept(batch);
    }

    if (sink === null || sink.mapping === null || !sink.sawColumns) {
      if (sink?.missing) throw sink.missing;
      throw nothingToRead(name, format, sink?.rowsRead ?? 0, opts.inputFormat !== undefined);
    }
    for (const d of sink.dimensionsSeen) dimensionsSeen.add(d);
    if (sink instanceof RecordSink && sink.mapping !== null) mapped ??= sink.mapping.names;
    rowsRead += sink.rowsRead;
    rowsUsed += sink.rowsUsed;
    if (sink instanceof RecordSink) duplicateRows += sink.duplicateRows;
    if (sink.earliest !== null && (earliest === null || sink.earliest.day < earliest.day)) earliest = { file: name, ...sink.earliest };
    summaries.push({ file: name, format, rollup: rollup === true, gzip: source.gzip, encoding: source.encoding, invalidUtf8: invalidUtf8.summary(), rowsRead: sink.rowsRead });
  }

  assertByAvailable(by, [...dimensionsSeen], { where: 'is not a field of the input', mapped });
  if (rowsRead === 0) {
    throw new InputError(`no data rows in ${summaries.map((s) => s.file).join(', ')} (only a header)`, undefined, 'Check that the export is complete.');
  }
  if (rowsUsed === 0) {
    const top = rejects.summary()[0];
    const example = top?.examples[0];
    throw new InputError(
      `all ${rowsRead} rows were rejected${example ? `; first: ${example.file}:${example.line}: ${example.field ? `field "${example.field}": ` : ''}${example.message}` : ''}`,
      undefined,
      top?.reason === 'timestamp'
        ? 'Check the timestamp layout: set --date-format (a date-fns pattern such as "dd/MM/yyyy HH:mm") or --timestamp-col; for wall-clock times check --tz.'
        : 'Check --timestamp-col, --stakeholder-col, --weight-col and --delimiter; --rejects FILE lists every rejected row.',
    );
  }
  if (duplicates instanceof FingerprintLog) duplicateRows = duplicates.countRepeats();
  return { ledger, rollup: rollup === true, files: summaries, rowsRead, rowsUsed, duplicateRows, workerRanges, workersUsed, earliest, rejects };
}

/** One input as the ingest loop reads it, whichever way it is read. */
interface InputSource {
  format: TextFormat;
  delimiter: string;
  gzip: boolean;
  encoding: InputEncoding;
  totalBytes: number | null;
  bytesRead(): number;
  invalidUtf8: InvalidUtf8Lines;
  units: AsyncIterable<ReadUnit>;
}

async function* itemsOf(batches: AsyncIterable<SourceItem[]>): AsyncGenerator<ReadUnit> {
  for await (const items of batches) yield { kind: 'items', items };
}

/** A stream on this thread: any format, gzip, UTF-16, standard input. */
async function openSequential(file: string, name: string, opts: IngestOptions): Promise<InputSource> {
  const opened = await openInput(file, opts.stdin, name);
  if (opened.head.length === 0) {
    throw new InputError('the file is empty', { file: name }, 'Export the log again, with a header row and at least one data row.');
  }
  assertTextual(opened.head, name);
  const headText = opened.head.toString('utf8');
  const { format, delimiter } = chooseFormat(file, headText, opts);
  const invalidUtf8 = new InvalidUtf8Lines();
  const batches: AsyncIterable<SourceItem[]> =
    format === 'json'
      ? readJsonArrayBatches(opened.stream, name, invalidUtf8)
      : format === 'ndjson'
        ? readNdjsonBatches(opened.stream, { invalidUtf8 })
        : scanDelimitedBatches(opened.stream, delimiter, null, invalidUtf8);
  return { format, delimiter, gzip: opened.gzip, encoding: opened.encoding, totalBytes: opened.totalBytes, bytesRead: opened.bytesRead, invalidUtf8, units: itemsOf(batches) };
}

/** A large plain delimited file, parsed by worker threads. */
function parallelSource(plan: ParallelPlan, settings: ParallelSettings, columns: () => ParallelColumns | null): InputSource {
  const invalidUtf8 = new InvalidUtf8Lines();
  const workerUrl = new URL('./parse-worker.js', import.meta.url);
  return {
    format: plan.format,
    delimiter: plan.delimiter < 0 ? ',' : String.fromCharCode(plan.delimiter),
    gzip: false,
    encoding: 'utf-8',
    totalBytes: plan.size,
    // Progress comes with each parsed range; the head is too small to report.
    bytesRead: () => 0,
    invalidUtf8,
    units: readParallel(plan, settings, invalidUtf8, columns, workerUrl),
  };
}
