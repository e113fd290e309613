import type { SqlDialect } from '../dialect.js';
import { MAX_WEIGHT, MIN_WEIGHT, WEIGHT_PATTERN } from './ascii-whitespace.js';

/** BigQuery escapes with backslashes and does not accept '' for a quote. */
const lit = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (v: string): string => `\`${v.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

export const bigquery: SqlDialect = {
  name: 'bigquery',
  quoteIdent: ident,
  // One quoted path, as BigQuery writes project.dataset.table (a project id may hold dashes).
  quoteTable: ident,
  stringLiteral: lit,
  textType: 'STRING',
  doubleType: 'FLOAT64',
  bigintType: 'INT64',
  intType: 'INT64',
  trimText: (e) => `TRIM(CAST(${e} AS STRING), ' \\t\\n\\v\\f\\r')`,
  epochMsOfInstant: (e) => `UNIX_MILLIS(${e})`,
  wallMsOfNaive: (e) => `UNIX_MILLIS(TIMESTAMP(${e}, 'UTC'))`,
  localWallMs: (ms, tz) => `UNIX_MILLIS(TIMESTAMP(DATETIME(TIMESTAMP_MILLIS(${ms}), ${lit(tz)}), 'UTC'))`,
  dateOfDayNumber: (n) => `DATE_FROM_UNIX_DATE(CAST(${n} AS INT64))`,
  weightOfText: (t) =>
    `CASE WHEN REGEXP_CONTAINS(${t}, ${lit(WEIGHT_PATTERN)}) AND SAFE_CAST(${t} AS FLOAT64) BETWEEN ${MIN_WEIGHT} AND ${MAX_WEIGHT} THEN SAFE_CAST(${t} AS FLOAT64) END`,
};
