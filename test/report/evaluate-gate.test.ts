import { describe, expect, it } from 'vitest';
import { evaluateGate, failedWorstFirst } from '../../src/report/evaluate-gate.js';
import type { Report } from '../../src/report/report-types.js';

/** A hand-made report holding only what the gate reads. */
function report(): Report {
  const s = (id: string, spikiness: number, ciLow: number, status = 'scored') => ({ id, spikiness, ciLow, status });
  return {
    overall: { spikiness: 3.4, ciLow: 0.68 },
    stakeholders: [s('a', 9, 4), s('b', 6, 0.9), s('c', 2, 0.5), s('d', 1, 0.2), s('tiny', 50, 0.1, 'insufficient')],
    segments: [
      { dimension: 'type', value: 'hcp', spikiness: 5, ciLow: 3.5 },
      { dimension: 'type', value: 'patient', spikiness: 1.1, ciLow: 0.9 },
    ],
    gaps: [
      { start: '2024-01-01', end: '2024-01-07', before: null, after: 'E1', darkShare: null },
      { start: '2024-01-13', end: '2024-01-20', before: 'E1', after: 'E2', darkShare: 0.5 },
      { start: '2024-02-13', end: '2024-02-20', before: 'E2', after: null, darkShare: 0.75 },
    ],
  } as unknown as Report;
}

describe('gate evaluation (SPEC §4)', () => {
  it('compares the overall spikiness, or its lower bound with --significant', () => {
    const [point] = evaluateGate(report(), { maxSpikiness: 3, maxFlaggedShare: 0, significant: false });
    expect(point).toEqual({ scope: 'overall', id: 'overall', metric: 'spikiness', limit: 3, actual: 3.4, passed: false });
    const [sig] = evaluateGate(report(), { maxSpikiness: 3, maxFlaggedShare: 0, significant: true });
    expect(sig).toMatchObject({ metric: 'ciLow', actual: 0.68, passed: true });
  });

  it('gates the share of scored stakeholders over the limit, never insufficient ones', () => {
    // Scored: a 9, b 6, c 2, d 1; over 5: a and b → 2/4.
    const [r] = evaluateGate(report(), { maxStakeholderSpikiness: 5, maxFlaggedShare: 0.25, significant: false });
    expect(r).toMatchObject({ scope: 'stakeholders', metric: 'shareAbove', limit: 0.25, actual: 0.5, passed: false, stakeholderLimit: 5 });
    expect(r.offenders).toEqual([
      { id: 'a', actual: 9 },
      { id: 'b', actual: 6 },
    ]);
    const [allowed] = evaluateGate(report(), { maxStakeholderSpikiness: 5, maxFlaggedShare: 0.5, significant: false });
    expect(allowed.passed).toBe(true);
    // With --significant only a's lower bound (4) exceeds 3.
    const [sig] = evaluateGate(report(), { maxStakeholderSpikiness: 3, maxFlaggedShare: 0, significant: true });
    expect(sig).toMatchObject({ actual: 0.25, passed: false });
    expect(sig.offenders).toEqual([{ id: 'a', actual: 4 }]);
  });

  it('gives one result per segment', () => {
    const results = evaluateGate(report(), { maxSegmentSpikiness: 4, maxFlaggedShare: 0, significant: false });
    expect(results.map((r) => [r.id, r.passed])).toEqual([
      ['type=hcp', false],
      ['type=patient', true],
    ]);
  });

  it('checks the largest gap dark share', () => {
    const [r] = evaluateGate(report(), { maxDarkShare: 0.6, maxFlaggedShare: 0, significant: false });
    expect(r).toMatchObject({ scope: 'gap', id: '2024-02-13…2024-02-20', metric: 'darkShare', actual: 0.75, passed: false });
  });

  it('orders failures by how far over their limit they are', () => {
    const results = evaluateGate(report(), { maxSpikiness: 3, maxSegmentSpikiness: 2, maxFlaggedShare: 0, significant: false });
    // overall 3.4/3 = 1.13, hcp 5/2 = 2.5 → hcp first.
    expect(failedWorstFirst(results).map((r) => r.id)).toEqual(['type=hcp', 'overall']);
  });

  it('passes what cannot be measured', () => {
    const r = report();
    (r.overall as { spikiness: number | null }).spikiness = null;
    expect(evaluateGate(r, { maxSpikiness: 3, maxFlaggedShare: 0, significant: false })[0]).toMatchObject({ actual: null, passed: true });
  });

  it('a stakeholder threshold with no spikiness to compare (no window days) is not measured, rather than a share of 0', () => {
    const r = report();
    for (const s of r.stakeholders as { spikiness: number | null; ciLow: number | null }[]) {
      s.spikiness = null;
      s.ciLow = null;
    }
    const [result] = evaluateGate(r, { maxStakeholderSpikiness: 2, maxFlaggedShare: 0, significant: false });
    expect(result).toMatchObject({ scope: 'stakeholders', actual: null, passed: true, offenders: [] });
    // One measured stakeholder is enough for a share, over all the scored ones (SPEC §4).
    (r.stakeholders[0] as { spikiness: number | null }).spikiness = 9;
    expect(evaluateGate(r, { maxStakeholderSpikiness: 2, maxFlaggedShare: 0, significant: false })[0]).toMatchObject({ actual: 0.25, passed: false });
  });
});
