import type { Report } from '../report/report-types.js';
import { toCsvRow } from './csv-cell.js';

/**
 * The report's events as an events file that --events reads back: detected
 * bursts can be reviewed, renamed and committed as the team's calendar.
 */
export function renderEventsCsv(report: Report): string {
  let out = toCsvRow(['name', 'start', 'end', 'kind', 'before', 'after']);
  for (const e of report.events) {
    out += toCsvRow([e.name, e.start, e.end, e.kind ?? '', e.before, e.after]);
  }
  return out;
}
