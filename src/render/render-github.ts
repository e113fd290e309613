import { failedWorstFirst } from '../report/evaluate-gate.js';
import type { Report } from '../report/report-types.js';
import { describeResult, describeThreshold, verdict } from './describe-gate.js';

/** GitHub shows at most 10 error annotations per step; more would only be noise. */
export const MAX_ANNOTATIONS = 10;

/** Workflow-command escaping of a message, as @actions/core does it. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (title=…) also escape ':' and ','. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error` annotations for failed thresholds, worst first and capped, then the verdict as a notice. */
export function renderGithub(report: Report): string {
  const gate = report.gate ?? [];
  const failed = failedWorstFirst(gate);
  const lines = failed
    .slice(0, MAX_ANNOTATIONS)
    .map((r) => `::error title=${escapeProperty(`engage-audit: ${describeThreshold(r, report.settings.significant)}`)}::${escapeData(describeResult(r, report.settings.significant))}`);
  if (failed.length > MAX_ANNOTATIONS) {
    lines.push(`::warning title=engage-audit::${escapeData(`${failed.length - MAX_ANNOTATIONS} more failed thresholds are not annotated; see the job log or --junit.`)}`);
  }
  lines.push(failed.length === 0 ? `::notice title=engage-audit::${escapeData(verdict(gate))}` : verdict(gate));
  return `${lines.join('\n')}\n`;
}
