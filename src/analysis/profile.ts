import { offsetOf, type Calendar, type CalendarEvent } from './calendar.js';

/** The baseline rate as its two parts, n_B over D_B. */
export interface BaselineVolume {
  volume: number;
  days: number;
}

/** Superposed-epoch profile: exposure and volume per offset −profileDays … +profileDays. */
export interface Profile {
  profileDays: number;
  exposure: Float64Array;
  volume: Float64Array;
}

export function emptyProfile(profileDays: number): Profile {
  return {
    profileDays,
    exposure: new Float64Array(2 * profileDays + 1),
    volume: new Float64Array(2 * profileDays + 1),
  };
}

/**
 * One event's own profile (SPEC §3): each day of P within profileDays of the
 * event contributes unless it lies in another event's window.
 * `dayVolume[i]` is the volume on day `cal.from + i`.
 */
export function eventProfile(e: CalendarEvent, cal: Calendar, dayVolume: Float64Array, profileDays: number): Profile {
  const p = emptyProfile(profileDays);
  const first = Math.max(cal.from, e.start - profileDays);
  const last = Math.min(cal.to, e.end + profileDays);
  for (let d = first; d <= last; d++) {
    const k = offsetOf(d, e);
    if (k < -profileDays || k > profileDays) continue;
    const i = d - cal.from;
    const ownWindow = d >= e.windowStart && d <= e.windowEnd ? 1 : 0;
    if (cal.windowCover[i] - ownWindow > 0) continue;
    p.exposure[k + profileDays] += 1;
    p.volume[k + profileDays] += dayVolume[i];
  }
  return p;
}

export function addProfile(into: Profile, p: Profile): void {
  for (let i = 0; i < into.exposure.length; i++) {
    into.exposure[i] += p.exposure[i];
    into.volume[i] += p.volume[i];
  }
}

/**
 * Return to baseline: the first offset k ≥ 1 from which a run of settleDays
 * offsets holds no more than (1 + tolerance) times the baseline volume for its
 * exposure. Null when no such run fits inside the profile.
 */
export function daysToBaseline(
  p: Profile,
  baseline: BaselineVolume,
  settleDays: number,
  tolerance: number,
): number | null {
  const P = p.profileDays;
  for (let k = 1; k + settleDays - 1 <= P; k++) {
    let vol = 0;
    let exp = 0;
    for (let j = k; j <= k + settleDays - 1; j++) {
      vol += p.volume[j + P];
      exp += p.exposure[j + P];
    }
    // vol ≤ (1 + tolerance)·r_B·exp with r_B = n_B/D_B, multiplied out so that an
    // exact tie is not lost to the rounding of r_B.
    if (exp > 0 && vol * baseline.days <= (1 + tolerance) * baseline.volume * exp) return k;
  }
  return null;
}

/** Offset with the largest volume among offsets that have exposure; earliest on ties. */
export function peakOffset(p: Profile): number | null {
  let best: number | null = null;
  let bestVolume = -Infinity;
  for (let i = 0; i < p.exposure.length; i++) {
    if (p.exposure[i] > 0 && p.volume[i] > bestVolume) {
      bestVolume = p.volume[i];
      best = i - p.profileDays;
    }
  }
  return best;
}
