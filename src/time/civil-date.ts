/**
 * Calendar days as integers (days since 1970-01-01 in the proleptic Gregorian
 * calendar). Every day arithmetic in the tool goes through these so that no
 * Date object, and so no host time zone, is ever involved in day maths.
 */

export const MS_PER_DAY = 86_400_000;

/** Howard Hinnant's days_from_civil: exact for every representable year. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): { y: number; m: number; d: number } {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : DAYS_IN_MONTH[m - 1];
}

/**
 * The plausible days, 1900-01-01 to 2200-12-31: beyond them a date is far more
 * likely a wrong column, a placeholder (0001-01-01, 9999-12-31) or a
 * mis-scaled epoch than a real interaction. The reader, the rollup reader and
 * the rollup query all hold to them, and the ledger's packed keys rely on them.
 */
export const FIRST_PLAUSIBLE_DAY = daysFromCivil(1900, 1, 1);
export const LAST_PLAUSIBLE_DAY = daysFromCivil(2200, 12, 31);

/** True when y-m-d names a day that exists (2024-02-30 does not). */
export function isValidCivil(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatDay(day: number): string {
  const { y, m, d } = civilFromDays(day);
  const year = y < 0 ? `-${pad(-y, 4)}` : pad(y, 4);
  return `${year}-${pad(m, 2)}-${pad(d, 2)}`;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict `YYYY-MM-DD`; null for anything else, including impossible days. */
export function parseDay(s: string): number | null {
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    // The common case, digit by digit: rollups hold millions of days.
    let y = 0;
    let ok = true;
    for (let i = 0; i < 4; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) ok = false;
      y = y * 10 + c;
    }
    const m1 = s.charCodeAt(5) - 48;
    const m2 = s.charCodeAt(6) - 48;
    const d1 = s.charCodeAt(8) - 48;
    const d2 = s.charCodeAt(9) - 48;
    if (ok && m1 >= 0 && m1 <= 9 && m2 >= 0 && m2 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) {
      const mo = m1 * 10 + m2;
      const d = d1 * 10 + d2;
      return isValidCivil(y, mo, d) ? daysFromCivil(y, mo, d) : null;
    }
    return null;
  }
  const m = DAY_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return isValidCivil(y, mo, d) ? daysFromCivil(y, mo, d) : null;
}

/** parseDay's digit-by-digit case over the bytes b[s..e) (a parse worker's field); NaN for anything else. */
export function dayOfBytes(b: Uint8Array, s: number, e: number): number {
  if (e - s !== 10 || b[s + 4] !== 45 || b[s + 7] !== 45) return NaN;
  let y = 0;
  for (let i = s; i < s + 4; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return NaN;
    y = y * 10 + c;
  }
  const m1 = b[s + 5] - 48;
  const m2 = b[s + 6] - 48;
  const d1 = b[s + 8] - 48;
  const d2 = b[s + 9] - 48;
  if (!(m1 >= 0 && m1 <= 9 && m2 >= 0 && m2 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return NaN;
  const mo = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  return isValidCivil(y, mo, d) ? daysFromCivil(y, mo, d) : NaN;
}

/** ISO weekday, 1 = Monday … 7 = Sunday (day 0, 1970-01-01, was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** The Monday that starts the ISO week holding `day`. */
export function mondayOf(day: number): number {
  return day - (isoWeekday(day) - 1);
}

export function firstOfMonth(day: number): number {
  const { y, m } = civilFromDays(day);
  return daysFromCivil(y, m, 1);
}

export function addMonths(day: number, months: number): number {
  const { y, m } = civilFromDays(day);
  const total = y * 12 + (m - 1) + months;
  return daysFromCivil(Math.floor(total / 12), (total % 12) + 1, 1);
}
