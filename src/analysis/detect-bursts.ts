import { formatDay, mondayOf } from '../time/civil-date.js';
import type { EventSpec, StakeholderInput } from './types.js';

export interface WeekCount {
  /** Monday of the ISO week (may precede P for the first, partial week). */
  monday: number;
  count: number;
}

/** Interactions per ISO week over the weeks that meet P; partial first and last weeks count as they are. */
export function weeklyCounts(stakeholders: readonly StakeholderInput[], period: { from: number; to: number }): WeekCount[] {
  const first = mondayOf(period.from);
  const weeks: WeekCount[] = [];
  for (let m = first; m <= period.to; m += 7) weeks.push({ monday: m, count: 0 });
  for (const s of stakeholders) {
    const { days, counts } = s.series;
    for (let i = 0; i < days.length; i++) weeks[Math.floor((days[i] - first) / 7)].count += counts[i];
  }
  return weeks;
}

/** Past this count, ln(x!) comes from Stirling's series instead of a sum of x logarithms. */
const SUMMED_UP_TO = 1 << 20;

/**
 * ln(x!) for a whole x ≥ 0. Summed term by term up to about a million; beyond,
 * where a rollup row may claim billions of interactions and the sum would run
 * for minutes, Stirling's series, whose error there (below 1/(1260x⁵)) is far
 * under a double's precision.
 */
export function logFactorial(x: number): number {
  if (x > SUMMED_UP_TO) {
    const inv = 1 / x;
    const inv2 = inv * inv;
    return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
  }
  let s = 0;
  for (let k = 2; k <= x; k++) s += Math.log(k);
  return s;
}

/**
 * Kleinberg's two-state burst automaton (SPEC §8): the minimum-cost state
 * sequence over weekly counts, preferring the base state on equal cost.
 * Returns one flag per week (true = burst state).
 */
export function burstStates(counts: readonly number[], scale: number, cost: number): boolean[] {
  const n = counts.length;
  if (n === 0) return [];
  const total = counts.reduce((a, b) => a + b, 0);
  const lambda0 = total / n;
  if (lambda0 === 0) return new Array<boolean>(n).fill(false);
  const lambda = [lambda0, scale * lambda0];
  const logLambda = lambda.map(Math.log);
  const enter = cost * Math.log(n);
  // Once per week: both states' costs share the term.
  const logFact = counts.map(logFactorial);
  const emit = (t: number, i: number): number => lambda[i] - counts[t] * logLambda[i] + logFact[t];

  // cost[i] = cheapest path ending in state i; the path starts in state 0.
  let c0 = emit(0, 0);
  let c1 = enter + emit(0, 1);
  const from1: Uint8Array[] = [new Uint8Array([0, 0])];
  for (let t = 1; t < n; t++) {
    const stay0 = c0;
    const leave1 = c1;
    const to0From = leave1 < stay0 ? 1 : 0;
    const next0 = Math.min(stay0, leave1) + emit(t, 0);
    const enter0 = c0 + enter;
    const stay1 = c1;
    const to1From = stay1 < enter0 ? 1 : 0;
    const next1 = Math.min(enter0, stay1) + emit(t, 1);
    from1.push(new Uint8Array([to0From, to1From]));
    c0 = next0;
    c1 = next1;
  }
  const states = new Array<boolean>(n);
  let state = c1 < c0 ? 1 : 0;
  for (let t = n - 1; t >= 0; t--) {
    states[t] = state === 1;
    state = from1[t][state];
  }
  return states;
}

/** Each maximal run of burst weeks becomes an event `burst <start>` of kind detected, clipped to P, no extra window. */
export function detectBursts(
  stakeholders: readonly StakeholderInput[],
  period: { from: number; to: number },
  scale: number,
  cost: number,
): EventSpec[] {
  const weeks = weeklyCounts(stakeholders, period);
  const states = burstStates(
    weeks.map((w) => w.count),
    scale,
    cost,
  );
  const events: EventSpec[] = [];
  for (let t = 0; t < weeks.length; t++) {
    if (!states[t] || (t > 0 && states[t - 1])) continue;
    let last = t;
    while (last + 1 < weeks.length && states[last + 1]) last++;
    const start = Math.max(weeks[t].monday, period.from);
    const end = Math.min(weeks[last].monday + 6, period.to);
    events.push({ name: `burst ${formatDay(start)}`, kind: 'detected', start, end, before: 0, after: 0 });
  }
  return events;
}
