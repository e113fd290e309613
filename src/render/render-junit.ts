import type { Report } from '../report/report-types.js';
import { describeResult, describeThreshold } from './describe-gate.js';

/** XML 1.0 allows neither most control characters nor lone surrogates, escaped or not. */
function xmlText(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** JUnit XML: one testcase per threshold, a <failure> for each breach. */
export function renderJunit(report: Report): string {
  const gate = report.gate ?? [];
  const failures = gate.filter((r) => !r.passed).length;
  const cases = gate.map((r) => {
    const name = xmlText(describeThreshold(r, report.settings.significant));
    const classname = xmlText(`engage-audit.${r.scope}`);
    const detail = xmlText(describeResult(r, report.settings.significant));
    const body = r.passed
      ? `<system-out>${detail}</system-out>`
      : `<failure message="${detail}" type="threshold">${xmlText(JSON.stringify(r, null, 2))}</failure>`;
    return `    <testcase classname="${classname}" name="${name}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="engage-audit" tests="${gate.length}" failures="${failures}">`,
    `  <testsuite name="engage-audit check" tests="${gate.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
