import { STAKEHOLDER_METRIC_KEYS, stakeholderDimensionNames, type Report } from '../report/report-types.js';
import { toCsvRow } from './csv-cell.js';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

/** One row per stakeholder with every stakeholder field, in report order; empty cell for null. */
export function renderCsv(report: Report): string {
  const dims = stakeholderDimensionNames(report.stakeholders);
  const header = ['id', ...dims, ...STAKEHOLDER_METRIC_KEYS];
  let out = toCsvRow(header);
  for (const row of report.stakeholders) {
    out += toCsvRow(header.map((k) => cell(row[k])));
  }
  return out;
}
