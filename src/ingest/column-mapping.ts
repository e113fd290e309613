import { UsageError } from '../errors.js';

/** Header names recognised without a flag (compared case-insensitively), SPEC §1. */
export const TIMESTAMP_ALIASES = [
  'timestamp',
  'date',
  'datetime',
  'created_at',
  'occurred_at',
  'activity_date',
  'Call_Date_vod__c',
  'Call_Datetime_vod__c',
  'Date_of_Payment',
];

export const STAKEHOLDER_ALIASES = [
  'stakeholder',
  'stakeholder_id',
  'account',
  'account_id',
  'contact_id',
  'hcp_id',
  'customer_id',
  'Account_vod__c',
  'Physician_Profile_ID',
  'Covered_Recipient_Profile_ID',
];

export interface ColumnOptions {
  timestampCol?: string;
  stakeholderCol?: string;
  weightCol?: string;
}

export interface ColumnMapping {
  timestamp: number;
  stakeholder: number;
  weight: number | null;
  /** Every other column: (position in the record, dimension name). */
  dimensions: { index: number; name: string }[];
  names: { timestamp: string; stakeholder: string; weight: string | null };
}

/**
 * Refuses --by dimensions the input does not have, naming the ones it has.
 * `where` ends the sentence ("is not a column of the header"); `file`, when
 * given, starts it.
 */
export function assertByAvailable(
  by: readonly string[],
  available: readonly string[],
  message: { where: string; file?: string; hint?: string; mapped?: ColumnMapping['names'] },
): void {
  const absent = by.filter((b) => !available.includes(b));
  if (absent.length === 0) return;
  const m = message.mapped;
  const role = (b: string): string | null => (m === undefined ? null : b === m.timestamp ? 'timestamp' : b === m.stakeholder ? 'stakeholder' : b === m.weight ? 'weight' : null);
  const taken = absent.find((b) => role(b) !== null);
  if (taken !== undefined) {
    // "is not a column of the header" would be false: it is one, with another job.
    throw new UsageError(
      `${message.file === undefined ? '' : `${message.file}: `}--by "${taken}" is the ${role(taken)} column, not a dimension`,
      `--by groups by the other columns: ${available.join(', ') || '(none in this input)'}.`,
    );
  }
  throw new UsageError(
    `${message.file === undefined ? '' : `${message.file}: `}--by ${absent.map((m) => `"${m}"`).join(', ')} ${message.where}`,
    message.hint ?? `Dimensions available: ${available.join(', ') || '(none)'}.`,
  );
}

/** A needed column is absent (as opposed to ambiguous); JSON input may still show it in a later object. */
export class MissingColumnError extends UsageError {
  constructor(
    readonly role: 'timestamp' | 'stakeholder' | 'weight',
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}

function listHeader(columns: readonly string[]): string {
  const shown = columns
    .slice(0, 30)
    .map((c) => JSON.stringify(c.length > 60 ? `${c.slice(0, 59)}…` : c))
    .join(', ');
  return columns.length > 30 ? `${shown}, … (${columns.length} columns)` : shown;
}

function findExplicit(columns: readonly string[], wanted: string, flag: string, file: string, role: MissingColumnError['role']): number {
  const exact = columns.flatMap((c, i) => (c === wanted ? [i] : []));
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) {
    throw new UsageError(
      `${file}: ${flag} "${wanted}" names ${exact.length} columns of the header (columns ${exact.map((i) => i + 1).join(' and ')})`,
      'Rename all but one of them in the file: nothing else tells them apart.',
    );
  }
  const key = wanted.trim().toLowerCase();
  const folded = columns.flatMap((c, i) => (c.trim().toLowerCase() === key ? [i] : []));
  if (folded.length === 1) return folded[0];
  if (folded.length > 1) {
    throw new UsageError(
      `${file}: ${flag} "${wanted}" matches ${folded.length} columns when case is ignored: ${folded.map((i) => JSON.stringify(columns[i])).join(' and ')}`,
      `Write the column name exactly as in the header.`,
    );
  }
  throw new MissingColumnError(
    role,
    `${file}: ${flag} "${wanted}" is not a column of the header: ${listHeader(columns)}`,
    `Set ${flag} to one of the header's names.`,
  );
}

function findAlias(
  columns: readonly string[],
  aliases: readonly string[],
  role: 'timestamp' | 'stakeholder',
  flag: string,
  file: string,
  delimiterHint: string | undefined,
): number {
  const wanted = new Set(aliases.map((a) => a.toLowerCase()));
  const hits = columns.flatMap((c, i) => (wanted.has(c.trim().toLowerCase()) ? [i] : []));
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) {
    throw new MissingColumnError(
      role,
      `${file}: no ${role} column found in the header: ${listHeader(columns)}`,
      delimiterHint ?? `Name it with ${flag} COLUMN (recognised automatically: ${aliases.join(', ')}).`,
    );
  }
  const oneName = hits.every((i) => columns[i] === columns[hits[0]]);
  throw new UsageError(
    `${file}: ${hits.length} columns could be the ${role}: ${hits.map((i) => JSON.stringify(columns[i])).join(' and ')} (header: ${listHeader(columns)})`,
    oneName ? `They have the same name: rename all but one of them in the file.` : `Choose one with ${flag} COLUMN.`,
  );
}

/**
 * The header's names, trimmed, each repeat renamed exactly as DuckDB's CSV
 * reader renames it: names compare without case, the k-th repeat of `channel`
 * is `channel_k`, and a name so made that is taken already is renamed again
 * (`channel_1_1`). A repeated name would otherwise make later values overwrite
 * earlier ones, and both engines (and a rollup DuckDB made) name the repeat alike.
 */
export function distinctNames(columns: readonly string[]): string[] {
  /** Per name in lower case, how many columns have had it so far. */
  const seen = new Map<string, number>();
  return columns.map((raw) => {
    let name = raw.trim();
    for (let k = seen.get(name.toLowerCase()); k !== undefined; k = seen.get(name.toLowerCase())) {
      seen.set(name.toLowerCase(), k + 1);
      name = `${name}_${k}`;
    }
    seen.set(name.toLowerCase(), 1);
    return name;
  });
}

/**
 * Maps a header to the interaction fields: explicit flags win, otherwise the
 * known aliases; a weight column is used only when named, never guessed.
 */
export function mapColumns(
  columns: readonly string[],
  options: ColumnOptions,
  file: string,
  delimiterHint?: string,
): ColumnMapping {
  const timestamp =
    options.timestampCol !== undefined
      ? findExplicit(columns, options.timestampCol, '--timestamp-col', file, 'timestamp')
      : findAlias(columns, TIMESTAMP_ALIASES, 'timestamp', '--timestamp-col', file, delimiterHint);
  const stakeholder =
    options.stakeholderCol !== undefined
      ? findExplicit(columns, options.stakeholderCol, '--stakeholder-col', file, 'stakeholder')
      : findAlias(columns, STAKEHOLDER_ALIASES, 'stakeholder', '--stakeholder-col', file, delimiterHint);
  if (timestamp === stakeholder) {
    throw new UsageError(`${file}: the timestamp and the stakeholder cannot be the same column ("${columns[timestamp]}")`);
  }
  const weight = options.weightCol !== undefined ? findExplicit(columns, options.weightCol, '--weight-col', file, 'weight') : null;
  if (weight !== null && (weight === timestamp || weight === stakeholder)) {
    throw new UsageError(`${file}: --weight-col "${columns[weight]}" is already used as the timestamp or stakeholder column`);
  }
  const used = new Set([timestamp, stakeholder, weight]);
  const names = distinctNames(columns);
  const dimensions = columns.flatMap((_, index) => (used.has(index) ? [] : [{ index, name: names[index] }]));
  return {
    timestamp,
    stakeholder,
    weight,
    dimensions,
    names: { timestamp: columns[timestamp], stakeholder: columns[stakeholder], weight: weight === null ? null : columns[weight] },
  };
}
