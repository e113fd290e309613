import { STAKEHOLDER_METRIC_KEYS, stakeholderDimensionNames, type Report } from '../report/report-types.js';
import { toCsvRow, type CsvValue } from './csv-cell.js';

/**
 * One row per stakeholder with every stakeholder field, in report order; empty
 * cell for null. Ids, dimension names and values are text from the input and
 * are neutralised against formula injection; computed figures stay numbers.
 */
export function renderCsv(report: Report): string {
  const dims = stakeholderDimensionNames(report.stakeholders);
  const header = ['id', ...dims, ...STAKEHOLDER_METRIC_KEYS];
  let out = toCsvRow(header);
  for (const row of report.stakeholders) {
    out += toCsvRow(header.map((k): CsvValue => row[k]));
  }
  return out;
}
