/** What a CSV cell may hold: text (from input data or names), a number the tool computed, or nothing. */
export type CsvValue = string | number | null | undefined;

/**
 * Characters that make spreadsheet software read a cell as a formula (OWASP
 * "CSV injection"); `'` is included when a run of them precedes a trigger so
 * that the rule stays reversible: `=x` is written `'=x`, `'=x` is written `''=x`.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Text neutralised against formula injection: a single quote is put in front
 * of text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
 * (optionally after quotes). Drop one leading `'` to get the original back.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting: a cell is quoted when it holds the delimiter, a quote or a line break. */
export function quoteCsv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One cell. Text comes from input data or user-supplied names and is
 * neutralised; numbers are the tool's own (negative offsets, negative
 * burstiness) and must stay numbers for the spreadsheet, so they are exempt.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return quoteCsv(neutraliseFormula(value));
}

export function toCsvRow(cells: readonly CsvValue[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}
