import { UsageError } from '../errors.js';
import { FIRST_PLAUSIBLE_DAY as FIRST_DAY, LAST_PLAUSIBLE_DAY as LAST_DAY, MS_PER_DAY } from '../time/civil-date.js';
import type { SqlDialect, SqlDialectName, TimestampType } from './dialect.js';
import { bigquery } from './dialects/bigquery.js';
import { duckdb } from './dialects/duckdb.js';
import { postgres } from './dialects/postgres.js';
import { redshift } from './dialects/redshift.js';
import { snowflake } from './dialects/snowflake.js';
import { spark } from './dialects/spark.js';

export const DIALECTS: Record<SqlDialectName, SqlDialect> = { duckdb, postgres, redshift, bigquery, snowflake, spark };

/** The columns of a rollup around the dimensions, in order. */
export const ROLLUP_KEY_COLUMNS = ['stakeholder', 'day'] as const;
export const ROLLUP_VALUE_COLUMNS = ['interactions', 'volume', 'volume_sq', 'gap_count', 'gap_sum', 'gap_sum_sq'] as const;

export interface RollupQueryOptions {
  dialect: SqlDialectName;
  /** A table or view name; dots separate database, schema and table and are quoted part by part. */
  source?: string;
  /** Instead of `source`: a relation expression used as written, e.g. read_csv('x.csv', all_varchar = true). */
  sourceSql?: string;
  stakeholderCol: string;
  timestampCol: string;
  /** Without it every interaction weighs 1. */
  weightCol?: string;
  /** Dimension columns, one rollup column each, named as the dimension. */
  by?: readonly string[];
  /** IANA zone of the report calendar (default UTC). */
  tz?: string;
  /** What the timestamp column holds (default `instant`); see TIMESTAMP_TYPES. */
  timestampType?: TimestampType;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);

/** The JS reader's ISO 8601 pattern (parse-timestamp.ts ISO_RE); groups 1–8 as there. */
const ISO_PATTERN =
  '^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(?:\\s*(Z|z|[+-]\\d{2}(?::?\\d{2})?))?)?$';
/** Non-negative only: the JS reader rejects negative epochs. */
const EPOCH_PATTERN = '^\\d+(?:\\.\\d+)?$';

function checkOptions(o: RollupQueryOptions, d: SqlDialect): void {
  if ((o.source === undefined) === (o.sourceSql === undefined)) throw new Error('buildRollupQuery needs exactly one of source and sourceSql');
  if (o.source !== undefined && o.source.split('.').some((p) => p.trim() === '')) {
    throw new UsageError(`--table "${o.source}" is not a table name`, 'Write it as table, schema.table or database.schema.table.');
  }
  const roles: [string, string | undefined][] = [
    ['--stakeholder-col', o.stakeholderCol],
    ['--timestamp-col', o.timestampCol],
    ['--weight-col', o.weightCol],
  ];
  for (const [flag, name] of roles) if (name !== undefined && name.trim() === '') throw new UsageError(`${flag} must not be empty`);
  const mapped = roles.flatMap(([, n]) => (n === undefined ? [] : [n]));
  if (new Set(mapped).size !== mapped.length) throw new UsageError('the stakeholder, timestamp and weight columns must be three different columns');
  const reserved = new Set<string>([...ROLLUP_KEY_COLUMNS, ...ROLLUP_VALUE_COLUMNS]);
  const seen = new Set<string>();
  for (const dim of o.by ?? []) {
    if (mapped.includes(dim)) throw new UsageError(`--by ${dim}: the column is already mapped as the stakeholder, timestamp or weight`);
    if (reserved.has(dim.toLowerCase())) {
      throw new UsageError(`--by ${dim}: a rollup column has this name`, 'Rename the column in a view, then query the view.');
    }
    if (seen.has(dim)) throw new UsageError(`--by ${dim} is given twice`);
    seen.add(dim);
  }
  if ((o.timestampType ?? 'instant') === 'text' && d.textTimestamps === undefined) {
    throw new UsageError(
      `--timestamp-type text is not available for ${d.name}`,
      'Convert the column to a timestamp in a view and use --timestamp-type instant, utc or wall.',
    );
  }
}

/** A CTE: name AS (SELECT columns FROM source [WHERE]). */
function cteText(name: string, columns: readonly string[], from: string, where?: string, fence?: string): string {
  const cols = columns.map((c) => `    ${c}`).join(',\n');
  return `${name} AS (\n  SELECT\n${cols}\n  FROM ${from}${where ? `\n  WHERE ${where}` : ''}${fence ? `\n  ${fence}` : ''}\n)`;
}

/**
 * The query that reduces interaction rows to the rollup: one row per
 * (stakeholder, day in `tz`, dimension values) with interactions, volume,
 * volume_sq and the gap moments. Only rows the JS reader would accept count.
 * Pure: the same options always give the same text.
 */
export function buildRollupQuery(options: RollupQueryOptions): string {
  const d = DIALECTS[options.dialect];
  if (d === undefined) throw new UsageError(`unknown SQL dialect "${options.dialect}"`);
  checkOptions(options, d);
  const tz = options.tz ?? 'UTC';
  const type = options.timestampType ?? 'instant';
  const utc = UTC_NAMES.has(tz);
  const by = options.by ?? [];
  const q = d.quoteIdent;
  const from = options.source !== undefined ? d.quoteTable(options.source) : options.sourceSql!;
  const dims = by.map((_, i) => `dim_${i + 1}`);
  const carry = (extra: string[] = []): string[] => ['sid', 'w', ...dims, ...extra];
  const ctes: string[] = [];
  const cte = (name: string, columns: readonly string[], from: string, where?: string): string => cteText(name, columns, from, where, d.cteFence);

  // 1. Text values as the reader sees them: trimmed, a NULL dimension is ''.
  const text = (e: string): string => (d.nfcText ? d.nfcText(d.trimText(e)) : d.trimText(e));
  const weight = options.weightCol === undefined ? `CAST(1 AS ${d.doubleType})` : d.weightOfText(d.trimText(q(options.weightCol)));
  const rawTs = type === 'text' ? d.trimText(q(options.timestampCol)) : q(options.timestampCol);
  ctes.push(
    cte(
      'source_rows',
      [`${text(q(options.stakeholderCol))} AS sid`, `${rawTs} AS ts`, `${weight} AS w`, ...by.map((c, i) => `COALESCE(${text(q(c))}, '') AS ${dims[i]}`)],
      from,
    ),
  );
  const kept = options.weightCol === undefined ? `sid <> ''` : `sid <> '' AND w IS NOT NULL`;

  // 2. Each row's instant as epoch milliseconds: `fixed_ms` when the value names an instant,
  //    `wall_ms` when it is a wall clock in the report zone (placed by the JS reader's rule below).
  const hasWall = type === 'wall' || type === 'text';
  const hasFixed = type === 'instant' || type === 'utc' || type === 'text';
  let previous = 'source_rows';
  if (type === 'text') {
    const t = d.textTimestamps!;
    const g = (n: number): string => t.group('iso', ISO_PATTERN, n);
    ctes.push(cte('ts_match', carry([`ts`, `${t.captures('ts', ISO_PATTERN)} AS iso`]), 'source_rows', kept));
    ctes.push(
      cte(
        'ts_fields',
        carry([
          `CAST(${g(1)} AS ${d.intType}) AS y`,
          `CAST(${g(2)} AS ${d.intType}) AS mo`,
          `CAST(${g(3)} AS ${d.intType}) AS dd`,
          `COALESCE(CAST(${g(4)} AS ${d.intType}), 0) AS hh`,
          `COALESCE(CAST(${g(5)} AS ${d.intType}), 0) AS mi`,
          `COALESCE(CAST(${g(6)} AS ${d.intType}), 0) AS ss`,
          `${g(7)} AS frac`,
          `${g(8)} AS tz_offset`,
          `CASE WHEN ${t.matches('ts', EPOCH_PATTERN)} THEN ts END AS epoch_text`,
        ]),
        'ts_match',
      ),
    );
    // A day that does not exist (2024-02-30) rejects the row; the CASE keeps make_date from seeing it.
    const leap = `(MOD(y, 4) = 0 AND (MOD(y, 100) <> 0 OR MOD(y, 400) = 0))`;
    const monthDays = `CASE WHEN mo = 2 THEN (CASE WHEN ${leap} THEN 29 ELSE 28 END) WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
    const fracMs = `CASE WHEN frac IS NULL THEN 0 ELSE CAST(FLOOR(CAST(CONCAT('0.', frac) AS ${d.doubleType}) * 1000) AS ${d.bigintType}) END`;
    const wall = `CAST(${t.dayNumber('y', 'mo', 'dd')} AS ${d.bigintType}) * ${MS_PER_DAY} + ((hh * 60 + mi) * 60 + ss) * 1000 + ${fracMs}`;
    const isoValid = `y IS NOT NULL AND mo BETWEEN 1 AND 12 AND dd BETWEEN 1 AND ${monthDays} AND hh <= 23 AND mi <= 59 AND ss <= 59`;
    const offDigits = `REPLACE(SUBSTR(tz_offset, 2), ':', '')`;
    const offHours = `CAST(SUBSTR(${offDigits}, 1, 2) AS ${d.intType})`;
    const offMinutes = `CASE WHEN LENGTH(${offDigits}) > 2 THEN CAST(SUBSTR(${offDigits}, 3, 2) AS ${d.intType}) ELSE 0 END`;
    const offMs = `CASE WHEN tz_offset IN ('Z', 'z') THEN 0 WHEN ${offHours} <= 23 AND ${offMinutes} <= 59 THEN (CASE WHEN SUBSTR(tz_offset, 1, 1) = '-' THEN -1 ELSE 1 END) * (${offHours} * 60 + ${offMinutes}) * 60000 END`;
    // Epoch text: 12 or more integer digits are milliseconds, fewer are seconds; over 17 digits is out of range anyway.
    const intDigits = `LENGTH(LTRIM(SPLIT_PART(LTRIM(epoch_text, '-'), '.', 1), '0'))`;
    const epochValue = `CAST(epoch_text AS ${d.doubleType})`;
    const epochMs = `CASE WHEN ${intDigits} > 17 THEN NULL WHEN ${intDigits} >= 12 THEN FLOOR(${epochValue}) ELSE FLOOR(${epochValue} * 1000) END`;
    ctes.push(
      cte(
        'ts_values',
        carry([
          `CASE WHEN ${isoValid} THEN ${wall} END AS iso_ms`,
          `CASE WHEN tz_offset IS NOT NULL THEN ${offMs} END AS offset_ms`,
          `tz_offset`,
          `${epochMs} AS epoch_ms`,
        ]),
        'ts_fields',
      ),
    );
    ctes.push(
      cte(
        'instants',
        carry([
          `CASE WHEN tz_offset IS NULL THEN iso_ms END AS wall_ms`,
          `CASE WHEN tz_offset IS NOT NULL THEN iso_ms - offset_ms WHEN ABS(epoch_ms) <= 8.64e15 THEN CAST(epoch_ms AS ${d.bigintType}) END AS fixed_ms`,
        ]),
        'ts_values',
      ),
    );
    previous = 'instants';
  } else {
    const ms = type === 'instant' ? d.epochMsOfInstant('ts') : d.wallMsOfNaive('ts');
    ctes.push(cte('instants', carry([`${ms} AS ${type === 'wall' ? 'wall_ms' : 'fixed_ms'}`]), 'source_rows', kept));
    previous = 'instants';
  }

  // 3. Plausible values only, as the reader: a wall clock's own day, an instant's (with a day's margin for the zone).
  const inRange: string[] = [];
  if (hasWall) inRange.push(`CASE WHEN wall_ms BETWEEN ${FIRST_DAY * MS_PER_DAY} AND ${(LAST_DAY + 1) * MS_PER_DAY - 1} THEN wall_ms END AS wall_ms`);
  if (hasFixed) inRange.push(`CASE WHEN fixed_ms BETWEEN ${(FIRST_DAY - 1) * MS_PER_DAY} AND ${(LAST_DAY + 2) * MS_PER_DAY} THEN fixed_ms END AS fixed_ms`);
  ctes.push(cte('plausible', carry(inRange), previous));
  previous = 'plausible';

  // 4. The instant and the wall clock in the report zone of every row.
  let instant: string;
  let local: string;
  if (utc) {
    instant = hasWall && hasFixed ? 'COALESCE(fixed_ms, wall_ms)' : hasWall ? 'wall_ms' : 'fixed_ms';
    local = instant;
  } else {
    const off = (at: string): string => `(${d.localWallMs(`(${at})`, tz)} - (${at}))`;
    let placed = 'fixed_ms';
    if (hasWall) {
      // The JS reader's rule (zone.ts wallToInstant, "compatible"): a repeated wall time is its
      // first occurrence, a skipped one moves forward by the gap. Engines differ here, so it is
      // computed from offsets, which every engine knows exactly.
      ctes.push(
        cte(
          'wall_offsets',
          carry([...(hasFixed ? ['fixed_ms'] : []), 'wall_ms', `${off(`wall_ms - ${MS_PER_DAY}`)} AS off_before`, `${off(`wall_ms + ${MS_PER_DAY}`)} AS off_after`]),
          previous,
        ),
      );
      previous = 'wall_offsets';
      placed =
        `CASE WHEN off_before = off_after THEN wall_ms - off_before` +
        ` WHEN ${off('wall_ms - off_before')} <> off_before AND ${off('wall_ms - off_after')} = off_after THEN wall_ms - off_after` +
        ` ELSE wall_ms - off_before END`;
    }
    instant = hasWall && hasFixed ? `CASE WHEN wall_ms IS NOT NULL THEN ${placed} ELSE fixed_ms END` : hasWall ? placed : 'fixed_ms';
    const fixedLocal = d.localWallMs('fixed_ms', tz);
    local = hasWall && hasFixed ? `CASE WHEN wall_ms IS NOT NULL THEN wall_ms ELSE ${fixedLocal} END` : hasWall ? 'wall_ms' : fixedLocal;
  }
  ctes.push(cte('located', carry([`${instant} AS t_ms`, `FLOOR(${local} / ${MS_PER_DAY}.0) AS day_number`]), previous));

  // 5. Gaps over each stakeholder's whole history, filed under the day of the interaction that ends them.
  //    Ties at one instant are ordered by the dimensions, so the same rows get the same gaps on every run.
  const order = ['t_ms', ...dims].join(', ');
  ctes.push(
    cte(
      'gaps',
      carry([
        `${d.dateOfDayNumber('day_number')} AS local_day`,
        `CAST(t_ms - LAG(t_ms) OVER (PARTITION BY sid ORDER BY ${order}) AS ${d.doubleType}) / 1000 AS gap_s`,
      ]),
      'located',
      `t_ms IS NOT NULL AND day_number BETWEEN ${FIRST_DAY} AND ${LAST_DAY}`,
    ),
  );

  const volume = options.weightCol === undefined ? [`CAST(COUNT(*) AS ${d.doubleType})`, `CAST(COUNT(*) AS ${d.doubleType})`] : ['SUM(w)', 'SUM(w * w)'];
  const keys = ['sid', 'local_day', ...dims];
  const select = [
    `sid AS ${q('stakeholder')}`,
    `local_day AS ${q('day')}`,
    ...by.map((c, i) => `${dims[i]} AS ${q(c)}`),
    `COUNT(*) AS ${q('interactions')}`,
    `${volume[0]} AS ${q('volume')}`,
    `${volume[1]} AS ${q('volume_sq')}`,
    `COUNT(gap_s) AS ${q('gap_count')}`,
    `COALESCE(SUM(gap_s), 0) AS ${q('gap_sum')}`,
    `COALESCE(SUM(gap_s * gap_s), 0) AS ${q('gap_sum_sq')}`,
  ];
  return (
    `WITH\n${ctes.join(',\n')}\nSELECT\n${select.map((s) => `  ${s}`).join(',\n')}\n` +
    `FROM gaps\nGROUP BY ${keys.join(', ')}\nORDER BY ${keys.join(', ')}\n`
  );
}
