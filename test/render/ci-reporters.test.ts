import { describe, expect, it } from 'vitest';
import type { GateResult, Report } from '../../src/report/report-types.js';
import { escapeData, escapeProperty, MAX_ANNOTATIONS, renderGithub } from '../../src/render/render-github.js';
import { renderJunit } from '../../src/render/render-junit.js';
import { renderGateText } from '../../src/render/render-gate-text.js';
import { plainPaint } from '../../src/render/paint.js';
import { verdict } from '../../src/render/describe-gate.js';

function withGate(gate: GateResult[]): Report {
  return { gate, settings: { significant: false } } as unknown as Report;
}

const seg = (id: string, actual: number, limit = 2): GateResult => ({ scope: 'segment', id, metric: 'spikiness', limit, actual, passed: actual <= limit });

describe('GitHub annotations', () => {
  it('escapes like @actions/core: % CR LF in data, also : and , in properties', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a: b, c%')).toBe('a%3A b%2C c%25');
  });

  it('writes one ::error per failure, worst first, with the data escaped', () => {
    const out = renderGithub(withGate([seg('type=a,b: x', 3), seg('type=ok', 1), seg('type=worst', 10)]));
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^::error title=engage-audit%3A segment type=worst spikiness ≤ 2::FAIL: segment type=worst spikiness 10\.0 > 2$/);
    expect(lines[1]).toContain('title=engage-audit%3A segment type=a%2Cb%3A x spikiness ≤ 2::');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('engage-audit check: FAILED (2 of 3 thresholds breached)');
  });

  it(`caps annotations at ${MAX_ANNOTATIONS} and says how many more failed`, () => {
    const gate = Array.from({ length: 14 }, (_, i) => seg(`s${i}`, 5 + i));
    const lines = renderGithub(withGate(gate)).trim().split('\n');
    expect(lines.filter((l) => l.startsWith('::error'))).toHaveLength(MAX_ANNOTATIONS);
    expect(lines.find((l) => l.startsWith('::warning'))).toContain('4 more failed thresholds');
  });

  it('emits a notice when everything passes', () => {
    expect(renderGithub(withGate([seg('x', 1)]))).toBe('::notice title=engage-audit::engage-audit check: passed (1 threshold within limits)\n');
  });
});

describe('JUnit XML', () => {
  it('has one testcase per threshold and a failure per breach, escaped', () => {
    const xml = renderJunit(withGate([seg('type=<a & "b">', 3), seg('type=ok', 1)]));
    expect(xml).toContain('<testsuites name="engage-audit" tests="2" failures="1">');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toContain('name="segment type=&lt;a &amp; &quot;b&quot;&gt; spikiness ≤ 2"');
    expect(xml).not.toMatch(/<a &/);
  });

  it('replaces characters XML cannot hold', () => {
    const xml = renderJunit(withGate([seg('bad\u0001id', 3)]));
    expect(xml).not.toContain('\u0001');
    expect(xml).toContain('bad\uFFFDid');
  });
});

describe('text verdict', () => {
  it('prints failed thresholds worst first, then one verdict line', () => {
    const out = renderGateText(withGate([seg('a', 3), seg('b', 1), seg('c', 9)]), { paint: plainPaint, top: 10, width: 100 });
    expect(out).toBe(
      'FAIL: segment c spikiness 9.00 > 2\nFAIL: segment a spikiness 3.00 > 2\nengage-audit check: FAILED (2 of 3 thresholds breached)\n',
    );
  });
});

describe('verdict', () => {
  const unmeasured = (id: string): GateResult => ({ scope: 'gap', id, metric: 'darkShare', limit: 0.5, actual: null, passed: true });

  it('counts thresholds within limits and thresholds not measured apart: they add up to the total', () => {
    expect(verdict([seg('a', 1), seg('b', 2)])).toBe('engage-audit check: passed (2 thresholds within limits)');
    expect(verdict([seg('a', 1)])).toBe('engage-audit check: passed (1 threshold within limits)');
    expect(verdict([seg('a', 1), unmeasured('g')])).toBe('engage-audit check: passed (1 of 2 thresholds within limits; 1 could not be measured)');
    expect(verdict([unmeasured('g')])).toBe('engage-audit check: passed (the threshold could not be measured; nothing breached)');
    expect(verdict([unmeasured('g'), unmeasured('h')])).toBe('engage-audit check: passed (all 2 thresholds could not be measured; nothing breached)');
  });

  it('a breach fails whatever else could not be measured', () => {
    expect(verdict([seg('a', 3), unmeasured('g')])).toBe('engage-audit check: FAILED (1 of 2 thresholds breached; 1 could not be measured)');
    expect(verdict([seg('a', 3)])).toBe('engage-audit check: FAILED (1 of 1 threshold breached)');
  });
});
