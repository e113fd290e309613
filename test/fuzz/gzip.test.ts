/**
 * Fuzz (issue #6): truncated and corrupt gzip. A gzip file carries its own
 * length and CRC, so damage is detectable: a cut anywhere must be exit 2
 * naming the file (never a report on the rows before the cut), and a flipped
 * byte either exit 2 or, where gzip ignores the byte (modification time, OS,
 * the text flag), the very report of the intact file. Runs: see
 * fuzz-harness.ts (ENGAGE_AUDIT_FUZZ_RUNS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';
import {
  budget,
  chunksArb,
  CLEANUP_TIMEOUT_MS,
  expectAccountedOrClearError,
  FORMATS,
  printOutcomes,
  render,
  rowsArb,
  runBytes,
  tempDir,
  timeoutFor,
  writeBytes,
  type Format,
  type InputCounts,
} from './fuzz-harness.js';

const tmp = tempDir('gzip');
afterAll(() => {
  printOutcomes('gzip: outcomes');
  tmp.cleanup();
}, CLEANUP_TIMEOUT_MS);

/** A valid log, its gzip, and the counts of the intact file (through the same route). */
const gzArb = fc.tuple(fc.constantFrom(...FORMATS), rowsArb).map(([format, rows]) => {
  const text = Buffer.from(render(format, rows));
  return { format, rows: rows.length, gz: gzipSync(text, { level: 6 }) };
});

/** Where to cut or damage: the 10-byte header, the deflate data, the CRC, the length (last 4). */
const regionArb = fc.constantFrom('header', 'body', 'crc', 'size', 'anywhere');

function offsetIn(region: string, length: number, f: number): number {
  const [from, to] =
    region === 'header' ? [0, 10] : region === 'body' ? [10, length - 8] : region === 'crc' ? [length - 8, length - 4] : region === 'size' ? [length - 4, length] : [0, length];
  return Math.min(length - 1, from + Math.floor(f * Math.max(1, to - from)));
}

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

type Via = { via: 'file' } | { via: 'stdin'; chunks: number[] };
const viaArb: fc.Arbitrary<Via> = fc.oneof(fc.constant({ via: 'file' as const }), fc.record({ via: fc.constant('stdin' as const), chunks: chunksArb }));

async function runGz(bytes: Buffer, format: Format, via: Via, rejects = false) {
  if (via.via === 'stdin') {
    const r = await runBytes(['report', '-', '--input-format', format, '--format', 'json'], { cwd: tmp.dir, stdin: bytes, chunks: via.chunks });
    return { r, names: ['<stdin>'], rejectsPath: undefined };
  }
  const file = writeBytes(tmp.path(`log.${format}.gz`), bytes);
  const rejectsPath = rejects ? tmp.path('rejects.csv') : undefined;
  const r = await runBytes(['report', file, '--format', 'json', ...(rejectsPath ? ['--rejects', rejectsPath] : [])], { cwd: tmp.dir });
  return { r, names: [file], rejectsPath };
}

function counts(i: InputCounts | null) {
  return i && { rowsRead: i.rowsRead, rowsUsed: i.rowsUsed, rowsRejected: i.rowsRejected, rowsOutOfRange: i.rowsOutOfRange };
}

describe('truncated gzip', () => {
  let whole: Buffer;
  beforeAll(() => {
    whole = gzipSync(readFileSync(join(ROOT, 'fixtures/spec/worked-example.csv')));
  });

  it('cut at every offset of the header and trailer of a small file, and every 4th of its data: exit 2 naming the file', async () => {
    // The intact file is read in full: seven rows (SPEC §7).
    const intact = await runGz(whole, 'csv', { via: 'file' });
    expect(counts(expectAccountedOrClearError(intact.r, intact))).toEqual({ rowsRead: 7, rowsUsed: 7, rowsRejected: 0, rowsOutOfRange: 0 });
    for (let cut = 0; cut < whole.length; cut++) {
      if (cut > 12 && cut < whole.length - 10 && cut % 4 !== 0) continue;
      const { r, names } = await runGz(whole.subarray(0, cut), 'csv', { via: 'file' });
      expect(expectAccountedOrClearError(r, { names }), `cut at ${cut} of ${whole.length}`).toBeNull();
    }
  });

  it(
    'cut anywhere in any log, from a file or a pipe: exit 2',
    async () => {
      await fc.assert(
        fc.asyncProperty(gzArb, regionArb, fraction, viaArb, async ({ format, gz }, region, f, via) => {
          const cut = offsetIn(region, gz.length, f);
          const { r, names } = await runGz(gz.subarray(0, cut), format, via);
          expect(expectAccountedOrClearError(r, { names }), `cut at ${cut} of ${gz.length}`).toBeNull();
        }),
        budget(40),
      );
    },
    timeoutFor(40),
  );
});

describe('corrupt gzip', () => {
  it(
    'flipped bytes: exit 2, or the report of the intact file',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          gzArb,
          fc.array(fc.tuple(regionArb, fraction, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
          viaArb,
          async ({ format, rows, gz }, flips, via) => {
            const bad = Buffer.from(gz);
            for (const [region, f, mask] of flips) bad[offsetIn(region, bad.length, f)] ^= mask;
            const { r, names, rejectsPath } = await runGz(bad, format, via, true);
            const input = expectAccountedOrClearError(r, { names, rejectsPath });
            if (input !== null) expect(counts(input)).toEqual({ rowsRead: rows, rowsUsed: rows, rowsRejected: 0, rowsOutOfRange: 0 });
          },
        ),
        budget(60),
      );
    },
    timeoutFor(60),
  );

  it(
    'bytes after the end of the gzip data: exit 2, or the report of the intact file',
    async () => {
      await fc.assert(
        fc.asyncProperty(gzArb, fc.uint8Array({ minLength: 1, maxLength: 64 }), viaArb, async ({ format, rows, gz }, junk, via) => {
          const { r, names } = await runGz(Buffer.concat([gz, Buffer.from(junk)]), format, via);
          const input = expectAccountedOrClearError(r, { names });
          if (input !== null) expect(counts(input)).toEqual({ rowsRead: rows, rowsUsed: rows, rowsRejected: 0, rowsOutOfRange: 0 });
        }),
        budget(25),
      );
    },
    timeoutFor(25),
  );

  it(
    'a log compressed as two gzip members, cut at any byte, reads as the whole log',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FORMATS), rowsArb, fraction, viaArb, async (format, rows, f, via) => {
          const text = Buffer.from(render(format, rows));
          const cut = Math.floor(f * (text.length + 1));
          const { r, names } = await runGz(Buffer.concat([gzipSync(text.subarray(0, cut)), gzipSync(text.subarray(cut))]), format, via);
          expect(counts(expectAccountedOrClearError(r, { names }))).toEqual({ rowsRead: rows.length, rowsUsed: rows.length, rowsRejected: 0, rowsOutOfRange: 0 });
        }),
        budget(40),
      );
    },
    timeoutFor(40),
  );

  it('a gzip inside a gzip, and a gzip header with nothing after it: exit 2 naming the file', async () => {
    const log = Buffer.from(render('csv', [{ day: 3, minute: 600, stakeholder: 'A', type: 'hcp', minutes: 5 }]));
    for (const bytes of [gzipSync(gzipSync(log)), Buffer.from([0x1f, 0x8b]), Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03])]) {
      const { r, names } = await runGz(bytes, 'csv', { via: 'file' });
      expect(expectAccountedOrClearError(r, { names })).toBeNull();
    }
  });
});
