import type { ParsedTime, TimestampParser } from '../time/parse-timestamp.js';
import type { ColumnMapping } from './column-mapping.js';
import type { RejectReason } from './rejects.js';

export interface ValidRow extends ParsedTime {
  stakeholder: string;
  weight: number;
}

export interface RowProblem {
  reason: RejectReason;
  field: string | null;
  message: string;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** A plain decimal number as exports write them; Number() alone would also take "0x1f", "Infinity" or "". */
export const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Identifiers and dimension values are text, never numbers: `00123` and `1e5`
 * stay as written, and a JSON number is JavaScript's text for it. Strings are
 * trimmed and put in Unicode NFC, so an id typed with a combining accent and
 * one typed precomposed are the same stakeholder (ASCII needs no normalising).
 */
export function asText(v: unknown): string | null {
  if (typeof v === 'string') {
    const t = v.trim();
    return NON_ASCII.test(t) ? t.normalize('NFC') : t;
  }
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null || v === undefined) return '';
  return null;
}

/**
 * A stakeholder value as its id, or why it is none. A number (JSON, or a
 * DOUBLE from DuckDB) is read as JavaScript reads it (1.50 is 1.5); an integer
 * beyond 2^53 − 1 has lost its last digits by then, and two ids would merge.
 */
export function stakeholderId(v: unknown): string | { problem: string } {
  const id = asText(v);
  if (id === null) return { problem: 'stakeholder id is not text or a number' };
  if (id === '') return { problem: 'empty stakeholder id' };
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) {
    return { problem: `stakeholder id is a number too large to read exactly (read as ${id}; past 2^53 − 1 digits are lost and different ids would merge): store ids as text (JSON strings, VARCHAR)` };
  }
  return id;
}

/** Values nested deeper than this are shown as `[nested value]`. */
export const MAX_NESTING = 1000;

/** Whether a JSON value nests objects or arrays more than `limit` levels deep (checked without recursion). */
function nestsDeeperThan(v: object, limit: number): boolean {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (const child of Object.values(x as object)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * JSON text of an object or array value. Past MAX_NESTING levels it is
 * `[nested value]`: a fixed limit rather than whatever the stack allows,
 * which differs between the main thread and a parse worker.
 */
export function nestedText(v: object): string {
  return nestsDeeperThan(v, MAX_NESTING) ? '[nested value]' : JSON.stringify(v);
}

export function dimensionText(v: unknown): string {
  const t = asText(v);
  if (t !== null) return t;
  // asText leaves only objects and arrays (JSON input) and symbols or functions (never read from a file).
  return typeof v === 'object' && v !== null ? nestedText(v) : String(v);
}

/** Powers of ten a double holds exactly. */
export const EXACT_POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A plain unsigned decimal (12, 12.5, .5, 12.) of at most 15 digits read from
 * the bytes b[s..e), for parse workers; NaN for anything else, which the
 * string path reads. Its digits and the power of ten are exact doubles, so
 * one division is correctly rounded: the very number Number() gives the text.
 */
export function plainDecimalOfBytes(b: Uint8Array, s: number, e: number): number {
  let x = 0;
  let digits = 0;
  let point = -1;
  for (let i = s; i < e; i++) {
    const c = b[i] - 48;
    if (c >= 0 && c <= 9) {
      x = x * 10 + c;
      digits++;
    } else if (c === -2 && point < 0) point = i;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  return point < 0 ? x : x / EXACT_POW10[e - point - 1];
}

/**
 * Weights are squared for the effective counts of the interval; beyond these
 * bounds the squares overflow or underflow and the interval would be lost.
 */
const MIN_WEIGHT = 1e-150;
const MAX_WEIGHT = 1e150;

function checkWeight(n: number, text: string): number | string {
  if (n <= 0) return `weight ${text} is not positive`;
  if (n < MIN_WEIGHT || n > MAX_WEIGHT) return `weight ${text} is outside the supported range 1e-150 to 1e150 (rescale the column)`;
  return n;
}

function parseWeight(v: unknown): number | string {
  // A JSON 1e400 reads as Infinity: out of range, as its text is; only NaN is no number at all.
  if (typeof v === 'number') return Number.isNaN(v) ? `weight ${v} is not a positive number` : checkWeight(v, String(v));
  // JSON's true, [1] or {"v": 1} are values, just not numbers: "empty" would send the user looking for a blank.
  if (typeof v === 'boolean' || (typeof v === 'object' && v !== null)) return `weight ${shorten(dimensionText(v))} is not a number`;
  const text = typeof v === 'string' ? v.trim() : '';
  if (text === '') return 'empty weight (a mapped weight column needs a positive number in every row)';
  if (!DECIMAL_RE.test(text)) return `weight "${shorten(text)}" is not a number`;
  // 1e400 is a number too large for a double (Infinity): checkWeight finds it out of range, like 1e200, and -1e400 not positive.
  return checkWeight(Number(text), shorten(text));
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/**
 * Turns one record into an interaction, or says precisely why it cannot be
 * one. `expectedWidth` is the header's width for delimited files (null for
 * JSON, whose objects may omit keys).
 */
export function validateRow(
  values: readonly unknown[],
  mapping: ColumnMapping,
  parseTime: TimestampParser,
  expectedWidth: number | null,
): ValidRow | RowProblem {
  if (expectedWidth !== null && values.length !== expectedWidth) {
    return {
      reason: 'column-count',
      field: null,
      message: `expected ${expectedWidth} fields as in the header, found ${values.length}`,
    };
  }
  const stakeholder = stakeholderId(values[mapping.stakeholder]);
  if (typeof stakeholder !== 'string') return { reason: 'stakeholder', field: mapping.names.stakeholder, message: stakeholder.problem };
  const time = parseTime(values[mapping.timestamp]);
  if (typeof time === 'string') {
    const shown = asText(values[mapping.timestamp]) ?? '';
    return {
      reason: 'timestamp',
      field: mapping.names.timestamp,
      message: shown === '' ? time : `"${shown.slice(0, 60)}": ${time}`,
    };
  }
  let weight = 1;
  if (mapping.weight !== null) {
    const w = parseWeight(values[mapping.weight]);
    if (typeof w === 'string') return { reason: 'weight', field: mapping.names.weight, message: w };
    weight = w;
  }
  return { stakeholder, weight, day: time.day, instant: time.instant };
}

export function isProblem(r: ValidRow | RowProblem): r is RowProblem {
  return (r as RowProblem).reason !== undefined;
}
