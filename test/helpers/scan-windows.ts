import type { Scanner } from '../../src/ingest/scan-delimited.js';

/**
 * Feeds `bytes` to the scanner as a parse worker does: windows of `step`
 * bytes, widened while a record does not fit, the last one at end of input.
 */
export function scanInWindows(scanner: Scanner, bytes: Buffer, step: number): void {
  let consumed = 0;
  let window = step;
  for (;;) {
    const end = Math.min(bytes.length, consumed + window);
    const atEnd = end === bytes.length;
    const used = scanner.scan(bytes.subarray(consumed, end), 0, atEnd);
    consumed += used;
    if (atEnd) break;
    window = used === 0 ? window * 2 : step;
  }
}
