import type { Report } from '../report/report-types.js';
import { describeThreshold, verdict } from './describe-gate.js';
import { percent, ratio } from './format-number.js';
import { mdText } from './markdown-escape.js';

function actualCell(r: NonNullable<Report['gate']>[number]): string {
  if (r.actual === null) return '–';
  return r.metric === 'shareAbove' || r.metric === 'darkShare' ? percent(r.actual, 1) : ratio(r.actual);
}

/** The gate as a GFM section, for GitHub's job summary and the markdown report. */
export function renderGateMarkdown(report: Report): string {
  const gate = report.gate ?? [];
  const rows = gate.map((r) => `| ${r.passed ? '✅ pass' : '❌ fail'} | ${mdText(describeThreshold(r, report.settings.significant))} | ${mdText(r.id)} | ${actualCell(r)} |`);
  return [
    '## engage-audit check',
    '',
    `**${mdText(verdict(gate))}**${report.settings.significant ? ' (limits compared with the lower bound of each confidence interval)' : ''}`,
    '',
    '| result | threshold | scope | actual |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
