import type { GateResult } from '../report/report-types.js';
import { percent, printable, ratio } from './format-number.js';

function measureName(metric: GateResult['metric']): string {
  return metric === 'ciLow' ? 'spikiness lower CI bound' : 'spikiness';
}

/** The threshold itself, e.g. "overall spikiness ≤ 3". */
export function describeThreshold(r: GateResult): string {
  switch (r.scope) {
    case 'overall':
      return `overall ${measureName(r.metric)} ≤ ${r.limit}`;
    case 'segment':
      return `segment ${printable(r.id)} ${measureName(r.metric)} ≤ ${r.limit}`;
    case 'stakeholders':
      return `share of scored stakeholders with spikiness > ${r.stakeholderLimit} ≤ ${percent(r.limit, 1)}`;
    case 'gap':
      return `largest gap dark share ≤ ${percent(r.limit, 1)}`;
  }
}

/** One line saying what was measured against the threshold. */
export function describeResult(r: GateResult, significant: boolean): string {
  const mark = r.passed ? 'pass' : 'FAIL';
  const measure = significant && r.metric !== 'darkShare' ? 'spikiness lower CI bound' : r.metric === 'darkShare' ? 'dark share' : 'spikiness';
  if (r.actual === null) return `${mark}: ${describeThreshold(r)}: nothing to measure`;
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
  return failed === 0
    ? `engage-audit check: passed (${results.length} threshold${results.length === 1 ? '' : 's'} within limits)`
    : `engage-audit check: FAILED (${failed} of ${results.length} threshold${results.length === 1 ? '' : 's'} breached)`;
}
