import { MS_PER_DAY, daysFromCivil } from './civil-date.js';
import { UsageError } from '../errors.js';

const MS_PER_HOUR = 3_600_000;

/** Names of UTC itself, for which no Intl lookup is needed. */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']);

/** Throws a UsageError unless `name` is an IANA zone this Node build knows. */
export function assertValidZone(name: string, source = '--tz'): void {
  // The default needs no check, and the first Intl.DateTimeFormat of a process costs about
  // 17 ms (ICU loads its data), a tenth of the start-up of every run in UTC.
  if (UTC_NAMES.has(name)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw new UsageError(
      `${source}: "${name}" is not a known IANA time zone`,
      'Use a zone name such as UTC, Europe/London, America/New_York or Asia/Tokyo.',
    );
  }
}

/**
 * Offsets of one IANA zone, cached per UTC hour. An Intl lookup costs
 * microseconds; logs hold millions of rows but only thousands of distinct
 * hours. A bucket is cached only when the offset is the same at both of its
 * ends, so an hour that holds a transition is resolved exactly, per instant.
 */
export class Zone {
  readonly name: string;
  readonly isUtc: boolean;
  private readonly fmt: Intl.DateTimeFormat | undefined;
  private readonly cache = new Map<number, number>();

  constructor(name: string) {
    assertValidZone(name);
    this.name = name;
    this.isUtc = UTC_NAMES.has(name);
    this.fmt = this.isUtc
      ? undefined
      : new Intl.DateTimeFormat('en-US', {
          timeZone: name,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          era: 'short',
        });
  }

  /** Milliseconds to add to an instant to get its wall-clock time in this zone. */
  offsetAt(instant: number): number {
    if (this.fmt === undefined) return 0;
    const bucket = Math.floor(instant / MS_PER_HOUR);
    const cached = this.cache.get(bucket);
    if (cached !== undefined) return cached;
    const start = bucket * MS_PER_HOUR;
    const a = this.lookup(start);
    const b = this.lookup(start + MS_PER_HOUR - 1);
    if (a === b) {
      this.cache.set(bucket, a);
      return a;
    }
    return this.lookup(instant);
  }

  private lookup(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    const parts = this.fmt!.formatToParts(new Date(whole));
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, bc = false;
    for (const p of parts) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': h = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': s = Number(p.value); break;
        case 'era': bc = p.value === 'BC' || p.value === 'B'; break;
      }
    }
    const year = bc ? 1 - y : y;
    const wall = daysFromCivil(year, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000;
    return wall - whole;
  }

  /** Calendar day (days since 1970-01-01) of an instant in this zone. */
  dayOf(instant: number): number {
    return Math.floor((instant + this.offsetAt(instant)) / MS_PER_DAY);
  }

  /**
   * The instant of a wall-clock time (given as milliseconds as if it were UTC).
   * Daylight-saving rule ("compatible", as in Temporal and most calendars): a
   * time repeated when clocks go back means its first occurrence; a time
   * skipped when clocks go forward is moved forward by the length of the gap
   * (02:30 on a spring-forward night becomes 03:30).
   */
  wallToInstant(wall: number): number {
    if (this.fmt === undefined) return wall;
    const oBefore = this.offsetAt(wall - MS_PER_DAY);
    const oAfter = this.offsetAt(wall + MS_PER_DAY);
    const tBefore = wall - oBefore;
    if (oBefore === oAfter) return tBefore;
    const tAfter = wall - oAfter;
    const beforeValid = this.offsetAt(tBefore) === oBefore;
    const afterValid = this.offsetAt(tAfter) === oAfter;
    if (beforeValid && afterValid) return Math.min(tBefore, tAfter);
    if (beforeValid) return tBefore;
    if (afterValid) return tAfter;
    return tBefore;
  }
}
