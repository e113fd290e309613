import type { Report } from '../report/report-types.js';

/** SPEC §6, unrounded. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
