import type { GateResult } from '../report/report-types.js';
import { percent, printable, ratio } from './format-number.js';

/**
 * What a threshold compares, in words. `shareAbove` and segment/overall
 * results carry `ciLow` or `spikiness` semantics through `significant`.
 */
function measureName(r: GateResult, significant: boolean): string {
  if (r.metric === 'darkShare') return 'dark share';
  return r.metric === 'ciLow' || (r.metric === 'shareAbove' && significant) ? 'rate ratio lower CI bound (ciLow)' : 'spikiness';
}

/** The threshold itself, e.g. "overall spikiness ≤ 3". */
export function describeThreshold(r: GateResult, significant = false): string {
  const measure = measureName(r, significant);
  switch (r.scope) {
    case 'overall':
      return `overall ${measure} ≤ ${r.limit}`;
    case 'segment':
      return `segment ${printable(r.id)} ${measure} ≤ ${r.limit}`;
    case 'stakeholders':
      return `share of scored stakeholders with ${measure} > ${r.stakeholderLimit} ≤ ${percent(r.limit, 1)}`;
    case 'gap':
      return `largest gap dark share ≤ ${percent(r.limit, 1)}`;
  }
}

/** One line saying what was measured against the threshold. */
export function describeResult(r: GateResult, significant: boolean): string {
  const mark = r.actual === null ? 'n/a' : r.passed ? 'pass' : 'FAIL';
  const measure = measureName(r, significant);
  if (r.actual === null) return `${mark}: ${describeThreshold(r, significant)}: nothing to measure (${r.scope === 'gap' ? 'no gap after an event' : r.scope === 'stakeholders' ? 'no scored stakeholder, or no window or baseline days' : 'no window or baseline days'})`;
  switch (r.scope) {
    case 'overall':
      return `${mark}: overall ${measure} ${ratio(r.actual)} ${r.passed ? '≤' : '>'} ${r.limit}`;
    case 'segment':
      return `${mark}: segment ${printable(r.id)} ${measure} ${ratio(r.actual)} ${r.passed ? '≤' : '>'} ${r.limit}`;
    case 'stakeholders': {
      const worst = (r.offenders ?? []).slice(0, 3).map((o) => `${printable(o.id)} ${ratio(o.actual)}`);
      return `${mark}: ${percent(r.actual, 1)} of scored stakeholders have ${measure} > ${r.stakeholderLimit} (allowed ${percent(r.limit, 1)})${worst.length > 0 ? `; worst: ${worst.join(', ')}` : ''}`;
    }
    case 'gap':
      return `${mark}: gap ${r.id} dark share ${percent(r.actual, 1)} ${r.passed ? '≤' : '>'} ${percent(r.limit, 1)}`;
  }
}

export function verdict(results: readonly GateResult[]): string {
  const failed = results.filter((r) => !r.passed).length;
  const unmeasured = results.filter((r) => r.actual === null).length;
  const n = results.length;
  const thresholds = (k: number): string => `${k} threshold${k === 1 ? '' : 's'}`;
  if (failed > 0) return `engage-audit check: FAILED (${failed} of ${thresholds(n)} breached${unmeasured > 0 ? `; ${unmeasured} could not be measured` : ''})`;
  // An unmeasured threshold passes, but is not "within limits": the two counts add up to n.
  if (unmeasured === 0) return `engage-audit check: passed (${thresholds(n)} within limits)`;
  if (unmeasured === n) return `engage-audit check: passed (${n === 1 ? 'the threshold' : `all ${n} thresholds`} could not be measured; nothing breached)`;
  return `engage-audit check: passed (${n - unmeasured} of ${thresholds(n)} within limits; ${unmeasured} could not be measured)`;
}
