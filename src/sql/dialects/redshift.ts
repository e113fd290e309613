import { doubleQuoted, type SqlDialect } from '../dialect.js';
import { asciiWhitespaceByChr, MAX_WEIGHT, MIN_WEIGHT, WEIGHT_PATTERN } from './ascii-whitespace.js';

/** Redshift reads backslash escapes inside string literals, so backslashes are doubled too. */
const lit = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

const EPOCH = `TIMESTAMP '1970-01-01 00:00:00'`;
/** DATEDIFF counts millisecond boundaries crossed: the difference floored to the millisecond. */
const msSinceEpoch = (naive: string): string => `DATEDIFF(millisecond, ${EPOCH}, ${naive})`;

export const redshift: SqlDialect = {
  name: 'redshift',
  quoteIdent: doubleQuoted,
  quoteTable: (dotted) => dotted.split('.').map(doubleQuoted).join('.'),
  stringLiteral: lit,
  cteFence: 'OFFSET 0',
  // A bare VARCHAR is VARCHAR(256) in Redshift and would cut long ids.
  textType: 'VARCHAR(65535)',
  doubleType: 'DOUBLE PRECISION',
  bigintType: 'BIGINT',
  intType: 'INTEGER',
  trimText: (e) => `BTRIM(CAST(${e} AS VARCHAR(65535)), ${asciiWhitespaceByChr('CHR')})`,
  // CONVERT_TIMEZONE with only a target zone turns a TIMESTAMPTZ into that zone's wall clock.
  epochMsOfInstant: (e) => msSinceEpoch(`CONVERT_TIMEZONE('UTC', ${e})`),
  wallMsOfNaive: msSinceEpoch,
  localWallMs: (ms, tz) => msSinceEpoch(`CONVERT_TIMEZONE('UTC', ${lit(tz)}, ${EPOCH} + ${ms} * INTERVAL '1 millisecond')`),
  dateOfDayNumber: (n) => `(DATE '1970-01-01' + CAST(${n} AS INTEGER))`,
  weightOfText: (t) =>
    `CASE WHEN ${t} ~ ${lit(WEIGHT_PATTERN)} THEN (CASE WHEN CAST(${t} AS DOUBLE PRECISION) BETWEEN ${MIN_WEIGHT} AND ${MAX_WEIGHT} THEN CAST(${t} AS DOUBLE PRECISION) END) END`,
};
