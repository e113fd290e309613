/** Space, tab, LF, VT, FF, CR as a CHR() concatenation, for dialects whose literals have no escapes. */
export function asciiWhitespaceByChr(chr = 'chr'): string {
  return `' ' || ${[9, 10, 11, 12, 13].map((c) => `${chr}(${c})`).join(' || ')}`;
}

/** A positive decimal number as the JS reader accepts it (no hex, no Infinity, no NaN). */
export const WEIGHT_PATTERN = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';
export const MIN_WEIGHT = '1e-150';
export const MAX_WEIGHT = '1e150';
