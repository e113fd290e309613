/**
 * Fuzz (issue #6): sizes no export should have but some do. 1 MB fields
 * (plain, in an unclosed quote, in JSON strings, across many pipe chunks) and
 * 10,000 columns (a wide header, one ragged row, a wide JSON object), with
 * the counts worked out by hand; then the same two damages at random places
 * in random logs. Runs of the random part: see fuzz-harness.ts
 * (ENGAGE_AUDIT_FUZZ_RUNS).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  budget,
  CLEANUP_TIMEOUT_MS,
  expectAccountedOrClearError,
  FORMATS,
  render,
  rowsArb,
  runBytes,
  tempDir,
  timeoutFor,
  writeBytes,
  type InputCounts,
} from './fuzz-harness.js';

const tmp = tempDir('extremes');
afterAll(() => tmp.cleanup(), CLEANUP_TIMEOUT_MS);

const MB = 1 << 20;
const WIDE = 10_000;

async function reportOn(name: string, bytes: Buffer | string, opts: { gzip?: boolean; stdinChunks?: number[] } = {}) {
  const payload = opts.gzip ? gzipSync(bytes) : Buffer.from(bytes);
  const rejects = tmp.path('rejects.csv');
  if (opts.stdinChunks) {
    const format = name.split('.').pop()!;
    const r = await runBytes(['report', '-', '--input-format', format, '--format', 'json'], { cwd: tmp.dir, stdin: payload, chunks: opts.stdinChunks });
    return { r, input: expectAccountedOrClearError(r, { names: ['<stdin>'] }), rejects: null };
  }
  const file = writeBytes(tmp.path(name + (opts.gzip ? '.gz' : '')), payload);
  const r = await runBytes(['report', file, '--format', 'json', '--rejects', rejects], { cwd: tmp.dir });
  return { r, input: expectAccountedOrClearError(r, { names: [file], rejectsPath: rejects }), rejects };
}

function counts(i: InputCounts | null) {
  return i && { rowsRead: i.rowsRead, rowsUsed: i.rowsUsed, rowsRejected: i.rowsRejected, rowsOutOfRange: i.rowsOutOfRange };
}

const ok = (n: number) => ({ rowsRead: n, rowsUsed: n, rowsRejected: 0, rowsOutOfRange: 0 });

describe('1 MB fields', () => {
  const big = 'x'.repeat(MB);

  it('a 1 MB stakeholder id is one more stakeholder, kept whole', async () => {
    const csv = `timestamp,stakeholder_id\n2024-01-01T10:00:00Z,A\n2024-01-02T10:00:00Z,${big}\n2024-01-03T10:00:00Z,B\n`;
    const { r, input } = await reportOn('big-id.csv', csv);
    expect(counts(input)).toEqual(ok(3));
    const ids = (JSON.parse(r.stdout).stakeholders as { id: string }[]).map((s) => s.id.length).sort((a, b) => a - b);
    expect(ids).toEqual([1, 1, MB]);
  });

  it('a quote opened before 1 MB of text and never closed is one malformed row, listed whole', async () => {
    const csv = `timestamp,stakeholder_id\n2024-01-01T10:00:00Z,A\n2024-01-02T10:00:00Z,B\n2024-01-03T10:00:00Z,"${big}\n`;
    const { input, rejects } = await reportOn('open-quote.csv', csv);
    expect(counts(input)).toEqual({ rowsRead: 3, rowsUsed: 2, rowsRejected: 1, rowsOutOfRange: 0 });
    const [, row] = parseCsv(readFileSync(rejects!)) as string[][];
    // Line 4, and the raw record is the whole last line without its line break:
    // a 20-character timestamp, the comma, the quote and 1 MB.
    expect(row.slice(1, 3)).toEqual(['4', 'malformed']);
    expect(row[5]).toHaveLength(20 + 1 + 1 + MB);
  });

  it('1 MB of quotes inside a quoted field is data, not a crash', async () => {
    // "" is one quote: a field of 2^20 quote characters between the opening and closing quote.
    const csv = `timestamp,stakeholder_id,note\n2024-01-01T10:00:00Z,A,"${'"'.repeat(MB)}"\n2024-01-02T10:00:00Z,B,x\n`;
    const { input } = await reportOn('quotes.csv', csv);
    expect(counts(input)).toEqual(ok(2));
  });

  it('a 1 MB timestamp is a timestamp rejection', async () => {
    const tsv = `timestamp\tstakeholder_id\n${'9'.repeat(MB)}\tA\n2024-01-02T10:00:00Z\tB\n`;
    const { input } = await reportOn('big-ts.tsv', tsv);
    expect(counts(input)).toEqual({ rowsRead: 2, rowsUsed: 1, rowsRejected: 1, rowsOutOfRange: 0 });
    expect(input!.rejectReasons.map((x) => x.reason)).toEqual(['timestamp']);
  });

  it('1 MB strings in NDJSON and in a JSON array, gzip-compressed', async () => {
    const objects = [
      { timestamp: '2024-01-01T10:00:00Z', stakeholder_id: 'A', note: 'é'.repeat(MB / 2) },
      { timestamp: '2024-01-02T10:00:00Z', stakeholder_id: 'B', note: 'short' },
    ];
    const nd = await reportOn('big.ndjson', objects.map((o) => JSON.stringify(o)).join('\n') + '\n', { gzip: true });
    expect(counts(nd.input)).toEqual(ok(2));
    const arr = await reportOn('big.json', JSON.stringify(objects), { gzip: true });
    expect(counts(arr.input)).toEqual(ok(2));
  });

  it('a 1 MB record arriving through a pipe in 4 KB pieces', async () => {
    const csv = `timestamp,stakeholder_id,note\n2024-01-01T10:00:00Z,A,"${'a,b\n'.repeat(MB / 4)}"\n2024-01-02T10:00:00Z,B,x\n`;
    const { input } = await reportOn('piped.csv', csv, { stdinChunks: [4096] });
    expect(counts(input)).toEqual(ok(2));
  });
});

describe('10,000 columns', () => {
  it('a header of 10,000 columns and rows as wide', async () => {
    const header = ['timestamp', 'stakeholder_id', ...Array.from({ length: WIDE - 2 }, (_, i) => `c${i}`)].join(',');
    const rows = Array.from({ length: 5 }, (_, i) => `2024-01-0${i + 1}T10:00:00Z,S${i}` + ',v'.repeat(WIDE - 2));
    const { input } = await reportOn('wide.csv', [header, ...rows].join('\n') + '\n');
    expect(counts(input)).toEqual(ok(5));
  });

  it('one row of 10,000 fields under a two-column header is a column-count rejection on its line', async () => {
    const csv = `timestamp,stakeholder_id\n2024-01-01T10:00:00Z,A\n2024-01-02T10:00:00Z,B${','.repeat(WIDE - 2)}\n2024-01-03T10:00:00Z,C\n`;
    const { input, rejects } = await reportOn('ragged.csv', csv);
    expect(counts(input)).toEqual({ rowsRead: 3, rowsUsed: 2, rowsRejected: 1, rowsOutOfRange: 0 });
    const [, row] = parseCsv(readFileSync(rejects!)) as string[][];
    expect(row.slice(1, 3)).toEqual(['3', 'column-count']);
    expect(row[4]).toContain(String(WIDE));
  });

  it('NDJSON objects of 10,000 keys', async () => {
    const line = (d: number) => {
      const o: Record<string, unknown> = { timestamp: `2024-01-0${d}T10:00:00Z`, stakeholder_id: `S${d}` };
      for (let k = 0; k < WIDE - 2; k++) o[`k${k}`] = k;
      return JSON.stringify(o);
    };
    const { input } = await reportOn('wide.ndjson', [1, 2, 3].map(line).join('\n') + '\n');
    expect(counts(input)).toEqual(ok(3));
  });
});

describe('huge fields and wide rows at random places', () => {
  /** 1 MB of one filler, or 9,999 delimiters, inserted after the first line. */
  const damageArb = fc.oneof(
    fc.record({ kind: fc.constant('field' as const), filler: fc.constantFrom('x', 'é', '"', ' ', '\\', '\r') }),
    fc.record({ kind: fc.constant('columns' as const), delimiter: fc.constantFrom(',', '\t', '","') }),
  );

  it(
    'every outcome is accounted for or one clear error',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...FORMATS), rowsArb, damageArb, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), async (format, rows, damage, at) => {
          const doc = Buffer.from(render(format, rows));
          const nl = doc.indexOf(0x0a) + 1;
          const p = nl + Math.floor(at * (doc.length - nl + 1));
          const insert = damage.kind === 'field' ? damage.filler.repeat(Math.ceil(MB / Buffer.byteLength(damage.filler))) : damage.delimiter.repeat(WIDE - 1);
          await reportOn(`log.${format}`, Buffer.concat([doc.subarray(0, p), Buffer.from(insert), doc.subarray(p)]));
        }),
        budget(3, 0.02),
      );
    },
    timeoutFor(3, 3000, 0.02),
  );
});
