/**
 * Code-unit order for ids, names and values: the same on every machine and
 * locale (localeCompare is not), which keeps reports reproducible.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
