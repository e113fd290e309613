import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { formatProgress, progressReporter, PROGRESS_MIN_BYTES } from '../../src/cli/progress.js';

function fakeIo(isTTY: boolean, env: Record<string, string> = {}): { io: CliIo; err: () => string } {
  let err = '';
  return {
    io: { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true), isTTY }, stdin: Readable.from([]), env, cwd: '/' },
    err: () => err,
  };
}

const progress = { file: 'log.csv', bytesRead: 25_000_000, totalBytes: 100_000_000, rowsRead: 500_000 };

describe('progress bar', () => {
  it('shows bytes of total, rows/s and the time left', () => {
    // A quarter read in 2 s: 250,000 rows/s, 6 s to go.
    expect(formatProgress(progress, 2, 8)).toBe('[##......]  25% 25 MB of 100 MB · 250,000 rows/s · ETA 0:06');
  });

  it('counts rows when the size is unknown (standard input)', () => {
    expect(formatProgress({ ...progress, totalBytes: null }, 2)).toBe('reading log.csv: 500,000 rows · 250,000 rows/s');
  });

  it('draws only on a terminal, outside CI, without --quiet, for big inputs', () => {
    const big = PROGRESS_MIN_BYTES;
    for (const [tty, env, quiet, size, expected] of [
      [true, {}, false, big, true],
      [false, {}, false, big, false],
      [true, { CI: 'true' }, false, big, false],
      [true, {}, true, big, false],
      [true, {}, false, big - 1, false],
    ] as const) {
      const { io, err } = fakeIo(tty, env);
      const r = progressReporter(io, quiet, size);
      r.onProgress?.(progress);
      r.done();
      expect(err().includes('\r'), JSON.stringify({ tty, env, quiet, size })).toBe(expected);
    }
  });
});
