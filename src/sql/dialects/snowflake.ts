import { doubleQuoted, type SqlDialect } from '../dialect.js';
import { asciiWhitespaceByChr, MAX_WEIGHT, MIN_WEIGHT, WEIGHT_PATTERN } from './ascii-whitespace.js';

/** Snowflake reads backslash escapes inside string literals, so backslashes are doubled too. */
const lit = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

export const snowflake: SqlDialect = {
  name: 'snowflake',
  quoteIdent: doubleQuoted,
  quoteTable: (dotted) => dotted.split('.').map(doubleQuoted).join('.'),
  stringLiteral: lit,
  textType: 'VARCHAR',
  doubleType: 'DOUBLE',
  bigintType: 'BIGINT',
  intType: 'INTEGER',
  trimText: (e) => `TRIM(CAST(${e} AS VARCHAR), ${asciiWhitespaceByChr('CHR')})`,
  // Converted to UTC first, so the epoch is the instant's whether DATE_PART reads the wall clock or not.
  epochMsOfInstant: (e) => `DATE_PART(EPOCH_MILLISECOND, CONVERT_TIMEZONE('UTC', ${e}))`,
  wallMsOfNaive: (e) => `DATE_PART(EPOCH_MILLISECOND, CAST(${e} AS TIMESTAMP_NTZ))`,
  localWallMs: (ms, tz) => `DATE_PART(EPOCH_MILLISECOND, CONVERT_TIMEZONE('UTC', ${lit(tz)}, TO_TIMESTAMP_NTZ(${ms}, 3)))`,
  dateOfDayNumber: (n) => `CAST(DATEADD(day, CAST(${n} AS INTEGER), DATE '1970-01-01') AS DATE)`,
  weightOfText: (t) =>
    `CASE WHEN REGEXP_LIKE(${t}, ${lit(WEIGHT_PATTERN)}) AND TRY_TO_DOUBLE(${t}) BETWEEN ${MIN_WEIGHT} AND ${MAX_WEIGHT} THEN TRY_TO_DOUBLE(${t}) END`,
};
