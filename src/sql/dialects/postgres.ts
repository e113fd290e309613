import { doubleQuoted, singleQuoted, type SqlDialect } from '../dialect.js';
import { asciiWhitespaceByChr, MAX_WEIGHT, MIN_WEIGHT, WEIGHT_PATTERN } from './ascii-whitespace.js';

const lit = singleQuoted;

/** EXTRACT(EPOCH ...) is numeric (exact to the microsecond) since PostgreSQL 14; floored to the millisecond. */
const epochMs = (e: string): string => `CAST(FLOOR(EXTRACT(EPOCH FROM ${e}) * 1000) AS BIGINT)`;

export const postgres: SqlDialect = {
  name: 'postgres',
  quoteIdent: doubleQuoted,
  quoteTable: (dotted) => dotted.split('.').map(doubleQuoted).join('.'),
  stringLiteral: lit,
  cteFence: 'OFFSET 0',
  textType: 'TEXT',
  doubleType: 'DOUBLE PRECISION',
  bigintType: 'BIGINT',
  intType: 'INTEGER',
  trimText: (e) => `btrim(CAST(${e} AS TEXT), ${asciiWhitespaceByChr()})`,
  epochMsOfInstant: epochMs,
  // EXTRACT(EPOCH FROM timestamp without time zone) reads the wall clock as if it were UTC.
  wallMsOfNaive: epochMs,
  // timezone(zone, timestamptz) is AT TIME ZONE written as a function.
  localWallMs: (ms, tz) => epochMs(`timezone(${lit(tz)}, CAST('1970-01-01 00:00:00+00' AS TIMESTAMPTZ) + ${ms} * INTERVAL '1 millisecond')`),
  dateOfDayNumber: (n) => `(DATE '1970-01-01' + CAST(${n} AS INTEGER))`,
  // Numeric first: a double overflows with an error on 1e400, which must only reject the row.
  weightOfText: (t) =>
    `CASE WHEN ${t} ~ ${lit(WEIGHT_PATTERN)} THEN (CASE WHEN CAST(${t} AS NUMERIC) BETWEEN ${MIN_WEIGHT} AND ${MAX_WEIGHT} THEN CAST(${t} AS DOUBLE PRECISION) END) END`,
  textTimestamps: {
    matches: (t, p) => `(${t} ~ ${lit(p)})`,
    // One match a row: the regular expression engine is the slow part of the query.
    captures: (t, p) => `regexp_match(${t}, ${lit(p)})`,
    group: (m, _p, g) => `${m}[${g}]`,
    dayNumber: (y, m, d) => `(make_date(${y}, ${m}, ${d}) - DATE '1970-01-01')`,
  },
};
