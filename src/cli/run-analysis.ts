import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../analysis/analyze.js';
import { detectBursts } from '../analysis/detect-bursts.js';
import { loadConfig, resolveSettings } from '../config/load-config.js';
import type { Settings } from '../config/settings.js';
import { InputError, UsageError } from '../errors.js';
import { loadEvents } from '../events/load-events.js';
import { ingest } from '../ingest/ingest.js';
import type { RejectedRow } from '../ingest/rejects.js';
import { anonymizeReport } from '../report/anonymize.js';
import { buildReport } from '../report/build-report.js';
import type { Report } from '../report/report-types.js';
import { parseDay } from '../time/civil-date.js';
import { createTimestampParser } from '../time/parse-timestamp.js';
import { assertValidZone, Zone } from '../time/zone.js';
import { toCsvRow } from '../render/csv-cell.js';
import { integer } from '../render/format-number.js';
import { eventsNotice } from '../render/summary-sentences.js';
import type { CliIo } from './io.js';
import { FLAG_FOR_SETTING, settingsFromFlags, type AnalysisFlags } from './shared-options.js';
import { TOOL } from './tool-info.js';
import { assertOutputsAreNotInputs } from './write-output.js';

export interface AnalysisRun {
  report: Report;
  settings: Settings;
  /** Problems worth a look, for stderr (not data). */
  warnings: string[];
  /** Facts about how the report was made (e.g. detected events), for stderr. */
  notices: string[];
}

/** Streams rejected rows to a CSV as they come, so none is held in memory. */
class RejectsWriter {
  private readonly out: WriteStream;
  private failed: Error | null = null;
  constructor(readonly path: string) {
    this.out = createWriteStream(path);
    this.out.on('error', (err) => {
      this.failed = err;
    });
    this.out.write(toCsvRow(['file', 'line', 'reason', 'field', 'message', 'raw']));
  }
  write(r: RejectedRow): void {
    this.out.write(toCsvRow([r.file, String(r.line), r.reason, r.field ?? '', r.message, r.raw]));
  }
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.out.end(resolve));
    if (this.failed) throw new InputError(`cannot write the rejects file: ${this.failed.message}`, { file: this.path });
  }
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
  assertOutputsAreNotInputs({ '--rejects': flags.rejects, ...outputs }, [...files, ...(flags.events ?? []), ...configEvents, ...configFile], io.cwd);
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
    createTimestampParser(zone),
  );
  warnings.push(...loaded.warnings);

  const rejectsWriter = flags.rejects ? new RejectsWriter(flags.rejects) : null;
  let ingested;
  try {
    ingested = await ingest({
      files,
      inputFormat: flags.inputFormat,
      delimiter: flags.delimiter,
      columns: { timestampCol: settings.timestampCol, stakeholderCol: settings.stakeholderCol, weightCol: settings.weightCol },
      parseTime: createTimestampParser(zone, settings.dateFormat),
      by: settings.by,
      strict: flags.strict === true,
      stdin: io.stdin,
      onReject: rejectsWriter ? (r) => rejectsWriter.write(r) : undefined,
    });
  } finally {
    await rejectsWriter?.close();
  }

  const from = settings.from === undefined ? undefined : parseDay(settings.from)!;
  const to = settings.to === undefined ? undefined : parseDay(settings.to)!;
  const snapshot = ingested.ledger.snapshot(from, to);
  if (snapshot.period.from > snapshot.period.to) {
    throw new UsageError(`the observation period is empty: --from ${settings.from} is after the last day with data`, 'Check --from/--to.');
  }
  if (snapshot.stakeholders.length === 0) {
    throw new UsageError(
      `none of the ${ingested.rowsUsed} valid interactions falls inside the observation period ${settings.from ?? '…'} to ${settings.to ?? '…'}`,
      'Check --from/--to and --tz.',
    );
  }

  const events = loaded.declared
    ? loaded.events
    : detectBursts(snapshot.stakeholders, snapshot.period, settings.burstScale, settings.burstCost);

  const result = analyze({
    period: snapshot.period,
    stakeholders: snapshot.stakeholders,
    segments: snapshot.segments,
    events,
    eventsDeclared: loaded.declared,
    settings,
  });

  if (result.eventsOutsidePeriod.length > 0) {
    warnings.push(
      `${result.eventsOutsidePeriod.length} event(s) have no window inside ${result.period.from}…${result.period.to} and are ignored: ${result.eventsOutsidePeriod.slice(0, 5).join(', ')}${result.eventsOutsidePeriod.length > 5 ? ', …' : ''}`,
    );
  }
  if (ingested.rejects.total > 0) {
    warnings.push(
      `${integer(ingested.rejects.total)} of ${integer(ingested.rowsRead)} rows rejected${flags.rejects ? ` (all listed in ${flags.rejects})` : ' (pass --rejects FILE to list them all)'}`,
    );
  }
  if (snapshot.outOfRange > 0) {
    warnings.push(`${integer(snapshot.outOfRange)} interactions fall outside ${result.period.from}…${result.period.to} and are not used`);
  }

  const report = buildReport(
    {
      tool: TOOL,
      settings,
      eventsSource: loaded.declared ? 'declared' : 'detected',
      input: {
        files: ingested.files.map((f) => f.file),
        rowsRead: ingested.rowsRead,
        rowsUsed: ingested.rowsUsed - snapshot.outOfRange,
        rowsRejected: ingested.rejects.total,
        rowsOutOfRange: snapshot.outOfRange,
        rejectReasons: ingested.rejects.summary(),
      },
    },
    result,
  );
  const notice = eventsNotice(report);
  const salt = flags.anonymizeSalt ?? io.env.ENGAGE_AUDIT_SALT ?? '';
  return { report: flags.anonymize ? anonymizeReport(report, salt) : report, settings, warnings, notices: notice ? [notice] : [] };
}
