/**
 * Fuzz (issue #6): random bytes at every reader. Each of CSV, TSV, NDJSON and
 * JSON-array, read from a file named for it, from a file whose name says
 * nothing (sniffed), gzip-compressed, and from standard input in odd chunks.
 * Every outcome is exit 0 with every row accounted for, or exit 2 with one
 * clear message naming the input. Runs: see fuzz-harness.ts
 * (ENGAGE_AUDIT_FUZZ_RUNS).
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import {
  budget,
  chunksArb,
  CLEANUP_TIMEOUT_MS,
  expectAccountedOrClearError,
  FORMATS,
  printOutcomes,
  runBytes,
  tempDir,
  timeoutFor,
  writeBytes,
  type Format,
} from './fuzz-harness.js';

const tmp = tempDir('bytes');
afterAll(() => {
  printOutcomes('random bytes: outcomes');
  tmp.cleanup();
}, CLEANUP_TIMEOUT_MS);

/** How the bytes reach the tool. */
type Route = { via: 'file'; name: string; gzip: boolean } | { via: 'stdin'; format: Format | null; gzip: boolean; chunks: number[] };

const routeArb: fc.Arbitrary<Route> = fc.oneof(
  fc.record({
    via: fc.constant('file' as const),
    name: fc.constantFrom(...FORMATS.map((f) => `log.${f}`), 'log.jsonl', 'log.tab', 'export', 'log.txt'),
    gzip: fc.boolean(),
  }),
  fc.record({ via: fc.constant('stdin' as const), format: fc.constantFrom<Format | null>(null, ...FORMATS), gzip: fc.boolean(), chunks: chunksArb }),
);

async function feed(bytes: Buffer, route: Route) {
  const payload = route.gzip ? gzipSync(bytes) : bytes;
  if (route.via === 'file') {
    const file = writeBytes(tmp.path(route.name + (route.gzip ? '.gz' : '')), payload);
    const rejects = tmp.path('rejects.csv');
    const r = await runBytes(['report', file, '--format', 'json', '--rejects', rejects], { cwd: tmp.dir });
    return expectAccountedOrClearError(r, { names: [file], rejectsPath: rejects });
  }
  const args = ['report', '-', '--format', 'json', ...(route.format ? ['--input-format', route.format] : [])];
  const r = await runBytes(args, { cwd: tmp.dir, stdin: payload, chunks: route.chunks });
  return expectAccountedOrClearError(r, { names: ['<stdin>'] });
}

/**
 * Pieces that steer random text into the readers' interesting states: the
 * recognised column names, values that parse, every delimiter, quotes, line
 * breaks, JSON punctuation, and bytes that are not valid UTF-8.
 */
const TOKENS: string[] = [
  'timestamp',
  'stakeholder_id',
  'date',
  'account',
  'minutes',
  '2024-01-10T10:00:00Z',
  '2024-03-01',
  '2024-02-30',
  '1704880800',
  '1704880800000',
  'HCP-1',
  'A',
  '',
  ',',
  '\t',
  ';',
  '|',
  '"',
  '""',
  '\n',
  '\r',
  '\r\n',
  '{',
  '}',
  '[',
  ']',
  ':',
  '"timestamp":',
  '"stakeholder_id":',
  '"2024-01-10T10:00:00Z"',
  'null',
  'true',
  '1e5',
  '\\',
  '\\u0000',
  ' ',
  '\uFEFF',
  '\u0000',
  'é',
];
const RAW_TOKENS: Buffer[] = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80])];

const tokenDocArb = fc
  .array(fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...TOKENS.map((t) => Buffer.from(t))) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_TOKENS) }), {
    maxLength: 120,
  })
  .map((parts) => Buffer.concat(parts));

/** A header every reader maps, then anything: the bytes reach the row parsers rather than the sniffers. */
const HEADS: Buffer[] = ['timestamp,stakeholder_id\n', 'timestamp\tstakeholder_id\n', '{"timestamp":"2024-01-10T10:00:00Z","stakeholder_id":"A"}\n', '[{"timestamp":"2024-01-10T10:00:00Z","stakeholder_id":"A"},'].map((s) =>
  Buffer.from(s),
);

describe('random bytes at every reader', () => {
  it(
    'uniform random bytes',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), routeArb, async (bytes, route) => {
          await feed(Buffer.from(bytes), route);
        }),
        budget(40),
      );
    },
    timeoutFor(40),
  );

  it(
    'random text built from the tokens the readers react to',
    async () => {
      await fc.assert(
        fc.asyncProperty(tokenDocArb, routeArb, async (bytes, route) => {
          await feed(bytes, route);
        }),
        budget(80),
      );
    },
    timeoutFor(80),
  );

  it(
    'a valid header followed by random bytes or tokens',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...HEADS), fc.oneof(tokenDocArb, fc.uint8Array({ maxLength: 512 }).map((u) => Buffer.from(u))), routeArb, async (head, tail, route) => {
          await feed(Buffer.concat([head, tail]), route);
        }),
        budget(80),
      );
    },
    timeoutFor(80),
  );
});
