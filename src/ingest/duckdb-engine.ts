import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { Ledger } from '../ledger/ledger.js';
import { buildRollupQuery } from '../sql/build-rollup-query.js';
import { doubleQuoted, singleQuoted, type TimestampType } from '../sql/dialect.js';
import { assertByAvailable, mapColumns, type ColumnOptions } from './column-mapping.js';
import type { FileSummary, IngestResult } from './ingest.js';
import { formatFromName, isParquetName, type InputFormat, type TextFormat } from './input-format.js';
import { STDIN_NAME } from './open-input.js';
import { RejectTally, type RejectedRow } from './rejects.js';
import { isRollupHeader, ROLLUP_COLUMNS } from './rollup-schema.js';
import { RollupSink } from './rollup-sink.js';
import { readTypedRollup } from './duckdb-typed-rollup.js';
import type { SourceItem } from './source-item.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

export interface DuckDbIngestOptions {
  files: readonly string[];
  cwd: string;
  inputFormat?: InputFormat;
  delimiter?: string;
  columns: ColumnOptions;
  by: readonly string[];
  tz: string;
  dedupe: boolean;
  strict: boolean;
  /** Skip the typed read and take every row through text (tests hold the two paths to each other). */
  rowByRow?: boolean;
}

/** The subset of @duckdb/node-api used here, so the optional dependency stays optional at compile time too. */
interface DuckDbModule {
  DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<DuckDbInstance> };
}
interface DuckDbInstance {
  connect(): Promise<DuckDbConnection>;
}
interface DuckDbConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][]; columnNames(): string[]; columnTypes(): { toString(): string }[] }>;
  stream(sql: string): Promise<{ fetchChunk(): Promise<{ rowCount: number; getRows(): unknown[][]; getColumnVector(column: number): { getItem(row: number): unknown } } | null> }>;
  closeSync?(): void;
}

function loadDuckDb(): DuckDbModule {
  try {
    // Resolved from the package, so a global install finds its own optional dependency.
    return createRequire(import.meta.url)('@duckdb/node-api') as DuckDbModule;
  } catch {
    throw new UsageError(
      '--engine duckdb (and Parquet input) needs the optional package @duckdb/node-api, which is not installed',
      'Install it next to engage-audit (npm install @duckdb/node-api), or use the default engine on CSV, TSV, JSON or NDJSON.',
    );
  }
}

type EngineFormat = TextFormat | 'parquet';
/** What the engine reads (JSON is refused: DuckDB would retype its values). */
type ReadFormat = Exclude<EngineFormat, 'json' | 'ndjson'>;

function engineFormatOf(file: string, forced: InputFormat | undefined): EngineFormat {
  if (forced !== undefined && forced !== 'rollup') return forced;
  if (isParquetName(file)) return 'parquet';
  return formatFromName(file) ?? 'csv';
}

/**
 * DuckDB's reader for the files: Parquet as typed, CSV and TSV as text, so
 * that validation matches the JS reader's (JSON is refused before this).
 */
function readerSql(format: ReadFormat, paths: string[], delimiter: string | undefined): string {
  const list = `[${paths.map(singleQuoted).join(', ')}]`;
  if (format === 'parquet') return `read_parquet(${list}, union_by_name = true)`;
  const delim = format === 'tsv' ? '\t' : delimiter;
  return `read_csv(${list}, header = true, all_varchar = true, union_by_name = true${delim === undefined ? '' : `, delim = ${singleQuoted(delim)}`})`;
}

/** What a column of a typed source (Parquet) means as a timestamp. */
function timestampTypeOf(duckType: string): TimestampType {
  const t = duckType.toUpperCase();
  if (t.startsWith('TIMESTAMP WITH TIME ZONE') || t === 'TIMESTAMPTZ') return 'instant';
  // Parquet's TIMESTAMP without isAdjustedToUTC is a wall-clock time, as the JS reader reads zoneless text.
  if (t.startsWith('TIMESTAMP')) return 'wall';
  return 'text';
}

/**
 * Runs the rollup query of `engage-audit sql --dialect duckdb` in-process on
 * the input files and feeds the rollup to a ledger, instead of scanning rows
 * in JavaScript: the way to read Parquet, and an alternative engine for the
 * rest. Rows DuckDB filters are counted but cannot be listed one by one.
 */
export async function ingestWithDuckDb(opts: DuckDbIngestOptions): Promise<IngestResult> {
  if (opts.files.includes(STDIN_NAME)) {
    throw new UsageError('--engine duckdb cannot read standard input', 'Give the log as a file, or use the default engine.');
  }
  const formats = new Set(opts.files.map((f) => engineFormatOf(f, opts.inputFormat)));
  if (formats.size > 1) {
    throw new UsageError(
      `--engine duckdb reads several files as one log only when they share a format; these are ${[...formats].join(', ')}`,
      'Convert them to one format, or analyse them in separate runs.',
    );
  }
  const format = [...formats][0];
  if (format === 'json' || format === 'ndjson') {
    // DuckDB types JSON values itself (2.0 for 2, quoted strings in mixed fields), so ids
    // and dimension values would not be spelled as the default engine spells them.
    throw new UsageError(
      'the DuckDB engine (--engine duckdb, or a file named .parquet) reads CSV, TSV and Parquet, not JSON',
      'The default engine reads JSON and NDJSON: drop --engine duckdb, and name a JSON file .json or .ndjson.',
    );
  }
  const paths = opts.files.map((f) => resolve(opts.cwd, f));
  const shown = opts.files.join(', ');
  const duckdb = loadDuckDb();
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await rollUpInDuckDb(connection, opts, format, paths, shown);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) throw err;
    // Anything DuckDB raises past the first read (a ragged row beyond its sample, a cast) is about the input.
    throw new InputError(`DuckDB could not read the input: ${(err as Error).message.split('\n')[0]}`, { file: shown }, 'Use the default engine, which rejects bad rows one by one and lists them with --rejects FILE.');
  } finally {
    connection.closeSync?.();
  }
}

async function rollUpInDuckDb(connection: DuckDbConnection, opts: DuckDbIngestOptions, format: ReadFormat, paths: string[], shown: string): Promise<IngestResult> {
  const reader = readerSql(format, paths, opts.delimiter);
  let described;
  try {
    described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`);
  } catch (err) {
    throw new InputError(
      `DuckDB could not read the input as ${format}: ${(err as Error).message.split('\n')[0]}`,
      { file: shown },
      'Check the format (--input-format) and the file; DuckDB reads UTF-8 only, while the default engine also decodes UTF-16.',
    );
  }
  const columns = described.getRows().map((r) => String(r[0]));
  const types = new Map(described.getRows().map((r) => [String(r[0]), String(r[1])]));
  const rejects = new RejectTally();
  const isRollup = opts.inputFormat === 'rollup' || isRollupHeader(columns);
  // A rollup read through DuckDB has its rows rejected like any rollup's. Rows the engine rolled
  // up itself are counted once, as filtered interactions below, whatever the sink thinks of them.
  const reject = (r: RejectedRow): void => {
    if (!isRollup) return;
    rejects.add(r);
    if (opts.strict) throw new InputError(`field "${r.field}": ${r.message}`, { file: shown, line: r.line }, 'Without --strict, rejected rows are reported and the run goes on.');
  };
  const fresh = (): { ledger: Ledger; sink: RollupSink } => {
    const ledger = new Ledger(opts.by);
    return { ledger, sink: new RollupSink(ledger, { name: shown, format: 'csv', by: opts.by, reject, rowsAreInteractions: !isRollup }) };
  };
  let { ledger, sink } = fresh();

  let select: string;
  let rowsRead: number | null = null;
  let duplicateRows = 0;
  if (isRollup) {
    // A rollup read through DuckDB (e.g. Parquet): the sink validates each row as from any file.
    select = `SELECT * FROM ${reader}`;
  } else {
    const mapping = mapColumns(columns, opts.columns, shown);
    assertByAvailable(opts.by, mapping.dimensions.map((d) => d.name), { file: shown, where: 'is not a column of the input', mapped: mapping.names });
    const dims = opts.by.map((b) => mapping.dimensions.find((d) => d.name === b)!).map((d) => columns[d.index]);
    const source = opts.dedupe ? `(SELECT DISTINCT * FROM ${reader})` : reader;
    select = buildRollupQuery({
      dialect: 'duckdb',
      sourceSql: source,
      stakeholderCol: mapping.names.stakeholder,
      timestampCol: mapping.names.timestamp,
      weightCol: mapping.names.weight ?? undefined,
      // Only the --by dimensions are carried, as in any rollup: grouping by every other
      // column (an amount, a free-text note) would multiply the rows for nothing.
      by: dims,
      tz: opts.tz,
      timestampType: timestampTypeOf(types.get(mapping.names.timestamp) ?? 'VARCHAR'),
    });
    // Duplicates by a 64-bit hash of the whole row, as the JS engine fingerprints rows:
    // a DISTINCT over every text column would hold the whole log in memory.
    const rowHash = `hash(${columns.map(doubleQuoted).join(', ')})`;
    const counts = await connection.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT ${rowHash}) AS distinct_n FROM ${reader}`);
    const [n, distinctN] = counts.getRows()[0].map(Number);
    rowsRead = n;
    duplicateRows = n - distinctN;
    // Sums of doubles (weights, gaps in fractional seconds) depend on the order they are added
    // in, which with several threads changes from run to run (so does the order of rows tied
    // at one instant): the same log gave reports differing in the last digits. On one thread
    // the query runs the same way every time, at a cost: 47 s instead of 30 s on the 10M-row
    // benchmark log. The counts above are exact whatever the order.
    await connection.run('SET threads = 1');
  }
  // Dates and big integers come back as objects, and a bad value must reject its row rather than
  // fail the query: every fixed column goes out as text, and the sink validates it as from a file.
  const fixed = ROLLUP_COLUMNS.filter((c) => c !== 'stakeholder');
  const textSelect = `SELECT * REPLACE (${fixed.map((c) => `CAST("${c}" AS VARCHAR) AS "${c}"`).join(', ')}) FROM (${select})`;
  const header: SourceItem[] = [{ kind: 'columns', columns: (await connection.runAndReadAll(`DESCRIBE ${textSelect}`)).getRows().map((r) => String(r[0])) }];
  sink.accept(header);
  const typed = (await connection.runAndReadAll(`DESCRIBE ${select}`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  if (opts.rowByRow === true || !(await readTypedRollup(connection, select, typed, sink, { materialize: !isRollup }))) {
    if (sink.rowsRead > 0) {
      ({ ledger, sink } = fresh());
      sink.accept(header);
    }
    const result = await connection.stream(textSelect);
    // Positions as the file shows them: CSV lines after the header, Parquet rows from 1.
    let line = format === 'parquet' ? 0 : 1;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const items: SourceItem[] = chunk.getRows().map((values) => ({
        kind: 'record',
        line: ++line,
        // A BIGINT past 2^53 as its exact text: an id keeps its digits, and a sum reads the same double.
        values: values.map((v) => (typeof v === 'bigint' ? (v >= -MAX_EXACT && v <= MAX_EXACT ? Number(v) : v.toString()) : v)),
        raw: '',
      }));
      sink.accept(items);
    }
  }

  let rowsUsed = sink.rowsUsed;
  if (rowsRead === null) {
    rowsRead = sink.rowsRead;
  } else {
    // Raw rows went in; the rollup's interactions are the rows that survived validation.
    rowsUsed = sink.interactions;
    const filtered = rowsRead - duplicateRows * (opts.dedupe ? 1 : 0) - rowsUsed;
    rejects.addCount('engine', filtered);
    if (opts.dedupe) rejects.addCount('duplicate', duplicateRows);
    if (opts.strict && filtered > 0) {
      throw new InputError(`${filtered} rows have an empty id, an unreadable timestamp or a bad weight`, { file: shown }, 'Run with the default engine and --rejects FILE to list them; without --strict they are counted and skipped.');
    }
  }
  if (rowsRead === 0) throw new InputError(`no data rows in ${shown} (only a header)`, undefined, 'Check that the export is complete.');
  if (rowsUsed === 0) {
    throw new InputError(`all ${rowsRead} rows were rejected`, { file: shown }, 'Run with the default engine and --rejects FILE to see why.');
  }
  const files: FileSummary[] = opts.files.map((f) => ({ file: f, format, rollup: isRollup, gzip: /\.gz$/i.test(f), rowsRead: 0, encoding: 'utf-8', invalidUtf8: null }));
  files[0].rowsRead = rowsRead;
  return { ledger, rollup: isRollup, files, rowsRead, rowsUsed, duplicateRows, workerRanges: 0, workersUsed: 0, earliest: null, rejects };
}
