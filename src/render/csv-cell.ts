/** RFC 4180 quoting: a cell is quoted when it holds the delimiter, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsvRow(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}
