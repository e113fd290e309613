import type { IngestProgress } from '../ingest/ingest.js';
import type { CliIo } from './io.js';

/** Inputs smaller than this finish before a bar would be worth reading. */
export const PROGRESS_MIN_BYTES = 50 * 1024 * 1024;
const REFRESH_MS = 100;

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** One line: bar, bytes of total, rows/s and time left. Pure, for tests. */
export function formatProgress(p: IngestProgress, elapsedSeconds: number, width = 24): string {
  const rate = elapsedSeconds > 0 ? p.rowsRead / elapsedSeconds : 0;
  const rows = `${Math.round(rate).toLocaleString('en')} rows/s`;
  if (p.totalBytes === null || p.totalBytes === 0) return `reading ${p.file}: ${p.rowsRead.toLocaleString('en')} rows · ${rows}`;
  const share = Math.min(1, p.bytesRead / p.totalBytes);
  const filled = Math.round(share * width);
  const eta = share > 0 ? (elapsedSeconds / share) * (1 - share) : NaN;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${mb(p.bytesRead)} of ${mb(p.totalBytes)} · ${rows} · ETA ${duration(eta)}`;
}

/**
 * A progress bar on standard error, only for a person watching: stderr is a
 * terminal, not CI, not --quiet, and the input is big enough to wait for.
 * Returns the callback for ingest and a function that clears the line.
 */
export function progressReporter(io: CliIo, quiet: boolean, totalBytes: number): { onProgress?: (p: IngestProgress) => void; done: () => void } {
  const wanted = !quiet && io.stderr.isTTY === true && !io.env.CI && totalBytes >= PROGRESS_MIN_BYTES;
  if (!wanted) return { done: () => {} };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    onProgress: (p) => {
      const now = Date.now();
      if (now - last < REFRESH_MS) return;
      last = now;
      shown = true;
      io.stderr.write(`\r\x1b[2K${formatProgress(p, (now - started) / 1000)}`);
    },
    done: () => {
      if (shown) io.stderr.write('\r\x1b[2K');
    },
  };
}
