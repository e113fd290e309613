/** The SQL engines the rollup query is written for. */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'redshift', 'bigquery', 'snowflake', 'spark'] as const;
export type SqlDialectName = (typeof SQL_DIALECTS)[number];

/**
 * What the timestamp column holds:
 * - `instant`: an absolute point in time (TIMESTAMPTZ, BigQuery TIMESTAMP, Snowflake TIMESTAMP_TZ/LTZ, Spark TIMESTAMP);
 * - `utc`: a zone-less timestamp whose wall clock is UTC (how most warehouses store event times);
 * - `wall`: a zone-less timestamp whose wall clock is in the report zone (--tz), as the JS reader treats ISO text without offset;
 * - `text`: ISO 8601 or epoch text, read exactly as the JS reader reads it (DuckDB and PostgreSQL only).
 */
export const TIMESTAMP_TYPES = ['instant', 'utc', 'wall', 'text'] as const;
export type TimestampType = (typeof TIMESTAMP_TYPES)[number];

/**
 * The handful of things the engines spell differently. Everything else in the
 * query is integer arithmetic on epoch milliseconds, written once, so that
 * every dialect applies the same daylight-saving rule (the JS reader's) rather
 * than its own.
 */
export interface SqlDialect {
  readonly name: SqlDialectName;
  quoteIdent(name: string): string;
  /** A table name, possibly qualified (schema.table, project.dataset.table). */
  quoteTable(dotted: string): string;
  stringLiteral(value: string): string;
  readonly textType: string;
  readonly doubleType: string;
  readonly bigintType: string;
  readonly intType: string;
  /** The value as text with ASCII whitespace removed at both ends (NULL stays NULL). */
  trimText(expr: string): string;
  /**
   * Unicode NFC of text, as the JS reader normalises ids and dimension values;
   * absent where the engine has no such function (ids then compare as stored).
   */
  nfcText?(expr: string): string;
  /** Epoch milliseconds (floored) of a column of the engine's instant type. */
  epochMsOfInstant(expr: string): string;
  /** Milliseconds since 1970-01-01 00:00 of a zone-less timestamp's wall clock (floored). */
  wallMsOfNaive(expr: string): string;
  /** The wall clock in `tz`, as milliseconds since 1970-01-01 00:00, of the instant at `epochMs`. */
  localWallMs(epochMs: string, tz: string): string;
  /** The DATE that is `dayNumber` days after 1970-01-01. */
  dateOfDayNumber(dayNumber: string): string;
  /** A positive weight in [1e-150, 1e150] as a double, else NULL; `text` is already trimmed text. */
  weightOfText(text: string): string;
  /**
   * Appended to every CTE's SELECT to keep the planner from folding it into the next one.
   * PostgreSQL (and Redshift, from the same planner) would otherwise paste each column's
   * expression wherever it is used, and the text parsing would run hundreds of times a row.
   */
  readonly cteFence?: string;
  /** ISO 8601 / epoch text parsing, for dialects that have it. */
  readonly textTimestamps?: TextTimestampFunctions;
}

/** Pieces for reading timestamps from text, as the JS reader does. */
export interface TextTimestampFunctions {
  /** Whether `text` matches the (anchored) regular expression. */
  matches(text: string, pattern: string): string;
  /** What to keep of `text` for reading groups from (the text itself, or the engine's array of groups). */
  captures(text: string, pattern: string): string;
  /** Group `group` of the pattern's match, from what `captures` kept; NULL when the group did not take part. */
  group(captured: string, pattern: string, group: number): string;
  /** Days from 1970-01-01 to a valid civil date given as integer expressions. */
  dayNumber(year: string, month: string, day: string): string;
}

/** ANSI double-quoted identifier: embedded quotes are doubled. */
export function doubleQuoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Standard string literal: embedded single quotes are doubled. */
export function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Splits `a.b.c` into its parts; empty parts (a leading, trailing or double dot) are a usage problem. */
export function tableParts(dotted: string): string[] {
  return dotted.split('.');
}
