import { InvalidArgumentError, Option, type Command } from 'commander';
import type { PartialSettings } from '../config/settings.js';
import { INPUT_FORMATS, type InputFormat } from '../ingest/input-format.js';

export function parseInteger(value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number(value);
}

export function parsePositiveInteger(value: string): number {
  const n = parseInteger(value);
  if (n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

/** A field separator: `\t` or `tab` spell a tab, which a shell makes awkward to type; several characters (`||`) go to csv-parse. */
export function parseDelimiter(value: string): string {
  const d = value === '\\t' || value.toLowerCase() === 'tab' ? '\t' : value;
  if (d === '') throw new InvalidArgumentError('expected a separator, such as ";" or "|" (\\t or tab for a tab).');
  if (/["\r\n]/.test(d)) throw new InvalidArgumentError('a quote or a line break cannot separate fields.');
  return d;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];
}

/** Options as commander hands them to an action of `report` or `check`. */
export interface AnalysisFlags {
  events?: string[];
  event?: string[];
  config?: string;
  inputFormat?: InputFormat;
  delimiter?: string;
  timestampCol?: string;
  stakeholderCol?: string;
  weightCol?: string;
  dateFormat?: string;
  dedupe?: boolean;
  engine?: 'js' | 'duckdb';
  threads?: number;
  tz?: string;
  before?: number;
  after?: number;
  from?: string;
  to?: string;
  minInteractions?: number;
  silenceDays?: number;
  profileDays?: number;
  settleDays?: number;
  tolerance?: number;
  confidence?: number;
  flagAbove?: number;
  by?: string[];
  timeline?: 'day' | 'week' | 'month';
  burstScale?: number;
  burstCost?: number;
  rejects?: string;
  strict?: boolean;
  anonymize?: boolean;
  anonymizeSalt?: string;
  quiet?: boolean;
  color: boolean;
  debug?: boolean;
}

/** Setting key → the flag that sets it, for messages. */
export const FLAG_FOR_SETTING: Record<string, string> = {
  tz: '--tz',
  before: '--before',
  after: '--after',
  from: '--from',
  to: '--to',
  minInteractions: '--min-interactions',
  silenceDays: '--silence-days',
  profileDays: '--profile-days',
  settleDays: '--settle-days',
  tolerance: '--tolerance',
  confidence: '--confidence',
  flagAbove: '--flag-above',
  by: '--by',
  timestampCol: '--timestamp-col',
  stakeholderCol: '--stakeholder-col',
  weightCol: '--weight-col',
  dateFormat: '--date-format',
  dedupe: '--dedupe',
  burstScale: '--burst-scale',
  burstCost: '--burst-cost',
  timeline: '--timeline',
  maxSpikiness: '--max-spikiness',
  maxStakeholderSpikiness: '--max-stakeholder-spikiness',
  maxFlaggedShare: '--max-flagged-share',
  maxSegmentSpikiness: '--max-segment-spikiness',
  maxDarkShare: '--max-dark-share',
  significant: '--significant',
};

/** Flags of `check` that are settings too (they may come from the config). */
export interface ThresholdFlags {
  maxSpikiness?: number;
  maxStakeholderSpikiness?: number;
  maxFlaggedShare?: number;
  maxSegmentSpikiness?: number;
  maxDarkShare?: number;
  significant?: boolean;
}

export function settingsFromFlags(f: AnalysisFlags & ThresholdFlags): PartialSettings {
  return {
    maxSpikiness: f.maxSpikiness,
    maxStakeholderSpikiness: f.maxStakeholderSpikiness,
    maxFlaggedShare: f.maxFlaggedShare,
    maxSegmentSpikiness: f.maxSegmentSpikiness,
    maxDarkShare: f.maxDarkShare,
    significant: f.significant,
    tz: f.tz,
    before: f.before,
    after: f.after,
    from: f.from,
    to: f.to,
    minInteractions: f.minInteractions,
    silenceDays: f.silenceDays,
    profileDays: f.profileDays,
    settleDays: f.settleDays,
    tolerance: f.tolerance,
    confidence: f.confidence,
    flagAbove: f.flagAbove,
    by: f.by,
    timestampCol: f.timestampCol,
    stakeholderCol: f.stakeholderCol,
    weightCol: f.weightCol,
    dateFormat: f.dateFormat,
    dedupe: f.dedupe,
    burstScale: f.burstScale,
    burstCost: f.burstCost,
    timeline: f.timeline,
  };
}

/** The input, calendar and metric options shared by every command that analyses a log. */
export function addAnalysisOptions(cmd: Command): Command {
  return cmd
    .option('--events <file>', 'declared events: CSV, JSON or YAML (repeatable)', collect)
    .option('--event <NAME=START..END>', 'declare one event inline (repeatable)', collect)
    .option('--config <file>', 'settings file (default: engage-audit.config.json, .engage-auditrc.json or package.json#engage-audit)')
    .addOption(new Option('--input-format <format>', 'format of the logs, needed only when neither the name nor the content tells').choices(INPUT_FORMATS))
    .option('--delimiter <char>', 'field delimiter of CSV input (\\t or tab for a tab; default: sniffed from the header)', parseDelimiter)
    .option('--timestamp-col <name>', 'column holding the timestamp')
    .option('--stakeholder-col <name>', 'column holding the stakeholder id')
    .option('--weight-col <name>', 'column holding a positive weight (never guessed)')
    .option('--date-format <pattern>', 'date-fns pattern for non-ISO timestamps, e.g. "dd/MM/yyyy HH:mm"')
    .addOption(new Option('--engine <name>', 'js (default) scans CSV/TSV/JSON/NDJSON; duckdb runs the rollup query in DuckDB (needs @duckdb/node-api; chosen for .parquet)').choices(['js', 'duckdb']))
    .option('--threads <n>', 'threads for large CSV/TSV/NDJSON files and rollups (default: one per core; 1 reads on one thread; the report is the same)', parseInteger)
    .option('--dedupe', 'drop rows identical, field by field, to an earlier row (default: keep and count them)')
    .option('--tz <zone>', 'IANA time zone of the report calendar (default: UTC)')
    .option('--before <days>', 'window days before each event (default: 14)', parseInteger)
    .option('--after <days>', 'window days after each event (default: 14)', parseInteger)
    .option('--from <YYYY-MM-DD>', 'first day of the observation period (default: first day with data)')
    .option('--to <YYYY-MM-DD>', 'last day of the observation period (default: last day with data)')
    .option('--min-interactions <n>', 'fewest interactions for a stakeholder to be scored (default: 5)', parseInteger)
    .option('--silence-days <n>', 'days without contact that make a dark period (default: 30)', parseInteger)
    .option('--profile-days <n>', 'days either side of events in the profile (default: 30)', parseInteger)
    .option('--settle-days <n>', 'consecutive days that must be back at baseline (default: 7)', parseInteger)
    .option('--tolerance <x>', 'how far above baseline still counts as baseline (default: 0.2)', parseNumber)
    .option('--confidence <level>', 'confidence level of intervals (default: 0.95)', parseNumber)
    .option('--flag-above <x>', 'spikiness above which a scored stakeholder is flagged (default: 3)', parseNumber)
    .option('--by <dimensions>', 'segment by these columns (comma-separated or repeated)', collectList)
    .addOption(new Option('--timeline <bucket>', 'timeline bucket (default: week)').choices(['day', 'week', 'month']))
    .option('--burst-scale <s>', 'burst detection: burst rate as a multiple of the mean (default: 2)', parseNumber)
    .option('--burst-cost <gamma>', 'burst detection: cost of entering a burst, × ln(weeks) (default: 1)', parseNumber)
    .option('--rejects <file>', 'write every rejected row (file, line, reason, field, message, raw) to this CSV')
    .option('--strict', 'stop at the first rejected row (exit 2)')
    .option('--anonymize', 'replace stakeholder ids with stable pseudonyms in the output')
    .option('--anonymize-salt <secret>', 'secret mixed into the pseudonyms (default: $ENGAGE_AUDIT_SALT, else none)')
    .option('-q, --quiet', 'no warnings or notices on stderr')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR is honoured too)')
    .option('--debug', 'show stack traces of internal errors');
}
