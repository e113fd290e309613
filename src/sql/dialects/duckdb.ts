import { doubleQuoted, singleQuoted, type SqlDialect } from '../dialect.js';
import { asciiWhitespaceByChr, MAX_WEIGHT, MIN_WEIGHT, WEIGHT_PATTERN } from './ascii-whitespace.js';

const lit = singleQuoted;

export const duckdb: SqlDialect = {
  name: 'duckdb',
  quoteIdent: doubleQuoted,
  quoteTable: (dotted) => dotted.split('.').map(doubleQuoted).join('.'),
  stringLiteral: lit,
  textType: 'VARCHAR',
  doubleType: 'DOUBLE',
  bigintType: 'BIGINT',
  intType: 'INTEGER',
  trimText: (e) => `trim(CAST(${e} AS VARCHAR), ${asciiWhitespaceByChr()})`,
  nfcText: (e) => `nfc_normalize(${e})`,
  epochMsOfInstant: (e) => `epoch_ms(${e})`,
  wallMsOfNaive: (e) => `epoch_ms(${e})`,
  // make_timestamp(µs) is exact, where to_timestamp(seconds) would go through a double.
  localWallMs: (ms, tz) => `epoch_ms(timezone(${lit(tz)}, timezone('UTC', make_timestamp(${ms} * 1000))))`,
  dateOfDayNumber: (n) => `(DATE '1970-01-01' + CAST(${n} AS INTEGER))`,
  weightOfText: (t) =>
    `CASE WHEN regexp_full_match(${t}, ${lit(WEIGHT_PATTERN)}) AND TRY_CAST(${t} AS DOUBLE) BETWEEN ${MIN_WEIGHT} AND ${MAX_WEIGHT} THEN TRY_CAST(${t} AS DOUBLE) END`,
  textTimestamps: {
    matches: (t, p) => `regexp_full_match(${t}, ${lit(p)})`,
    captures: (t) => t,
    group: (t, p, g) => `NULLIF(regexp_extract(${t}, ${lit(p)}, ${g}), '')`,
    dayNumber: (y, m, d) => `(make_date(${y}, ${m}, ${d}) - DATE '1970-01-01')`,
  },
};
