/**
 * Fuzz (issue #6): valid logs in every format, then broken the ways exports
 * break: a quote cut or added, stray `\r`, NUL bytes, invalid UTF-8, mixed
 * line endings, truncated lines, duplicated and deleted stretches, flipped
 * bytes. Read from files (with --rejects) and from standard input in odd
 * chunks, plain or gzip-compressed. Runs: see fuzz-harness.ts
 * (ENGAGE_AUDIT_FUZZ_RUNS).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.js';
import {
  budget,
  chunksArb,
  CLEANUP_TIMEOUT_MS,
  expectAccountedOrClearError,
  FORMATS,
  mutate,
  mutateBody,
  mutationArb,
  printOutcomes,
  render,
  rowsArb,
  runBytes,
  tempDir,
  timeoutFor,
  writeBytes,
  type Format,
} from './fuzz-harness.js';

const tmp = tempDir('mutated');
afterAll(() => {
  printOutcomes('mutated logs: outcomes');
  tmp.cleanup();
}, CLEANUP_TIMEOUT_MS);

const E2E_LOGS = ['fixtures/e2e/mixed-rejects.csv', 'fixtures/spec/worked-example.csv', 'fixtures/e2e/all-rejected.csv', 'fixtures/e2e/ambiguous-columns.csv'];

/** A valid document: generated rows in any format, or one of the end-to-end fixtures. */
const docArb: fc.Arbitrary<{ format: Format; bytes: Buffer }> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...FORMATS), rowsArb).map(([format, rows]) => ({ format, bytes: Buffer.from(render(format, rows)) })) },
  { weight: 1, arbitrary: fc.constantFrom(...E2E_LOGS).map((f) => ({ format: 'csv' as Format, bytes: readFileSync(join(ROOT, f)) })) },
);

const routeArb = fc.oneof(
  fc.record({ via: fc.constant('file' as const), named: fc.boolean(), gzip: fc.boolean() }),
  fc.record({ via: fc.constant('stdin' as const), named: fc.boolean(), gzip: fc.boolean(), chunks: chunksArb }),
);

describe('mutated valid logs', () => {
  it(
    'every outcome is accounted for or one clear error',
    async () => {
      await fc.assert(
        fc.asyncProperty(docArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), fc.nat(4), routeArb, async (doc, mutations, wholeDoc, route) => {
          // One case in five may break the header too.
          const broken = wholeDoc === 0 ? mutate(doc.bytes, mutations) : mutateBody(doc.bytes, mutations);
          const payload = route.gzip ? gzipSync(broken) : broken;
          if (route.via === 'file') {
            // A name that says the format, or one that leaves it to the sniffer.
            const file = writeBytes(tmp.path(`${route.named ? `log.${doc.format}` : 'export'}${route.gzip ? '.gz' : ''}`), payload);
            const rejects = tmp.path('rejects.csv');
            const r = await runBytes(['report', file, '--format', 'json', '--rejects', rejects], { cwd: tmp.dir });
            expectAccountedOrClearError(r, { names: [file], rejectsPath: rejects });
          } else {
            const args = ['report', '-', '--format', 'json', ...(route.named ? ['--input-format', doc.format] : [])];
            const r = await runBytes(args, { cwd: tmp.dir, stdin: payload, chunks: route.chunks });
            expectAccountedOrClearError(r, { names: ['<stdin>'] });
          }
        }),
        budget(100),
      );
    },
    timeoutFor(100),
  );

  it(
    'with an observation period that leaves rows out of range, the counts still add up',
    async () => {
      await fc.assert(
        fc.asyncProperty(docArb, fc.array(mutationArb, { maxLength: 3 }), async (doc, mutations) => {
          const file = writeBytes(tmp.path(`log.${doc.format}`), mutateBody(doc.bytes, mutations));
          const rejects = tmp.path('rejects.csv');
          const r = await runBytes(['report', file, '--format', 'json', '--rejects', rejects, '--from', '2024-01-05', '--to', '2024-06-30'], { cwd: tmp.dir });
          expectAccountedOrClearError(r, {
            names: [file],
            rejectsPath: rejects,
            // Every valid row outside the period is a usage error about the period, not the file.
            allowUnnamed: /falls inside the observation period|the observation period is empty/,
          });
        }),
        budget(25),
      );
    },
    timeoutFor(25),
  );
});

describe('a damaged log beside an intact one', () => {
  it(
    'the counts cover both files, or the error names one of them',
    async () => {
      await fc.assert(
        fc.asyncProperty(docArb, docArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (good, bad, mutations, badFirst) => {
          const intact = writeBytes(tmp.path(`good.${good.format}`), good.bytes);
          const damaged = writeBytes(tmp.path(`bad.${bad.format}`), mutateBody(bad.bytes, mutations));
          const files = badFirst ? [damaged, intact] : [intact, damaged];
          const rejects = tmp.path('rejects.csv');
          const r = await runBytes(['report', ...files, '--format', 'json', '--rejects', rejects], { cwd: tmp.dir });
          expectAccountedOrClearError(r, { names: files, rejectsPath: rejects });
        }),
        budget(25),
      );
    },
    timeoutFor(25),
  );
});

describe('edits that must not change what is read', () => {
  it(
    'CRLF line ends and a UTF-8 BOM give the same counts as LF without one',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FORMATS), rowsArb, fc.boolean(), async (format, rows, bom) => {
          const lf = Buffer.from(render(format, rows));
          const crlf = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), mutate(lf, [{ kind: 'line-ends', style: 'crlf', seed: 0 }])]);
          const a = await runBytes(['report', writeBytes(tmp.path(`lf.${format}`), lf), '--format', 'json'], { cwd: tmp.dir });
          const b = await runBytes(['report', writeBytes(tmp.path(`crlf.${format}`), crlf), '--format', 'json'], { cwd: tmp.dir });
          expect(a.code, a.stderr).toBe(0);
          expect(b.code, b.stderr).toBe(0);
          const counts = (s: string) => {
            const { rowsRead, rowsUsed, rowsRejected, rowsOutOfRange } = JSON.parse(s).input;
            return { rowsRead, rowsUsed, rowsRejected, rowsOutOfRange };
          };
          // Every generated row is valid, whatever the line ends.
          expect(counts(a.stdout)).toEqual({ rowsRead: rows.length, rowsUsed: rows.length, rowsRejected: 0, rowsOutOfRange: 0 });
          expect(counts(b.stdout)).toEqual(counts(a.stdout));
        }),
        budget(25),
      );
    },
    timeoutFor(25),
  );
});
