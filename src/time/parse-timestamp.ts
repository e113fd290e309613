import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { MS_PER_DAY, daysFromCivil, isValidCivil, FIRST_PLAUSIBLE_DAY as FIRST_DAY, LAST_PLAUSIBLE_DAY as LAST_DAY } from './civil-date.js';
import type { Zone } from './zone.js';

/** Where an interaction happened in time: its calendar day in the report zone and its instant. */
export interface ParsedTime {
  day: number;
  /** Epoch milliseconds; a date-only value stands for local midnight of its day. */
  instant: number;
}

/** A reason string when the value cannot be used; parsing never throws on data. */
export type TimestampResult = ParsedTime | string;

export type TimestampParser = (value: unknown) => TimestampResult;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*(Z|z|[+-]\d{2}(?::?\d{2})?))?)?$/;
const EPOCH_RE = /^-?\d+(?:\.\d+)?$/;

const OUT_OF_RANGE = 'year outside 1900–2200 (a placeholder date or a mis-scaled epoch?)';

/** Two-digit years in --date-format patterns resolve to 1950–2049, whatever today is. */
const PATTERN_REFERENCE = new Date(Date.UTC(2000, 0, 1));

type PatternParse = (text: string) => number | null;

/**
 * date-fns costs a third of a second to load, so it is required only when a
 * run actually has a --date-format. The pattern is applied in UTC so that the
 * host's own time zone can never shift or drop a wall-clock time.
 */
function loadPatternParser(pattern: string): PatternParse {
  const unquoted = pattern.replace(/'[^']*'/g, '');
  if (/Y|D/.test(unquoted)) {
    // date-fns refuses week-numbering years (Y) and days of the year (D) by default; they are
    // almost always a typo for y and d, and would otherwise fail on the first row.
    throw new UsageError(
      `--date-format "${pattern}": Y (week-numbering year) and D (day of the year) are not supported`,
      'Use yyyy for the year and dd for the day of the month, e.g. "yyyy-MM-dd HH:mm" (date-fns tokens are case-sensitive).',
    );
  }
  const require = createRequire(import.meta.url);
  const { parse } = require('date-fns/parse') as typeof import('date-fns/parse');
  const { isValid } = require('date-fns/isValid') as typeof import('date-fns/isValid');
  const { tz } = require('@date-fns/tz') as typeof import('@date-fns/tz');
  const utc = tz('UTC');
  // date-fns throws RangeError for patterns it cannot use (unknown or incompatible tokens).
  const refuse = (err: unknown): never => {
    throw new UsageError(`--date-format "${pattern}": ${(err as Error).message}`, 'See the date-fns parse documentation for the tokens it accepts.');
  };
  const attempt = (text: string): number | null => {
    try {
      const d = parse(text, pattern, PATTERN_REFERENCE, { in: utc });
      return isValid(d) ? d.getTime() : null;
    } catch (err) {
      return refuse(err);
    }
  };
  // date-fns stops at the first token a text does not match, so a bad token later in the pattern
  // would surface only as rejected rows. Parsing back the pattern's own rendering of a date gets
  // further (as far as a row could), and an unknown or incompatible token throws before any row is read.
  const { format } = require('date-fns/format') as typeof import('date-fns/format');
  let sample = '';
  try {
    sample = format(PATTERN_REFERENCE, pattern, { in: utc });
  } catch (err) {
    refuse(err);
  }
  attempt(sample);
  return attempt;
}

type PatternKind = 'instant' | 'wall' | 'date';

/** What a date-fns pattern can express: an instant (it has an offset), a wall time, or a day. */
export function classifyPattern(pattern: string): PatternKind {
  const unquoted = pattern.replace(/'[^']*'/g, '');
  if (/[XxOzTt]/.test(unquoted)) return 'instant';
  // p is date-fns' localized time (as in "Pp"); P alone is a localized date.
  if (/[HhKkmsSaBbp]/.test(unquoted)) return 'wall';
  return 'date';
}

/** The day in `zone` of an instant, or NaN outside the plausible days. */
function instantDay(zone: Zone, instant: number): number {
  // Checked before the zone lookup: Intl cannot place instants far outside the range.
  if (instant < FIRST_DAY * MS_PER_DAY - MS_PER_DAY || instant > (LAST_DAY + 2) * MS_PER_DAY) return NaN;
  const day = zone.dayOf(instant);
  return day < FIRST_DAY || day > LAST_DAY ? NaN : day;
}

/** The day of a wall-clock time (milliseconds as if UTC), or NaN outside the plausible days. */
function wallDay(wall: number): number {
  const day = Math.floor(wall / MS_PER_DAY);
  return day < FIRST_DAY || day > LAST_DAY ? NaN : day;
}

/** Wall-clock or UTC milliseconds to a day and instant in `zone`, or why they are out of range. */
function converters(zone: Zone): { fromWall: (wall: number) => TimestampResult; fromInstant: (instant: number) => TimestampResult } {
  return {
    fromWall: (wall) => {
      const day = wallDay(wall);
      return Number.isNaN(day) ? OUT_OF_RANGE : { day, instant: zone.wallToInstant(wall) };
    },
    fromInstant: (instant) => {
      const day = instantDay(zone, instant);
      return Number.isNaN(day) ? OUT_OF_RANGE : { day, instant };
    },
  };
}

/**
 * Builds the parser for one run. Accepted, per SPEC §1: ISO 8601 with an offset
 * or `Z` (an instant); ISO 8601 without offset and date-only values (wall-clock
 * in the report zone); epoch seconds or milliseconds (12 or more integer digits
 * means milliseconds); or exactly the given date-fns pattern. Days that do not
 * exist are rejected, never rolled over.
 */
export function createTimestampParser(
  zone: Zone,
  dateFormat?: string,
  /**
   * Tests turn the digit-by-digit path off to compare it with the general one. `unrecognised`
   * is the problem with a value of no layout known: events, whose dates are always ISO, say so.
   */
  options: { fixedLayout?: boolean; unrecognised?: string } = {},
): TimestampParser {
  const fixedLayout = options.fixedLayout ?? true;
  const unrecognised = options.unrecognised ?? 'not an ISO 8601 date/time or epoch number (set --date-format for other layouts)';
  const { fromWall, fromInstant } = converters(zone);

  if (dateFormat !== undefined) {
    const kind = classifyPattern(dateFormat);
    const parsePattern = loadPatternParser(dateFormat);
    return (value) => {
      const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
      if (text === '') return 'empty timestamp';
      const ms = parsePattern(text);
      if (ms === null) return `does not match --date-format "${dateFormat}" or names a day that does not exist`;
      if (kind === 'instant') return fromInstant(ms);
      if (kind === 'wall') return fromWall(ms);
      return fromWall(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY);
    };
  }

  return (value) => {
    if (typeof value === 'number') return parseEpoch(value, fromInstant);
    if (typeof value !== 'string') return value === null || value === undefined ? 'empty timestamp' : 'timestamp is not text or a number';
    const text = value.trim();
    if (text === '') return 'empty timestamp';
    const fast = fixedLayout ? parseIsoFixed(text, fromWall, fromInstant) : null;
    if (fast !== null) return fast;
    const m = ISO_RE.exec(text);
    if (m) return parseIsoMatch(m, fromWall, fromInstant);
    if (EPOCH_RE.test(text)) return parseEpoch(Number(text), fromInstant, text);
    return unrecognised;
  };
}

/** A decimal digit, or NaN, which then poisons every sum it enters. */
function digit(t: string, i: number): number {
  const c = t.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

function two(t: string, i: number): number {
  return digit(t, i) * 10 + digit(t, i + 1);
}

/**
 * The layouts that exports use almost always (YYYY-MM-DD, then optionally
 * THH:MM:SS, .sss and Z or ±HH:MM), read digit by digit: no regex, no
 * allocation. Anything else returns null and goes through the general regex;
 * both give identical results (a property test holds them to it).
 */
function parseIsoFixed(
  t: string,
  fromWall: (wall: number) => TimestampResult,
  fromInstant: (instant: number) => TimestampResult,
): TimestampResult | null {
  const len = t.length;
  if (len < 10 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return null;
  const y = two(t, 0) * 100 + two(t, 2);
  const mo = two(t, 5);
  const d = two(t, 8);
  if (!(y >= 0 && mo >= 0 && d >= 0)) return null;
  if (len === 10) {
    if (!isValidCivil(y, mo, d)) return null;
    return fromWall(daysFromCivil(y, mo, d) * MS_PER_DAY);
  }
  const sep = t.charCodeAt(10);
  if (len < 19 || (sep !== 84 && sep !== 32) || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return null;
  const h = two(t, 11);
  const mi = two(t, 14);
  const sec = two(t, 17);
  if (!(h >= 0 && mi >= 0 && sec >= 0)) return null;
  let pos = 19;
  let frac = 0;
  if (pos < len && t.charCodeAt(pos) === 46) {
    if (pos + 4 > len) return null;
    const f = digit(t, pos + 1) * 100 + two(t, pos + 2);
    if (!(f >= 0)) return null;
    frac = f;
    pos += 4;
  }
  let offsetMinutes: number | null = null;
  if (pos === len - 1 && (t.charCodeAt(pos) === 90 || t.charCodeAt(pos) === 122)) offsetMinutes = 0;
  else if (pos === len - 6 && t.charCodeAt(pos + 3) === 58) {
    const sign = t.charCodeAt(pos);
    if (sign !== 43 && sign !== 45) return null;
    const oh = two(t, pos + 1);
    const om = two(t, pos + 4);
    if (!(oh >= 0 && om >= 0) || oh > 23 || om > 59) return null;
    offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  } else if (pos !== len) return null;
  // Out-of-range values take the general path, which words the reason.
  if (!isValidCivil(y, mo, d) || h > 23 || mi > 59 || sec > 59) return null;
  const wall = daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000 + frac;
  return offsetMinutes === null ? fromWall(wall) : fromInstant(wall - offsetMinutes * 60_000);
}

function parseIsoMatch(
  m: RegExpExecArray,
  fromWall: (wall: number) => TimestampResult,
  fromInstant: (instant: number) => TimestampResult,
): TimestampResult {
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (!isValidCivil(y, mo, d)) return `${m[1]}-${m[2]}-${m[3]} is not a day of the calendar`;
  const base = daysFromCivil(y, mo, d) * MS_PER_DAY;
  if (m[4] === undefined) return fromWall(base);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (h > 23 || mi > 59 || s > 59) return 'time of day out of range';
  const frac = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const wall = base + ((h * 60 + mi) * 60 + s) * 1000 + frac;
  const off = m[8];
  if (off === undefined) return fromWall(wall);
  if (off === 'Z' || off === 'z') return fromInstant(wall);
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  const oh = Number(digits.slice(0, 2));
  const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (oh > 23 || om > 59) return 'UTC offset out of range';
  return fromInstant(wall - sign * (oh * 60 + om) * 60_000);
}

function parseEpoch(n: number, fromInstant: (instant: number) => TimestampResult, text?: string): TimestampResult {
  if (!Number.isFinite(n)) return 'epoch value is not a finite number';
  // Before 1970: a sign slipped into the column or a difference of times, never a contact.
  if (n < 0) return 'negative epoch value (before 1970-01-01): not a plausible interaction time';
  const integerDigits = (text ?? String(Math.trunc(Math.abs(n)))).replace(/^-/, '').split('.')[0].replace(/^0+(?=\d)/, '').length;
  const ms = integerDigits >= 12 ? n : n * 1000;
  const instant = Math.floor(ms);
  if (Math.abs(instant) > 8.64e15) return 'epoch value out of the representable range';
  return fromInstant(instant);
}

/** The bytes String.prototype.trim removes from ASCII text. */
const isAsciiSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** Where the ASCII text b[s..e) starts once trimmed as String.prototype.trim trims it. */
export function trimmedStart(b: Uint8Array, s: number, e: number): number {
  while (s < e && isAsciiSpace(b[s])) s++;
  return s;
}

/** Where the ASCII text b[s..e) ends once trimmed (s: its trimmed start). */
export function trimmedEnd(b: Uint8Array, s: number, e: number): number {
  while (e > s && isAsciiSpace(b[e - 1])) e--;
  return e;
}

/** A decimal digit's value, or NaN, which then poisons every sum it enters. */
function digitAt(b: Uint8Array, i: number): number {
  const c = b[i] - 48;
  return c >= 0 && c <= 9 ? c : NaN;
}

function twoAt(b: Uint8Array, i: number): number {
  return digitAt(b, i) * 10 + digitAt(b, i + 1);
}

/**
 * The fixed-layout ISO path of createTimestampParser (without --date-format)
 * over bytes, for parse workers that read fields without making strings.
 * read() answers only where the string parser's digit-by-digit path would,
 * with the same day and instant (left in `day` and `instant`: no object per
 * row); everything else (other layouts, epochs, errors) is false, and the
 * caller hands the text to the string parser, which words the reason. The last
 * date read is remembered: a log's rows mostly share their date with the row
 * before. A property test holds the two parsers to each other.
 */
export class IsoBytesReader {
  day = 0;
  instant = 0;
  /** y·10⁴ + m·10² + d of the last date read, and its day number (NaN: no such day). */
  private lastDate = -1;
  private lastDays = NaN;

  constructor(private readonly zone: Zone) {}

  read(b: Uint8Array, start: number, end: number): boolean {
    start = trimmedStart(b, start, end);
    end = trimmedEnd(b, start, end);
    const len = end - start;
    if (len < 10 || b[start + 4] !== 45 || b[start + 7] !== 45) return false;
    const y = twoAt(b, start) * 100 + twoAt(b, start + 2);
    const mo = twoAt(b, start + 5);
    const d = twoAt(b, start + 8);
    if (!(y >= 0 && mo >= 0 && d >= 0)) return false;
    const date = y * 10_000 + mo * 100 + d;
    if (date !== this.lastDate) {
      this.lastDate = date;
      this.lastDays = isValidCivil(y, mo, d) ? daysFromCivil(y, mo, d) : NaN;
    }
    const days = this.lastDays;
    if (len === 10) return !Number.isNaN(days) && this.wall(days * MS_PER_DAY);
    const sep = b[start + 10];
    if (len < 19 || (sep !== 84 && sep !== 32) || b[start + 13] !== 58 || b[start + 16] !== 58) return false;
    const h = twoAt(b, start + 11);
    const mi = twoAt(b, start + 14);
    const sec = twoAt(b, start + 17);
    if (!(h >= 0 && mi >= 0 && sec >= 0)) return false;
    let pos = start + 19;
    let frac = 0;
    if (pos < end && b[pos] === 46) {
      if (pos + 4 > end) return false;
      const f = digitAt(b, pos + 1) * 100 + twoAt(b, pos + 2);
      if (!(f >= 0)) return false;
      frac = f;
      pos += 4;
    }
    let offsetMinutes = 0;
    let wallClock = false;
    if (pos === end - 1 && (b[pos] === 90 || b[pos] === 122)) offsetMinutes = 0;
    else if (pos === end - 6 && b[pos + 3] === 58) {
      const sign = b[pos];
      if (sign !== 43 && sign !== 45) return false;
      const oh = twoAt(b, pos + 1);
      const om = twoAt(b, pos + 4);
      if (!(oh >= 0 && om >= 0) || oh > 23 || om > 59) return false;
      offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
    } else if (pos === end) wallClock = true;
    else return false;
    // Out-of-range values take the general path, which words the reason.
    if (Number.isNaN(days) || h > 23 || mi > 59 || sec > 59) return false;
    const wall = days * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000 + frac;
    if (wallClock) return this.wall(wall);
    const instant = wall - offsetMinutes * 60_000;
    const day = instantDay(this.zone, instant);
    if (Number.isNaN(day)) return false;
    this.day = day;
    this.instant = instant;
    return true;
  }

  private wall(wall: number): boolean {
    const day = wallDay(wall);
    if (Number.isNaN(day)) return false;
    this.day = day;
    this.instant = this.zone.wallToInstant(wall);
    return true;
  }
}
