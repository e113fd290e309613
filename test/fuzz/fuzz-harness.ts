/**
 * Shared pieces of the fuzz suite (issue #6): the run budget, an in-process
 * runner that takes bytes (and chunked bytes) on standard input, valid logs
 * written independently of the tool's readers, and the one property every
 * outcome must satisfy.
 *
 * ENGAGE_AUDIT_FUZZ_RUNS=N  runs every property N times instead of its small
 *                           default, with a fresh seed each time (e.g. 5000 for a long
 *                           run before a release; the default run uses a fixed seed);
 * ENGAGE_AUDIT_FUZZ_SEED=S  replays a run with fast-check seed S (printed on failure);
 * ENGAGE_AUDIT_FUZZ_STATS=1 prints how the outcomes were spread (exit 0, and each kind of
 *                           error), to see whether the generators get past the sniffers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';

const LONG_RUNS = Number(process.env.ENGAGE_AUDIT_FUZZ_RUNS ?? '');
const SEED = Number(process.env.ENGAGE_AUDIT_FUZZ_SEED ?? '');

/** True when a long run was asked for: tests then raise their timeouts. */
export const LONG = Number.isInteger(LONG_RUNS) && LONG_RUNS > 0;

/** The default run is the same every time (a test suite that fails at random is no help). */
const DEFAULT_SEED = 20_251_125;

/**
 * fast-check parameters: the default budget with a fixed seed, or the long run from the
 * environment with a fresh seed each time (fast-check prints it on failure).
 * Slow properties (1 MB inputs, spawned processes) take `longShare` of a long run.
 */
export function budget(defaultRuns: number, longShare = 1): { numRuns: number; seed?: number } {
  const seed = process.env.ENGAGE_AUDIT_FUZZ_SEED && Number.isInteger(SEED) ? SEED : LONG ? undefined : DEFAULT_SEED;
  return {
    numRuns: LONG ? Math.max(defaultRuns, Math.ceil(LONG_RUNS * longShare)) : defaultRuns,
    ...(seed === undefined ? {} : { seed }),
  };
}

/** A test timeout that grows with the long run (twice `perCaseMs` a case). */
export function timeoutFor(defaultRuns: number, perCaseMs = 60, longShare = 1): number {
  return Math.max(30_000, budget(defaultRuns, longShare).numRuns * perCaseMs * 2);
}

/** Deleting a long run's files on a busy machine can take a while. */
export const CLEANUP_TIMEOUT_MS = 120_000;

export function tempDir(tag: string): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `engage-audit-fuzz-${tag}-`));
  let n = 0;
  return {
    dir,
    // Names rotate over a few slots: a long run does not pile up thousands of files, and
    // fast-check prints every failing case anyway.
    path: (name: string) => join(dir, `${n++ % 16}-${name}`),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface RunResult {
  code: number | 'hang';
  stdout: string;
  stderr: string;
}

/** Longer than any honest run on these inputs (1 MB fields included), short enough to call a hang. */
const HANG_MS = 15_000;

/**
 * Runs the CLI in this process. Standard input is bytes, handed over in the
 * given chunk sizes (the scanners keep state across chunks; a pipe delivers
 * arbitrary cuts). A run that does not settle within HANG_MS is a hang.
 */
export async function runBytes(args: string[], opts: { cwd: string; stdin?: Buffer; chunks?: number[] }): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const pieces: Buffer[] = [];
  if (opts.stdin !== undefined) {
    const sizes = opts.chunks && opts.chunks.length > 0 ? opts.chunks : [opts.stdin.length];
    let at = 0;
    for (let i = 0; at < opts.stdin.length; i++) {
      const size = Math.max(1, sizes[i % sizes.length]);
      pieces.push(opts.stdin.subarray(at, at + size));
      at += size;
    }
  }
  const io: CliIo = {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    stdin: Readable.from(pieces, { objectMode: false }),
    env: { NO_COLOR: '1' },
    cwd: opts.cwd,
  };
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), HANG_MS);
  });
  try {
    const code = await Promise.race([run(args, io), hang]);
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** The counts SPEC §5 promises in the JSON report's `input` section. */
export interface InputCounts {
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
  rowsOutOfRange: number;
  rejectReasons: { reason: string; count: number }[];
}

export interface OutcomeContext {
  /** How the input is named in messages: the path given, or `<stdin>`. */
  names: string[];
  /** The --rejects file passed to the run, if any. */
  rejectsPath?: string;
  /** Exit-2 messages that legitimately name no input file (e.g. a period that holds no row). */
  allowUnnamed?: RegExp;
}

const outcomes = new Map<string, number>();

/** The outcome's kind: exit 0 with or without rejects, or the error message without its specifics. */
function tally(r: RunResult, input: InputCounts | null): void {
  if (!process.env.ENGAGE_AUDIT_FUZZ_STATS) return;
  const key =
    input !== null
      ? `exit 0${input.rowsRejected > 0 ? ' with rejects' : ''}`
      : `exit 2: ${(r.stderr.split('\n')[0] ?? '').replace(/^engage-audit: error: /, '').replace(/\S*(\/|<stdin>)\S*/g, 'F').replace(/\d+/g, 'N').replace(/".*"/g, '"…"').replace(/[:(].*$/, '').slice(0, 70)}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

/** Prints and clears the tally (call from afterAll). */
export function printOutcomes(title: string): void {
  if (!process.env.ENGAGE_AUDIT_FUZZ_STATS || outcomes.size === 0) return;
  const lines = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${String(n).padStart(6)}  ${k}`);
  console.log(`${title}\n${lines.join('\n')}`);
  outcomes.clear();
}

/** The outcome, shortened, for a failure message (fast-check prints the input beside it). */
function outcomeText(r: RunResult): string {
  return `exit ${r.code}\n--- stderr ---\n${r.stderr.slice(0, 2000)}\n--- stdout (start) ---\n${r.stdout.slice(0, 500)}`;
}

/**
 * The property of issue #6 for `report --format json`: exit 0 with a report
 * whose rows are all accounted for (and a rejects file that lists exactly the
 * rejected ones), or exit 2 with one clear error that names the input. Never
 * exit 1, never an internal error, never a hang. Returns the counts on exit 0.
 */
export function expectAccountedOrClearError(r: RunResult, ctx: OutcomeContext): InputCounts | null {
  const why = outcomeText(r);
  expect(r.code, why).not.toBe('hang');
  expect([0, 2], why).toContain(r.code);
  expect(r.stderr, why).not.toMatch(/internal error/);
  expect(r.stderr, why).not.toMatch(/\n\s+at .+[(:]\d+/); // a stack frame
  expect(r.stderr, why).not.toMatch(/\[object Object\]/);
  if (r.code === 0) {
    expect(r.stderr, why).not.toMatch(/^engage-audit: error/m);
    const report = JSON.parse(r.stdout) as { input: InputCounts };
    const input = report.input;
    expect(input.rowsRead, why).toBe(input.rowsUsed + input.rowsRejected + input.rowsOutOfRange);
    expect(input.rowsUsed, why).toBeGreaterThan(0);
    expect(input.rejectReasons.reduce((s, x) => s + x.count, 0), why).toBe(input.rowsRejected);
    if (ctx.rejectsPath !== undefined) {
      expect(rejectsFileRows(ctx.rejectsPath), why).toBe(input.rowsRejected);
    }
    tally(r, input);
    return input;
  }
  // Exit 2: one error, with at most a hint under it, nothing on stdout.
  expect(r.stdout, why).toBe('');
  const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('engage-audit:'));
  expect(errorLines, why).toHaveLength(1);
  const message = errorLines[0];
  expect(message, why).toMatch(/^engage-audit: error: \S/);
  expect(r.stderr, why).not.toMatch(/\bundefined\b/);
  if (!(ctx.allowUnnamed?.test(message) ?? false)) {
    expect(
      ctx.names.some((n) => message.includes(n)),
      `the error should name ${ctx.names.join(' or ')}\n${why}`,
    ).toBe(true);
  }
  tally(r, null);
  return null;
}

/** Data records of a rejects CSV, read with csv-parse (not with the tool's own reader). */
export function rejectsFileRows(path: string): number {
  const rows = parseCsv(readFileSync(path), { relax_column_count: false }) as string[][];
  expect(rows[0]).toEqual(['file', 'line', 'reason', 'field', 'message', 'raw']);
  return rows.length - 1;
}

/* ------------------------------------------------------------------ */
/* Valid logs, written here rather than by anything under src/.        */
/* ------------------------------------------------------------------ */

export interface LogRow {
  /** Day of 2024, 0-based; with the minute it makes an ISO instant. */
  day: number;
  minute: number;
  stakeholder: string;
  type: string;
  minutes: number;
}

export const rowArb: fc.Arbitrary<LogRow> = fc.record({
  day: fc.integer({ min: 0, max: 365 }),
  minute: fc.integer({ min: 0, max: 1439 }),
  stakeholder: fc.constantFrom('HCP-001', 'HCP-002', 'PO-7', 'PAT-9', '00123', 'Dr "Q", PhD', 'Zoë'),
  type: fc.constantFrom('hcp', 'patient', 'po, EU', ''),
  minutes: fc.integer({ min: 1, max: 120 }),
});

export const rowsArb = fc.array(rowArb, { minLength: 1, maxLength: 40 });

export function instant(r: Pick<LogRow, 'day' | 'minute'>): string {
  return new Date(Date.UTC(2024, 0, 1 + r.day, 0, r.minute)).toISOString();
}

const HEADER = ['timestamp', 'stakeholder_id', 'stakeholder_type', 'minutes'];

function cells(r: LogRow): string[] {
  return [instant(r), r.stakeholder, r.type, String(r.minutes)];
}

/** RFC 4180, quoting only where needed, LF line ends. */
export function toCsv(rows: readonly LogRow[], delimiter = ','): string {
  const q = (s: string) => (s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  return [HEADER, ...rows.map(cells)].map((line) => line.map(q).join(delimiter)).join('\n') + '\n';
}

/** TSV rows never hold a tab here (none of the generated values has one). */
export function toTsv(rows: readonly LogRow[]): string {
  return toCsv(rows, '\t');
}

function toObject(r: LogRow): Record<string, string | number> {
  return { timestamp: instant(r), stakeholder_id: r.stakeholder, stakeholder_type: r.type, minutes: r.minutes };
}

export function toNdjson(rows: readonly LogRow[]): string {
  return rows.map((r) => JSON.stringify(toObject(r))).join('\n') + '\n';
}

export function toJsonArray(rows: readonly LogRow[]): string {
  return '[\n' + rows.map((r) => '  ' + JSON.stringify(toObject(r))).join(',\n') + '\n]\n';
}

export type Format = 'csv' | 'tsv' | 'ndjson' | 'json';
export const FORMATS: readonly Format[] = ['csv', 'tsv', 'ndjson', 'json'];

export function render(format: Format, rows: readonly LogRow[]): string {
  switch (format) {
    case 'csv':
      return toCsv(rows);
    case 'tsv':
      return toTsv(rows);
    case 'ndjson':
      return toNdjson(rows);
    case 'json':
      return toJsonArray(rows);
  }
}

export function writeBytes(path: string, bytes: Buffer | string): string {
  writeFileSync(path, bytes);
  return path;
}

/* ------------------------------------------------------------------ */
/* Mutations of a valid document.                                     */
/* ------------------------------------------------------------------ */

/**
 * One edit of a document. Positions are fractions of the current length, so a
 * shrunk case keeps pointing at the same part of a shorter document.
 */
export type Mutation =
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'drop-quote'; nth: number }
  | { kind: 'line-ends'; style: 'crlf' | 'cr' | 'mixed'; seed: number }
  | { kind: 'duplicate'; at: number; length: number };

/** Bytes that matter to some reader: structure, line breaks, NUL, invalid and partial UTF-8. */
const NASTY: number[][] = [
  [0x22], // "
  [0x0d], // stray \r
  [0x0a],
  [0x0d, 0x0a],
  [0x00], // NUL
  [0x2c], // ,
  [0x09], // tab
  [0x3b], // ;
  [0x7b], // {
  [0x7d], // }
  [0x5b], // [
  [0x5d], // ]
  [0x3a], // :
  [0x5c], // backslash
  [0xef, 0xbb, 0xbf], // a BOM in the middle
  [0xff, 0xfe], // a UTF-16LE BOM
  [0xff], // never valid in UTF-8
  [0xc3], // a lead byte without its continuation
  [0xe2, 0x82], // a three-byte character cut short
  [0xc0, 0xaf], // overlong '/'
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0x80], // a lone continuation byte
  [0x1b, 0x5b, 0x33, 0x31, 0x6d], // ESC[31m
  [0x31, 0x65, 0x35], // 1e5
];

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    bytes: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NASTY) }, { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fraction, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('drop-quote' as const), nth: fc.nat(50) }),
  fc.record({ kind: fc.constant('line-ends' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fraction, length: fc.integer({ min: 1, max: 200 }) }),
);

export function mutate(doc: Buffer, mutations: readonly Mutation[]): Buffer {
  let b = doc;
  for (const m of mutations) {
    const pos = (at: number) => Math.floor(at * (b.length + 1));
    switch (m.kind) {
      case 'insert': {
        const p = pos(m.at);
        b = Buffer.concat([b.subarray(0, p), Buffer.from(m.bytes), b.subarray(p)]);
        break;
      }
      case 'delete': {
        const p = pos(m.at);
        b = Buffer.concat([b.subarray(0, p), b.subarray(p + m.length)]);
        break;
      }
      case 'flip': {
        if (b.length === 0) break;
        const p = Math.min(b.length - 1, pos(m.at));
        b = Buffer.from(b);
        b[p] ^= m.mask;
        break;
      }
      case 'truncate':
        b = b.subarray(0, pos(m.at));
        break;
      case 'drop-quote': {
        const quotes: number[] = [];
        b.forEach((x, i) => x === 0x22 && quotes.push(i));
        if (quotes.length === 0) break;
        const p = quotes[m.nth % quotes.length];
        b = Buffer.concat([b.subarray(0, p), b.subarray(p + 1)]);
        break;
      }
      case 'line-ends': {
        // Rewrites every LF: all CRLF, all CR, or a mix of LF, CRLF and CR.
        const out: number[] = [];
        let s = m.seed;
        for (const x of b) {
          if (x !== 0x0a) {
            out.push(x);
            continue;
          }
          s = (s * 1103515245 + 12345) >>> 0;
          const style = m.style === 'mixed' ? (['lf', 'crlf', 'cr'] as const)[(s >>> 16) % 3] : m.style;
          if (style === 'crlf') out.push(0x0d, 0x0a);
          else if (style === 'cr') out.push(0x0d);
          else out.push(0x0a);
        }
        b = Buffer.from(out);
        break;
      }
      case 'duplicate': {
        const p = pos(m.at);
        b = Buffer.concat([b.subarray(0, p + m.length), b.subarray(p, p + m.length), b.subarray(p + m.length)]);
        break;
      }
    }
  }
  return b;
}

/**
 * The same edits after the first line only: fast-check favours positions near
 * 0, and a broken header ends most runs at the column mapping, before any row
 * parser has worked.
 */
export function mutateBody(doc: Buffer, mutations: readonly Mutation[]): Buffer {
  const nl = doc.indexOf(0x0a);
  if (nl < 0) return mutate(doc, mutations);
  return Buffer.concat([doc.subarray(0, nl + 1), mutate(doc.subarray(nl + 1), mutations)]);
}

/** Sizes to cut standard input into: one chunk, or many small and odd ones. */
export const chunksArb = fc.oneof(fc.constant<number[]>([]), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 6 }));
