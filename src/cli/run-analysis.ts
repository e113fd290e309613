import { closeSync, openSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { analyze, CalendarError } from '../analysis/analyze.js';
import { detectBursts } from '../analysis/detect-bursts.js';
import { loadConfig, resolveSettings } from '../config/load-config.js';
import type { Settings } from '../config/settings.js';
import { InputError, UsageError } from '../errors.js';
import { describeOverlap, findOverlaps } from '../events/find-overlaps.js';
import { loadEvents } from '../events/load-events.js';
import type { ColumnOptions } from '../ingest/column-mapping.js';
import { ingest, type IngestResult } from '../ingest/ingest.js';
import { isParquetName } from '../ingest/input-format.js';
import { parallelDefaults } from '../ingest/parallel-read.js';
import { describeInvalidUtf8 } from '../ingest/invalid-utf8.js';
import type { RejectedRow } from '../ingest/rejects.js';
import { anonymizeReport } from '../report/anonymize.js';
import { buildReport } from '../report/build-report.js';
import { isReservedStakeholderKey } from '../report/report-types.js';
import type { Report } from '../report/report-types.js';
import { daysFromCivil, formatDay, parseDay } from '../time/civil-date.js';
import { createTimestampParser } from '../time/parse-timestamp.js';
import { assertValidZone, Zone } from '../time/zone.js';
import { toCsvRow } from '../render/csv-cell.js';
import { integer } from '../render/format-number.js';
import { eventsNotice } from '../render/summary-sentences.js';
import type { CliIo } from './io.js';
import { FLAG_FOR_SETTING, settingsFromFlags, type AnalysisFlags } from './shared-options.js';
import { TOOL } from './tool-info.js';
import { progressReporter } from './progress.js';
import { assertOutputsAreNotInputs, writeErrorText } from './write-output.js';

export interface AnalysisRun {
  report: Report;
  settings: Settings;
  /** Problems worth a look, for stderr (not data). */
  warnings: string[];
  /** Facts about how the report was made (e.g. detected events), for stderr. */
  notices: string[];
}

/**
 * Writes rejected rows to a CSV as they come, in 64 KiB batches, so none is
 * held in memory. The file is opened before any input is read: an unwritable
 * path fails at once.
 */
class RejectsWriter {
  private readonly fd: number;
  private buffer = '';
  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (err) {
      throw new InputError(`cannot write the --rejects file: ${writeErrorText(err)}`, { file: path });
    }
    this.buffer = toCsvRow(['file', 'line', 'reason', 'field', 'message', 'raw']);
  }
  write(r: RejectedRow): void {
    this.buffer += toCsvRow([r.file, r.line, r.reason, r.field ?? '', r.message, r.raw]);
    if (this.buffer.length >= 65_536) this.flush();
  }
  private flush(): void {
    try {
      writeSync(this.fd, this.buffer);
    } catch (err) {
      throw new InputError(`cannot write the --rejects file: ${writeErrorText(err)}`, { file: this.path });
    }
    this.buffer = '';
  }
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Analysis says what is wrong with the calendar; the CLI says what to do about it. */
function calendarUsageError(err: CalendarError): UsageError {
  const period = `${formatDay(err.period.from)}…${formatDay(err.period.to)}`;
  return err.code === 'no-window-days'
    ? new UsageError(
        `none of the ${plural(err.declaredEvents, 'declared event')} has a window inside the observation period (${period}): there are no window days to measure`,
        'Check the event dates and --tz, or widen the period with --from/--to.',
      )
    : new UsageError(
        `the event windows cover the whole observation period (${period}, ${plural(err.period.days, 'day')}): there are no baseline days to compare with`,
        'Narrow the windows (--before/--after, or per-event before/after) or widen the period with --from/--to.',
      );
}

/** Bytes on disk of the inputs that are files (standard input has no size). */
async function totalSize(files: readonly string[], cwd: string): Promise<number> {
  let total = 0;
  for (const f of files) {
    if (f === '-') continue;
    total += await stat(resolve(cwd, f)).then(
      (st) => (st.isFile() ? st.size : 0),
      () => 0,
    );
  }
  return total;
}

/** Enough overlap warnings to see the pattern; a calendar of back-to-back events would otherwise flood stderr. */
const MAX_OVERLAP_WARNINGS = 10;

/** Before this day a period is more likely a stray value (an epoch-like number, a typo) than a real log. */
const PLAUSIBLE_START = daysFromCivil(1990, 1, 1);

function columnsOf(settings: Settings): ColumnOptions {
  return { timestampCol: settings.timestampCol, stakeholderCol: settings.stakeholderCol, weightCol: settings.weightCol };
}

/** Parquet needs DuckDB; anything else uses it only when asked. */
function useDuckDb(flags: AnalysisFlags, files: readonly string[]): boolean {
  // A text format named with --input-format wins over a .parquet name: the file is what the user says.
  const text = flags.inputFormat !== undefined && flags.inputFormat !== 'rollup';
  return flags.engine === 'duckdb' || (flags.engine === undefined && !text && files.some(isParquetName));
}

async function ingestInDuckDb(files: readonly string[], flags: AnalysisFlags, settings: Settings, io: CliIo): Promise<IngestResult> {
  if (flags.rejects !== undefined) {
    throw new UsageError('--rejects cannot list rows with --engine duckdb (or Parquet input): DuckDB filters them in SQL', 'Use the default engine on a CSV, TSV, JSON or NDJSON copy to list every rejected row.');
  }
  if (settings.dateFormat !== undefined) {
    throw new UsageError('--date-format is not available with --engine duckdb (or Parquet input)', 'Use the default engine, or store the timestamps as ISO 8601 or as a timestamp type.');
  }
  // Loaded only here: the SQL builder and DuckDB stay out of ordinary runs.
  const { ingestWithDuckDb } = await import('../ingest/duckdb-engine.js');
  return ingestWithDuckDb({
    files,
    cwd: io.cwd,
    inputFormat: flags.inputFormat,
    delimiter: flags.delimiter,
    columns: columnsOf(settings),
    by: settings.by,
    tz: settings.tz,
    dedupe: settings.dedupe,
    strict: flags.strict === true,
  });
}

/** --threads, or one parse worker per core (the main thread stores what they parse). */
function threadsOf(flags: AnalysisFlags): number {
  if (flags.threads === undefined) return availableParallelism();
  if (flags.threads < 1) throw new UsageError(`--threads ${flags.threads}: needs at least 1`, 'Pass --threads 1 to read on one thread, or leave it out to use every core.');
  return flags.threads;
}

async function ingestInJs(files: readonly string[], flags: AnalysisFlags, settings: Settings, zone: Zone, io: CliIo): Promise<IngestResult> {
  const rejectsWriter = flags.rejects ? new RejectsWriter(flags.rejects) : null;
  const progress = progressReporter(io, flags.quiet === true, await totalSize(files, io.cwd));
  let ingested;
  try {
    ingested = await ingest({
      files,
      inputFormat: flags.inputFormat,
      delimiter: flags.delimiter,
      columns: columnsOf(settings),
      parseTime: createTimestampParser(zone, settings.dateFormat),
      by: settings.by,
      strict: flags.strict === true,
      dedupe: settings.dedupe,
      parallel: { threads: threadsOf(flags), ...parallelDefaults(io.env), by: settings.by, tz: settings.tz, dateFormat: settings.dateFormat },
      stdin: io.stdin,
      onReject: rejectsWriter ? (r) => rejectsWriter.write(r) : undefined,
      onProgress: progress.onProgress,
    });
    progress.done();
  } catch (err) {
    progress.done();
    // The original error matters more than a failure to flush the rejects.
    try {
      rejectsWriter?.close();
    } catch {
      /* reported through err */
    }
    throw err;
  }
  rejectsWriter?.close();
  return ingested;
}

/** Config → settings → events → ingest → ledger → analysis → report. */
export async function runAnalysis(
  files: readonly string[],
  flags: AnalysisFlags,
  io: CliIo,
  /** Command-specific checks of the settings, run before any input is read. */
  checkSettings?: (settings: Settings) => void,
  /** Files this run will write, by flag, so none of them can be an input. */
  outputs: Record<string, string | undefined> = {},
): Promise<AnalysisRun> {
  if (files.length === 0) {
    throw new UsageError('no input file given', 'Pass one or more log files, or - to read standard input.');
  }
  const config = await loadConfig(io.cwd, flags.config);
  const settings = resolveSettings(config, settingsFromFlags(flags), (k) => FLAG_FOR_SETTING[k] ?? k);
  checkSettings?.(settings);
  const configEvents = typeof settings.events === 'string' ? [resolve(config.dir, settings.events)] : [];
  const configFile = config.path === null ? [] : [config.path];
  assertOutputsAreNotInputs({ '--rejects': flags.rejects, ...outputs }, [...files, ...(flags.events ?? []), ...configEvents, ...configFile], io.cwd, io.standardFiles?.());
  assertValidZone(settings.tz, flags.tz !== undefined ? '--tz' : `${config.source ?? 'settings'}: tz`);
  const zone = new Zone(settings.tz);
  const warnings: string[] = [];

  const loaded = await loadEvents(
    {
      files: flags.events ?? [],
      flags: flags.event ?? [],
      config:
        settings.events === undefined
          ? undefined
          : { value: settings.events as string | Record<string, unknown>[], dir: config.dir, source: config.source ?? 'config' },
    },
    io.cwd,
    // --date-format is the log's layout: an event's dates are ISO 8601 whatever it says.
    createTimestampParser(zone, undefined, { unrecognised: 'not YYYY-MM-DD or an ISO 8601 date/time (event dates are ISO, whatever --date-format says)' }),
  );
  warnings.push(...loaded.warnings);

  const inDuckDb = useDuckDb(flags, files);
  const ingested = inDuckDb ? await ingestInDuckDb(files, flags, settings, io) : await ingestInJs(files, flags, settings, zone, io);
  for (const f of ingested.files) if (f.invalidUtf8 !== null) warnings.push(describeInvalidUtf8(f.file, f.invalidUtf8, f));
  if (ingested.rollup) {
    const ignored = (['timestampCol', 'stakeholderCol', 'weightCol', 'dateFormat'] as const).filter((k) => settings[k] !== undefined);
    if (ignored.length > 0) {
      warnings.push(
        `${ignored.map((k) => FLAG_FOR_SETTING[k]).join(', ')} ${ignored.length === 1 ? 'does' : 'do'} not apply to a rollup, which already holds per-day sums: ignored`,
      );
    }
  }

  const from = settings.from === undefined ? undefined : parseDay(settings.from)!;
  const to = settings.to === undefined ? undefined : parseDay(settings.to)!;
  const snapshot = ingested.ledger.snapshot(from, to);
  if (snapshot.period.from > snapshot.period.to) {
    const data = ingested.ledger.dayRange;
    const why =
      from !== undefined && to !== undefined
        ? `--from ${settings.from} is after --to ${settings.to}`
        : from !== undefined
          ? `--from ${settings.from} is after the last day with data (${formatDay(data.to)})`
          : `--to ${settings.to} is before the first day with data (${formatDay(data.from)})`;
    throw new UsageError(`the observation period is empty: ${why}`, 'Check --from/--to.');
  }
  if (snapshot.stakeholders.length === 0) {
    throw new UsageError(
      `none of the ${ingested.rowsUsed} valid ${ingested.rollup ? 'rollup rows' : 'interactions'} falls inside the observation period ${settings.from ?? '…'} to ${settings.to ?? '…'}`,
      'Check --from/--to and --tz.',
    );
  }

  const events = loaded.declared
    ? loaded.events
    : detectBursts(snapshot.stakeholders, snapshot.period, settings.burstScale, settings.burstCost);

  let result;
  try {
    result = analyze({
      period: snapshot.period,
      stakeholders: snapshot.stakeholders,
      segments: snapshot.segments,
      events,
      eventsDeclared: loaded.declared,
      settings,
    });
  } catch (err) {
    throw err instanceof CalendarError ? calendarUsageError(err) : err;
  }

  if (snapshot.period.from < PLAUSIBLE_START) {
    warnings.push(
      `the observation period starts on ${formatDay(result.period.from)} (${integer(result.period.days)} days)${
        ingested.earliest !== null && ingested.earliest.day === snapshot.period.from ? `, from ${ingested.earliest.file}:${ingested.earliest.line}` : ''
      }: a stray early timestamp, or a number read as epoch seconds (e.g. 20240115 or 2024), may have stretched it. Check that row and the timestamp column, or set --from`,
    );
  }
  const hidden = ingested.ledger.dimensions.filter((d) => isReservedStakeholderKey(d));
  if (hidden.length > 0) {
    warnings.push(
      `column(s) ${hidden.map((d) => `"${d}"`).join(', ')} share a name with a stakeholder field and are not shown on stakeholder rows (--by still works with them)`,
    );
  }

  const outside = result.eventsOutsidePeriod;
  if (outside.length > 0) {
    const one = outside.length === 1;
    warnings.push(
      `${plural(outside.length, 'event')} ${one ? 'has' : 'have'} no window inside ${formatDay(result.period.from)}…${formatDay(result.period.to)} and ${one ? 'is' : 'are'} ignored: ${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', …' : ''}`,
    );
  }
  if (loaded.declared) {
    const overlaps = findOverlaps(events, settings, result.period);
    warnings.push(...overlaps.slice(0, MAX_OVERLAP_WARNINGS).map(describeOverlap));
    if (overlaps.length > MAX_OVERLAP_WARNINGS) {
      warnings.push(`${integer(overlaps.length - MAX_OVERLAP_WARNINGS)} more pairs of event windows overlap (${integer(overlaps.length)} in all)`);
    }
  }
  if (ingested.rejects.total > 0) {
    warnings.push(
      `${integer(ingested.rejects.total)} of ${integer(ingested.rowsRead)} rows rejected${inDuckDb ? ' by DuckDB (the default engine lists them with --rejects FILE)' : flags.rejects ? ` (all listed in ${flags.rejects})` : ' (pass --rejects FILE to list them all)'}`,
    );
  }
  if (ingested.ledger.fromRollup && snapshot.period.from > ingested.ledger.dayRange.from) {
    warnings.push(
      ingested.rollup
        ? `the rollup starts on ${formatDay(ingested.ledger.dayRange.from)}, before --from ${formatDay(snapshot.period.from)}: burstiness still counts each stakeholder's first gap in the period back to its last interaction before it (a rollup keeps gaps as sums); filter the rollup query instead for an exact figure`
        : `with --engine duckdb, burstiness counts each stakeholder's first gap after --from ${formatDay(snapshot.period.from)} back to its last interaction before it (DuckDB computes the gaps over the whole log); the default engine gives the exact figure`,
    );
  }
  if (ingested.duplicateRows > 0 && !settings.dedupe) {
    warnings.push(`${plural(ingested.duplicateRows, 'row')} ${ingested.duplicateRows === 1 ? 'is an exact duplicate' : 'are exact duplicates'} of earlier rows and ${ingested.duplicateRows === 1 ? 'is' : 'are'} counted twice (--dedupe drops them)`);
  }
  if (snapshot.outOfRange > 0) {
    warnings.push(`${integer(snapshot.outOfRange)} ${ingested.rollup ? 'rollup rows' : 'interactions'} fall outside ${formatDay(result.period.from)}…${formatDay(result.period.to)} and are not used`);
  }

  const report = buildReport(
    {
      tool: TOOL,
      settings,
      eventsUsed: !loaded.declared
        ? null
        : (flags.events ?? []).length + (flags.event ?? []).length > 0
          ? [...(flags.events ?? []), ...(flags.event ?? []).map((e) => `--event ${e}`)]
          : (settings.events ?? null),
      eventsSource: loaded.declared ? 'declared' : 'detected',
      input: {
        files: ingested.files.map((f) => f.file),
        rowsRead: ingested.rowsRead,
        rowsUsed: ingested.rowsUsed - snapshot.outOfRange,
        rowsRejected: ingested.rejects.total,
        rowsOutOfRange: snapshot.outOfRange,
        duplicateRows: ingested.duplicateRows,
        rejectReasons: ingested.rejects.summary(),
      },
    },
    result,
  );
  const notice = eventsNotice(report);
  const salt = flags.anonymizeSalt ?? io.env.ENGAGE_AUDIT_SALT ?? '';
  return { report: flags.anonymize ? anonymizeReport(report, salt) : report, settings, warnings, notices: notice ? [notice] : [] };
}
