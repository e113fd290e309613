import { failedWorstFirst } from '../report/evaluate-gate.js';
import type { Report } from '../report/report-types.js';
import { describeResult, verdict } from './describe-gate.js';
import type { RenderOptions } from './registry.js';

/** Short and scannable in a CI log: one line per failed threshold, worst first, then the verdict. */
export function renderGateText(report: Report, options: RenderOptions): string {
  const gate = report.gate ?? [];
  const { paint } = options;
  const lines = failedWorstFirst(gate).map((r) => paint.red(describeResult(r, report.settings.significant)));
  // A threshold that had nothing to measure passes, but silently passing it would mislead.
  for (const r of gate) if (r.actual === null) lines.push(paint.yellow(describeResult(r, report.settings.significant)));
  const v = verdict(gate);
  lines.push(gate.every((r) => r.passed) ? paint.green(v) : paint.bold(paint.red(v)));
  return `${lines.join('\n')}\n`;
}
