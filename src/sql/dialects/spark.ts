import type { SqlDialect } from '../dialect.js';
import { MAX_WEIGHT, MIN_WEIGHT, WEIGHT_PATTERN } from './ascii-whitespace.js';

/** Spark reads backslash escapes and joins adjacent literals ('a''b' is 'ab'), so quotes are backslashed. */
const lit = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (v: string): string => `\`${v.replace(/`/g, '``')}\``;

export const spark: SqlDialect = {
  name: 'spark',
  quoteIdent: ident,
  quoteTable: (dotted) => dotted.split('.').map(ident).join('.'),
  stringLiteral: lit,
  textType: 'STRING',
  doubleType: 'DOUBLE',
  bigintType: 'BIGINT',
  intType: 'INT',
  trimText: (e) => `btrim(CAST(${e} AS STRING), concat(' ', chr(9), chr(10), chr(11), chr(12), chr(13)))`,
  epochMsOfInstant: (e) => `unix_millis(${e})`,
  // Read field by field: any cast to an instant would go through the session time zone.
  wallMsOfNaive: (e) =>
    `(CAST(unix_date(CAST(${e} AS DATE)) AS BIGINT) * 86400000 + hour(${e}) * 3600000 + minute(${e}) * 60000 + CAST(FLOOR(date_part('SECOND', ${e}) * 1000) AS BIGINT))`,
  // from_utc_timestamp shifts the instant by the zone's offset whatever the session time zone.
  localWallMs: (ms, tz) => `unix_millis(from_utc_timestamp(timestamp_millis(${ms}), ${lit(tz)}))`,
  dateOfDayNumber: (n) => `date_from_unix_date(CAST(${n} AS INT))`,
  weightOfText: (t) =>
    // The pattern admits only numbers, so the cast cannot fail even in ANSI mode (1e400 becomes Infinity).
    `CASE WHEN ${t} RLIKE ${lit(WEIGHT_PATTERN)} THEN (CASE WHEN CAST(${t} AS DOUBLE) BETWEEN ${MIN_WEIGHT} AND ${MAX_WEIGHT} THEN CAST(${t} AS DOUBLE) END) END`,
};
