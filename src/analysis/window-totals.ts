import type { Calendar } from './calendar.js';
import type { DaySeries } from './types.js';

/** c, n and Σw² of one set of interactions, split into window and baseline days. */
export interface WindowTotals {
  cW: number;
  cB: number;
  nW: number;
  nB: number;
  sqW: number;
  sqB: number;
}

export function emptyTotals(): WindowTotals {
  return { cW: 0, cB: 0, nW: 0, nB: 0, sqW: 0, sqB: 0 };
}

/** Adds a series' days (all inside P) to `into`, split by the calendar. */
export function addSeries(into: WindowTotals, s: DaySeries, cal: Calendar): WindowTotals {
  const { days, counts, volumes, squares } = s;
  for (let i = 0; i < days.length; i++) {
    if (cal.inWindow[days[i] - cal.from]) {
      into.cW += counts[i];
      into.nW += volumes[i];
      into.sqW += squares[i];
    } else {
      into.cB += counts[i];
      into.nB += volumes[i];
      into.sqB += squares[i];
    }
  }
  return into;
}

export function totalsOf(s: DaySeries, cal: Calendar): WindowTotals {
  return addSeries(emptyTotals(), s, cal);
}

export function mergeTotals(into: WindowTotals, t: WindowTotals): WindowTotals {
  into.cW += t.cW;
  into.cB += t.cB;
  into.nW += t.nW;
  into.nB += t.nB;
  into.sqW += t.sqW;
  into.sqB += t.sqB;
  return into;
}
