/**
 * Fuzz (issue #6): the accounting checked against numbers worked out here,
 * not only against each other. Valid rows are interleaved with rows broken in
 * one known way each (a day that does not exist, no stakeholder, a bad
 * weight, a wrong column count, a line that is not a JSON object); with an
 * observation period some valid rows fall outside it. The report must read
 * every row, reject exactly the broken ones for the expected reason, and the
 * rejects file must list exactly their lines. Runs: see fuzz-harness.ts
 * (ENGAGE_AUDIT_FUZZ_RUNS).
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  budget,
  chunksArb,
  CLEANUP_TIMEOUT_MS,
  expectAccountedOrClearError,
  FORMATS,
  instant,
  rowArb,
  runBytes,
  tempDir,
  timeoutFor,
  writeBytes,
  type Format,
  type LogRow,
} from './fuzz-harness.js';

const tmp = tempDir('known');
afterAll(() => tmp.cleanup(), CLEANUP_TIMEOUT_MS);

type Fault = 'bad-day' | 'words' | 'empty-id' | 'zero-weight' | 'text-weight' | 'short' | 'long' | 'not-json' | 'not-object';
type Reason = 'timestamp' | 'stakeholder' | 'weight' | 'column-count' | 'malformed';

const REASON: Record<Fault, Reason> = {
  'bad-day': 'timestamp',
  words: 'timestamp',
  'empty-id': 'stakeholder',
  'zero-weight': 'weight',
  'text-weight': 'weight',
  short: 'column-count',
  long: 'column-count',
  'not-json': 'malformed',
  'not-object': 'malformed',
};

const FAULTS: Record<Format, Fault[]> = {
  csv: ['bad-day', 'words', 'empty-id', 'zero-weight', 'text-weight', 'short', 'long'],
  tsv: ['bad-day', 'words', 'empty-id', 'zero-weight', 'text-weight', 'short', 'long'],
  ndjson: ['bad-day', 'words', 'empty-id', 'zero-weight', 'text-weight', 'not-json', 'not-object'],
  json: ['bad-day', 'words', 'empty-id', 'zero-weight', 'text-weight', 'not-json', 'not-object'],
};

interface Entry {
  row: LogRow;
  /** Index into the format's fault list, or null for a valid row. */
  fault: number | null;
}

const entryArb: fc.Arbitrary<Entry> = fc.record({ row: rowArb, fault: fc.option(fc.nat(6), { freq: 3 }) });

/** The fields of one line as text, with its fault applied. */
function fields(row: LogRow, fault: Fault | null): string[] {
  const ts = fault === 'bad-day' ? '2024-02-30T10:00:00Z' : fault === 'words' ? 'next tuesday' : instant(row);
  const id = fault === 'empty-id' ? '  ' : row.stakeholder;
  const weight = fault === 'zero-weight' ? '0' : fault === 'text-weight' ? 'ten' : String(row.minutes);
  const f = [ts, id, row.type, weight];
  if (fault === 'short') f.pop();
  if (fault === 'long') f.push('extra');
  return f;
}

function line(format: Format, row: LogRow, fault: Fault | null): string {
  if (format === 'csv' || format === 'tsv') {
    const d = format === 'csv' ? ',' : '\t';
    return fields(row, fault)
      .map((s) => (s.includes(d) || s.includes('"') ? `"${s.replaceAll('"', '""')}"` : s))
      .join(d);
  }
  if (fault === 'not-json') return '{"timestamp": "2024-01-10T10:00:00Z", "stakeholder_id": }';
  if (fault === 'not-object') return '["2024-01-10T10:00:00Z", "A"]';
  const [timestamp, stakeholder_id, stakeholder_type, minutes] = fields(row, fault);
  // Weights are JSON numbers when they are numbers, as exports write them.
  return JSON.stringify({ timestamp, stakeholder_id, stakeholder_type, minutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes });
}

/** The document, and the line each entry starts on (the header is line 1; NDJSON has none). */
function documentFor(format: Format, entries: readonly Entry[]): { text: string; lines: number[] } {
  const body = entries.map((e) => line(format, e.row, e.fault === null ? null : FAULTS[format][e.fault % FAULTS[format].length]));
  switch (format) {
    case 'csv':
      return { text: ['timestamp,stakeholder_id,stakeholder_type,minutes', ...body].join('\n') + '\n', lines: body.map((_, i) => i + 2) };
    case 'tsv':
      return { text: ['timestamp\tstakeholder_id\tstakeholder_type\tminutes', ...body].join('\n') + '\n', lines: body.map((_, i) => i + 2) };
    case 'ndjson':
      return { text: body.join('\n') + '\n', lines: body.map((_, i) => i + 1) };
    case 'json':
      return { text: '[\n' + body.join(',\n') + '\n]\n', lines: body.map((_, i) => i + 2) };
  }
}

/** Day numbers of 2024 (0 = January 1st) as YYYY-MM-DD. */
function dayText(day: number): string {
  return new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10);
}

const caseArb = fc
  .record({
    format: fc.constantFrom(...FORMATS),
    entries: fc.array(entryArb, { minLength: 1, maxLength: 50 }),
    period: fc.option(fc.tuple(fc.integer({ min: 0, max: 365 }), fc.integer({ min: 0, max: 365 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const), { freq: 2 }),
    stdin: fc.boolean(),
    chunks: chunksArb,
  })
  // NDJSON and JSON give the columns by the first object: it must be one (a malformed
  // first line leaves the column list to the next one, which is fine, but not all of them).
  .filter((c) => {
    const valid = c.entries.filter((e) => e.fault === null);
    const inRange = valid.filter((e) => c.period === null || (e.row.day >= c.period[0] && e.row.day <= c.period[1]));
    return inRange.length > 0;
  });

describe('rows broken in known ways', () => {
  it(
    'are each read once and rejected for their reason; the rest used or out of range',
    async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { text, lines } = documentFor(c.format, c.entries);
          const faults = c.entries.map((e) => (e.fault === null ? null : FAULTS[c.format][e.fault % FAULTS[c.format].length]));
          const args = ['--format', 'json', '--weight-col', 'minutes'];
          if (c.period) args.push('--from', dayText(c.period[0]), '--to', dayText(c.period[1]));
          const rejects = tmp.path('rejects.csv');
          const file = c.stdin ? '-' : writeBytes(tmp.path(`log.${c.format}`), text);
          const r = await runBytes(['report', file, '--rejects', rejects, ...(c.stdin ? ['--input-format', c.format] : []), ...args], {
            cwd: tmp.dir,
            stdin: c.stdin ? Buffer.from(text) : undefined,
            chunks: c.chunks,
          });
          const input = expectAccountedOrClearError(r, { names: [c.stdin ? '<stdin>' : file], rejectsPath: rejects });
          expect(r.code, r.stderr).toBe(0);

          const broken = faults.flatMap((f, i) => (f === null ? [] : [{ line: lines[i], reason: REASON[f] }]));
          const valid = c.entries.filter((_, i) => faults[i] === null);
          const outside = c.period === null ? 0 : valid.filter((e) => e.row.day < c.period![0] || e.row.day > c.period![1]).length;
          expect(input).toMatchObject({
            rowsRead: c.entries.length,
            rowsRejected: broken.length,
            rowsOutOfRange: outside,
            rowsUsed: valid.length - outside,
          });
          const byReason: Record<string, number> = {};
          for (const b of broken) byReason[b.reason] = (byReason[b.reason] ?? 0) + 1;
          expect(Object.fromEntries(input!.rejectReasons.map((x) => [x.reason, x.count]))).toEqual(byReason);

          const listed = (parseCsv(readFileSync(rejects)) as string[][]).slice(1).map((row) => ({ line: Number(row[1]), reason: row[2] }));
          expect(listed).toEqual(broken);
        }),
        budget(60),
      );
    },
    timeoutFor(60),
  );
});
