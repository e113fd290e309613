import type { Settings } from '../config/settings.js';
import type { GateResult, Report } from './report-types.js';
import { compareText } from '../compare-text.js';

/** The thresholds of SPEC §4 as settings; `significant` compares ciLow instead of the point estimate. */
export type GateThresholds = Pick<Settings, 'maxSpikiness' | 'maxStakeholderSpikiness' | 'maxFlaggedShare' | 'maxSegmentSpikiness' | 'maxDarkShare' | 'significant'>;

export function hasThreshold(t: GateThresholds): boolean {
  return t.maxSpikiness !== undefined || t.maxStakeholderSpikiness !== undefined || t.maxSegmentSpikiness !== undefined || t.maxDarkShare !== undefined;
}

const MAX_OFFENDERS = 10;

function pass(actual: number | null, limit: number): boolean {
  return actual === null || actual <= limit;
}

/** Evaluates every declared threshold against the report (SPEC §4). Pure. */
export function evaluateGate(report: Report, t: GateThresholds): GateResult[] {
  const metric = t.significant ? 'ciLow' : 'spikiness';
  const measure = (x: { spikiness: number | null; ciLow: number | null }): number | null => (t.significant ? x.ciLow : x.spikiness);
  const results: GateResult[] = [];

  if (t.maxSpikiness !== undefined) {
    const actual = measure(report.overall);
    results.push({ scope: 'overall', id: 'overall', metric, limit: t.maxSpikiness, actual, passed: pass(actual, t.maxSpikiness) });
  }

  if (t.maxStakeholderSpikiness !== undefined) {
    const limit = t.maxStakeholderSpikiness;
    const scored = report.stakeholders.filter((s) => s.status === 'scored');
    const over = scored
      .map((s) => ({ id: s.id, actual: measure(s) }))
      .filter((o): o is { id: string; actual: number } => o.actual !== null && o.actual > limit)
      .sort((a, b) => b.actual - a.actual || compareText(a.id, b.id));
    // With no window or baseline days every spikiness is null: nothing was measured, which is not a share of 0.
    const share = scored.some((s) => measure(s) !== null) ? over.length / scored.length : null;
    results.push({
      scope: 'stakeholders',
      id: 'scored',
      metric: 'shareAbove',
      limit: t.maxFlaggedShare,
      actual: share,
      passed: pass(share, t.maxFlaggedShare),
      stakeholderLimit: limit,
      offenders: over.slice(0, MAX_OFFENDERS),
    });
  }

  if (t.maxSegmentSpikiness !== undefined) {
    for (const seg of report.segments) {
      const actual = measure(seg);
      results.push({
        scope: 'segment',
        id: `${seg.dimension}=${seg.value}`,
        metric,
        limit: t.maxSegmentSpikiness,
        actual,
        passed: pass(actual, t.maxSegmentSpikiness),
      });
    }
  }

  if (t.maxDarkShare !== undefined) {
    const measured = report.gaps.filter((g) => g.darkShare !== null);
    const worst = measured.reduce<(typeof measured)[number] | null>((w, g) => (w === null || g.darkShare! > w.darkShare! ? g : w), null);
    results.push({
      scope: 'gap',
      id: worst ? `${worst.start}…${worst.end}` : 'none',
      metric: 'darkShare',
      limit: t.maxDarkShare,
      actual: worst?.darkShare ?? null,
      passed: pass(worst?.darkShare ?? null, t.maxDarkShare),
    });
  }
  return results;
}

/** Failed results, worst first (by how far over its limit each is, relatively). */
export function failedWorstFirst(results: readonly GateResult[]): GateResult[] {
  const excess = (r: GateResult): number => (r.actual === null ? 0 : r.limit > 0 ? r.actual / r.limit : Infinity);
  return results.filter((r) => !r.passed).sort((a, b) => excess(b) - excess(a));
}
