import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// Worker threads load compiled modules, so this test drives the build (npm test builds first).
import { ingest, type IngestResult } from '../../dist/ingest/ingest.js';
import { parallelDefaults } from '../../dist/ingest/parallel-read.js';
import type { RejectedRow } from '../../dist/ingest/rejects.js';
import { createTimestampParser } from '../../dist/time/parse-timestamp.js';
import { Zone } from '../../dist/time/zone.js';
import { flattened } from '../helpers/flat-snapshot.js';

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

interface Run {
  result: IngestResult;
  rejects: RejectedRow[];
}

async function read(
  file: string | string[],
  threads: number,
  rangeBytes: number,
  extra: { weightCol?: string; by?: string[]; tz?: string; strict?: boolean; dateFormat?: string } = {},
): Promise<Run> {
  const rejects: RejectedRow[] = [];
  const tz = extra.tz ?? 'UTC';
  const by = extra.by ?? [];
  const result = await ingest({
    files: typeof file === 'string' ? [file] : file,
    columns: { weightCol: extra.weightCol },
    parseTime: createTimestampParser(new Zone(tz), extra.dateFormat),
    by,
    strict: extra.strict === true,
    stdin: process.stdin,
    onReject: (r) => rejects.push(r),
    parallel: { threads, minBytes: 1, rangeBytes, by, tz, dateFormat: extra.dateFormat },
  });
  return { result, rejects };
}

/** The run, or its error as text: both must be the same on one thread and on several. */
async function attemptRead(...args: Parameters<typeof read>): Promise<Run | string> {
  return read(...args).catch((err: unknown) => `${String(err)} ${JSON.stringify(err)}`);
}

async function expectSameOnThreads(file: string | string[], rangeBytes: number, extra: Parameters<typeof read>[3] = {}): Promise<{ one: Run | string; many: Run | string }> {
  const one = await attemptRead(file, 1, rangeBytes, extra);
  const many = await attemptRead(file, 2, rangeBytes, extra);
  if (typeof one === 'string' || typeof many === 'string') expect(many).toEqual(one);
  else expect(essence(many)).toEqual(essence(one));
  return { one, many };
}

/** Everything a report is built from, in comparable form. */
function essence(run: Run): unknown {
  const { result } = run;
  return {
    snapshot: flattened(result.ledger.snapshot()),
    dimensions: result.ledger.dimensions,
    rowsRead: result.rowsRead,
    rowsUsed: result.rowsUsed,
    duplicateRows: result.duplicateRows,
    earliest: result.earliest,
    files: result.files,
    rejectSummary: result.rejects.summary(),
    rejects: run.rejects,
  };
}

function write(content: string | Buffer, extension = 'csv'): string {
  const file = join(dir, `log-${fileNo++}.${extension}`);
  writeFileSync(file, content);
  return file;
}

const ids = ['HCP-1', 'HCP-2', 'PO-3', '"PAT,4"', '"PAT ""5"""', '"multi\nline"', '"crlf\r\nid"', 'Zoë', '00123', '"HCP-1"'];
const stamps = [
  '2024-03-01T09:00:00Z',
  '2024-03-01T17:30:00+02:00',
  '2024-03-02',
  '2024-03-31T01:30:00',
  '2024-10-27T02:30:00',
  '1709283600',
  '2024-02-30',
  '',
  'yesterday',
  '"2024-03-05T08:00:00Z"',
];
const channels = ['call', 'email', '"visit, onsite"', '', '"q""uote"', 'café', '"line\nbreak"'];
const weights = ['1', '2.5', '0.1', '7', '-1', '', 'x', '1e3'];

const rowArb = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.constantFrom(...stamps), fc.constantFrom(...ids), fc.constantFrom(...channels), fc.constantFrom(...weights)).map((f) => f.join(',')) },
  // Wrong field counts, a stray quote, blank lines.
  { weight: 1, arbitrary: fc.constantFrom('2024-03-01,HCP-1', '2024-03-01,HCP-1,call,1,extra', '', 'x"y,HCP-2,call,1') },
);

const logArb = fc.record({
  rows: fc.array(rowArb, { minLength: 1, maxLength: 120 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  trailingBreak: fc.boolean(),
  /** Repeat some rows verbatim, as duplicate exports do. */
  repeats: fc.array(fc.nat(), { maxLength: 10 }),
  /** An unclosed quote on the last row. */
  unclosed: fc.boolean(),
});

function render(log: { rows: string[]; crlf: boolean; bom: boolean; trailingBreak: boolean; repeats: number[]; unclosed: boolean }): string {
  const rows = [...log.rows];
  for (const r of log.repeats) rows.push(rows[r % rows.length]);
  if (log.unclosed) rows.push('2024-03-09,"HCP-9,call,1');
  const nl = log.crlf ? '\r\n' : '\n';
  return `${log.bom ? '\uFEFF' : ''}timestamp,stakeholder_id,channel,minutes${nl}${rows.join(nl)}${log.trailingBreak ? nl : ''}`;
}

describe('reading with worker threads', () => {
  it('gives exactly what one thread gives, on random logs cut into random ranges', async () => {
    let parallelRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        logArb,
        fc.integer({ min: 8, max: 400 }),
        fc.constantFrom(2, 3),
        fc.constantFrom<{ weightCol?: string; by?: string[]; tz?: string }>({}, { weightCol: 'minutes' }, { weightCol: 'minutes', by: ['channel'] }, { by: ['channel'] }, { tz: 'Europe/Paris', by: ['minutes'] }),
        async (log, rangeBytes, threads, extra) => {
          const file = write(render(log));
          // A log whose every row is rejected ends in an error, which must be the same too.
          const attempt = async (n: number): Promise<Run | string> => read(file, n, rangeBytes, extra).catch((err: unknown) => `${String(err)} ${JSON.stringify(err)}`);
          const one = await attempt(1);
          const many = await attempt(threads);
          if (typeof one === 'string' || typeof many === 'string') {
            expect(many).toEqual(one);
            return;
          }
          expect(one.result.workerRanges).toBe(0);
          if (many.result.workerRanges > 0) parallelRuns++;
          expect(essence(many)).toEqual(essence(one));
        },
      ),
      { numRuns: 60 },
    );
    // Most cases must really have gone through the workers (tiny or unusual logs may not).
    expect(parallelRuns).toBeGreaterThan(30);
  }, 120_000);

  it('falls back to one thread when a cut lands inside a quoted line break, with the same rows and lines', async () => {
    const lines = ['timestamp,stakeholder_id,note'];
    for (let i = 0; i < 400; i++) lines.push(`2024-03-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,S${i % 17},"a note${'\n'.repeat(i % 3)}that spans lines"`);
    lines.push('not a date,S1,x');
    const file = write(lines.join('\n') + '\n');
    const one = await read(file, 1, 64);
    const many = await read(file, 2, 64);
    expect(many.result.workerRanges).toBeGreaterThan(0);
    expect(essence(many)).toEqual(essence(one));
    // The bad row's line counts the quoted line breaks before it.
    expect(many.rejects.map((r) => r.line)).toEqual([1 + 400 + [...Array(400).keys()].reduce((n, i) => n + (i % 3), 0) + 1]);
  });

  it('stops at the same first rejected row with --strict', async () => {
    const rows = ['timestamp,stakeholder_id'];
    for (let i = 0; i < 3000; i++) rows.push(i === 2500 ? 'bad,S1' : `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,S${i % 7}`);
    const file = write(rows.join('\n'));
    const errorOf = async (threads: number): Promise<string> => {
      try {
        await read(file, threads, 512, { strict: true });
        return 'no error';
      } catch (err) {
        return String(err) + JSON.stringify(err);
      }
    };
    const one = await errorOf(1);
    expect(one).toContain('"line":2502');
    expect(await errorOf(2)).toBe(one);
  });

  it('notes invalid UTF-8 on the same lines', async () => {
    const parts: Buffer[] = [Buffer.from('timestamp,stakeholder_id\n')];
    for (let i = 0; i < 500; i++) parts.push(i % 97 === 5 ? Buffer.from([...Buffer.from('2024-01-02,M'), 0xfc, ...Buffer.from('ller\n')]) : Buffer.from(`2024-01-02,S${i}\n`));
    const file = write(Buffer.concat(parts));
    const one = await read(file, 1, 100);
    const many = await read(file, 2, 100);
    expect(many.result.workerRanges).toBeGreaterThan(1);
    expect(one.result.files[0].invalidUtf8).toEqual({ firstLine: 7, lines: 6 });
    expect(essence(many)).toEqual(essence(one));
  });

  /** One rollup row of stakeholder `id` on day `d` (1–28 of January 2024), as CSV. */
  const rollupLine = ([id, d, ch, n, w]: readonly [string, number, string, number, number]): string =>
    `${id},2024-01-${String(d).padStart(2, '0')},${ch},${n},${n * w},${n * w * w},${n - 1},${(n - 1) * 3600.5},${(n - 1) * 3600.5 * 3600.5}`;
  const rollupTuple = fc.tuple(fc.constantFrom('A', 'B', '"C,1"', 'D', 'E', 'F'), fc.integer({ min: 1, max: 28 }), fc.constantFrom('call', 'email'), fc.integer({ min: 1, max: 9 }), fc.double({ min: 0.1, max: 50, noNaN: true }));
  const badRollupLines = ['A,2024-13-01,call,1,1,1,0,0,0', 'B,2024-01-02,call,0,1,1,0,0,0', 'C,2024-01-02,call,1'];

  it('gives the same ledger from a rollup read by workers (float sums added in the same order)', async () => {
    let parallelRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 10, arbitrary: rollupTuple }, { weight: 1, arbitrary: fc.constantFrom(...badRollupLines) }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 16, max: 300 }),
        fc.boolean(),
        // Sorted by stakeholder and day, each pair once, as the generated queries write it: the ledger then keeps the workers' batches whole.
        fc.boolean(),
        // Unweighted (volume and volume_sq are the interactions): workers send such batches in four columns.
        fc.boolean(),
        async (rawRows, rangeBytes, channel, sorted, unweighted) => {
          const rows = unweighted ? rawRows.map((r) => (typeof r === 'string' ? r : ([r[0], r[1], r[2], r[3], 1] as const))) : rawRows;
          const tuples = rows.filter((r) => typeof r !== 'string');
          const ordered = sorted
            ? tuples
                .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1]))
                .filter((r, i, all) => i === 0 || r[0] !== all[i - 1][0] || r[1] !== all[i - 1][1])
                .map(rollupLine)
            : rows.map((r) => (typeof r === 'string' ? r : rollupLine(r)));
          // Without a dimension the ledger files a batch in one loop (addRollupRows); with one, row by row.
          const lines = channel ? ordered : ordered.map((r) => r.replace(/,(call|email),/, ','));
          if (lines.length === 0) return;
          const header = `stakeholder,day,${channel ? 'channel,' : ''}interactions,volume,volume_sq,gap_count,gap_sum,gap_sum_sq`;
          const file = write(`${header}\n${lines.join('\n')}\n`);
          const attempt = async (n: number): Promise<Run | string> =>
            read(file, n, rangeBytes, { by: channel ? ['channel'] : [] }).catch((err: unknown) => `${String(err)} ${JSON.stringify(err)}`);
          const one = await attempt(1);
          const many = await attempt(2);
          if (typeof one === 'string' || typeof many === 'string') {
            expect(many).toEqual(one);
            return;
          }
          expect(many.result.rollup).toBe(true);
          if (many.result.workerRanges > 0) parallelRuns++;
          expect(essence(many)).toEqual(essence(one));
        },
      ),
      { numRuns: 60 },
    );
    expect(parallelRuns).toBeGreaterThan(24);
  }, 90_000);

  it('gives one thread\'s ledger from a sorted rollup in two files, a stakeholder\'s run going on from one into the next', async () => {
    const header = 'stakeholder,day,interactions,volume,volume_sq,gap_count,gap_sum,gap_sum_sq';
    const rows: string[] = [];
    for (const id of ['A', 'B', 'C', 'D']) for (let d = 1; d <= 28; d += id === 'B' ? 1 : 3) rows.push(rollupLine([id, d, '', 1 + (d % 4), 1.25 + d / 7]).replace(',,', ','));
    // B's days 1–28 are split: the first file ends on B's day 14, the second goes on with day 15.
    const cut = rows.findIndex((r) => r.startsWith('B,2024-01-15'));
    const first = write(`${header}\n${rows.slice(0, cut).join('\n')}\n`);
    const second = write(`${header}\n${rows.slice(cut).join('\n')}\n`);
    for (const rangeBytes of [64, 200, 1000]) {
      const { one, many } = await expectSameOnThreads([first, second], rangeBytes);
      expect(typeof many === 'string' ? many : many.result.workerRanges).toBeGreaterThan(0);
      const b = (typeof one === 'string' ? null : one.result.ledger.snapshot().stakeholders.find((s) => s.id === 'B'))!;
      expect(b.series.days.length).toBe(28);
    }
  });

  it('sums groups right with two --by dimensions and more groups than a range starts with', async () => {
    const rows = ['timestamp,stakeholder,team,region'];
    for (let i = 0; i < 3000; i++) {
      rows.push(`2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}T10:00:00Z,S${i % 300},${'abc'[i % 3]},${i % 7 < 3 ? 'eu' : 'us'}`);
    }
    const file = write(rows.join('\n'));
    const { many } = await expectSameOnThreads(file, 1_000_000, { by: ['team', 'region'] });
    expect(typeof many !== 'string' && many.result.workerRanges).toBe(1);
  });

  it('gives one thread\'s weighted rows with two --by dimensions and a column unique to each row', async () => {
    const rows = ['timestamp,stakeholder,team,region,minutes,activity'];
    for (let i = 0; i < 3000; i++) {
      rows.push(`2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}T10:00:00Z,S${i % 300},${'abc'[i % 3]},${i % 7 < 3 ? 'eu' : 'us'},${(i % 9) + 0.5},act-${i}`);
    }
    const file = write(rows.join('\n'));
    for (const by of [['team', 'region'], ['region', 'team']]) {
      const { many } = await expectSameOnThreads(file, 20_000, { weightCol: 'minutes', by });
      expect(typeof many !== 'string' && many.result.workerRanges).toBeGreaterThan(1);
    }
  });

  it('keeps both columns when a header names a dimension twice, as one thread does', async () => {
    // A's first "channel" is always call, its second always email: both are A's constant values.
    const rows = Array.from({ length: 60 }, (_, i) => `2024-03-${String(1 + (i % 28)).padStart(2, '0')},${i % 2 === 0 ? 'A' : 'B'},call,${i % 2 === 0 ? 'email' : 'visit'}`);
    const file = write(`timestamp,stakeholder_id,channel,channel\n${rows.join('\n')}\n`);
    const { one, many } = await expectSameOnThreads(file, 200);
    if (typeof one === 'string' || typeof many === 'string') throw new Error(`failed: ${String(one)}`);
    expect(many.result.workerRanges).toBeGreaterThan(0);
    expect(many.result.ledger.snapshot().stakeholders.map((s) => s.dimensions)).toEqual([
      { channel: 'call', 'channel_1': 'email' },
      { channel: 'call', 'channel_1': 'visit' },
    ]);
  });

  it('gives the same dimensions over several files whose headers differ (a column added later)', async () => {
    const a = write('timestamp,stakeholder,team\n2024-01-01,X,sales\n2024-01-02,Y,sales\n');
    const bRows = ['timestamp,stakeholder,region'];
    for (let i = 0; i < 300; i++) bRows.push(`2024-02-${String((i % 28) + 1).padStart(2, '0')},${['X', 'Z', 'W'][i % 3]},EU`);
    const b = write(bRows.join('\n'));
    const c = write('timestamp,stakeholder,region,team\n2024-03-01,X,EU,sales\n2024-03-02,Z,EU,ops\n');
    await expectSameOnThreads([a, b, c], 200);
    await expectSameOnThreads([b, a], 200);
    await expectSameOnThreads([b, c, b], 200, { by: ['region'] });
  });

  it('refuses binary-looking content and sniffs the delimiter from the same 64 KB as one thread', async () => {
    const control = write(`timestamp,stakeholder\n${Array.from({ length: 200 }, (_, i) => `2024-01-01,S${i}${'\x01'.repeat(30)}`).join('\n')}\n`);
    const { one } = await expectSameOnThreads(control, 500);
    expect(one).toContain('control bytes');
    const longHeader = write(`timestamp,stakeholder,${'a'.repeat(4100)};b;c;d\n2024-01-01,S1,x;1;2;3\n`.repeat(1));
    await expectSameOnThreads(longHeader, 16);
  });

  it('throws the --date-format error of a row as one thread does, after the rows before it', async () => {
    const rows = ['timestamp,stakeholder'];
    for (let i = 0; i < 400; i++) rows.push(i === 300 ? '2024-01-01 10,S1' : `bad${i},S${i % 5}`);
    const file = write(rows.join('\n'));
    const { one } = await expectSameOnThreads(file, 300, { dateFormat: 'yyyy-MM-dd j' });
    expect(typeof one === 'string' ? one : 'no error').toContain('--date-format');
  });

  it('gives the same from NDJSON read by workers: keys that appear late, missing keys, bad lines', async () => {
    const value = fc.constantFrom<unknown>('call', 'e"mail', 'Zoë', 3, 2.5, null, true, '', { nested: 1 });
    const objectArb = fc.record(
      {
        timestamp: fc.constantFrom<unknown>('2024-03-01T09:00:00Z', '2024-03-02', 1709283600, 'nope', ''),
        stakeholder_id: fc.constantFrom<unknown>('A', 'B', 'C', 7, ''),
        channel: value,
        minutes: fc.constantFrom<unknown>(1, 2.5, 0, 'x'),
        late: value,
      },
      { requiredKeys: ['timestamp', 'stakeholder_id'] },
    );
    const lineArb = fc.oneof(
      { weight: 12, arbitrary: objectArb.map((o) => JSON.stringify(o)) },
      { weight: 1, arbitrary: fc.constantFrom('', '   ', '{bad json', '[1,2]', '"text"', '{"timestamp":"2024-03-03","stakeholder_id":"Z","channel":"x\\u00e9"}') },
    );
    let parallelRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 1, maxLength: 150 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 16, max: 600 }),
        fc.constantFrom<Parameters<typeof read>[3]>({}, { weightCol: 'minutes' }, { weightCol: 'minutes', by: ['channel'] }, { by: ['channel'] }),
        async (lines, crlf, bom, rangeBytes, extra) => {
          const nl = crlf ? '\r\n' : '\n';
          const file = write(`${bom ? '\uFEFF' : ''}${lines.join(nl)}${nl}`, 'ndjson');
          const { many } = await expectSameOnThreads(file, rangeBytes, extra);
          if (typeof many !== 'string' && many.result.workerRanges > 0) parallelRuns++;
        },
      ),
      { numRuns: 60 },
    );
    expect(parallelRuns).toBeGreaterThan(20);
  }, 120_000);

  it('notes invalid UTF-8 in NDJSON on the same lines, including a line handed back for a new key', async () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 400; i++) {
      const bad = i % 53 === 7;
      const extra = i === 250 ? ',"added":"x"' : '';
      parts.push(Buffer.concat([Buffer.from(`{"timestamp":"2024-01-02","stakeholder_id":"`), bad ? Buffer.from([0x4d, 0xfc]) : Buffer.from(`S${i % 9}`), Buffer.from(`"${extra}}\n`)]));
    }
    // Line 251 brings the new key and is itself invalid UTF-8 only if 250 % 53 === 7; make sure one such line exists.
    parts[250] = Buffer.concat([Buffer.from('{"timestamp":"2024-01-02","stakeholder_id":"'), Buffer.from([0x4d, 0xfc]), Buffer.from('","added":"x"}\n')]);
    const file = write(Buffer.concat(parts), 'ndjson');
    const { one, many } = await expectSameOnThreads(file, 700);
    expect(typeof many !== 'string' && many.result.workerRanges).toBeGreaterThan(1);
    expect(typeof one !== 'string' && one.result.files[0].invalidUtf8).toEqual({ firstLine: 8, lines: 9 });
  });

  it('treats deeply nested NDJSON values alike on the main thread and in workers (their stacks differ)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(`{"timestamp":"2024-01-${String((i % 28) + 1).padStart(2, '0')}","stakeholder_id":"S${i % 3}","channel":"call"}`);
    for (const x of ['1', '2']) lines.push(`{"timestamp":"2024-02-01","stakeholder_id":"S1","channel":${'['.repeat(6000)}${x}${']'.repeat(6000)}}`);
    const file = write(lines.join('\n') + '\n', 'ndjson');
    const { one, many } = await expectSameOnThreads(file, 300, { by: ['channel'] });
    expect(typeof many !== 'string' && many.result.workerRanges).toBeGreaterThan(0);
    expect(typeof one !== 'string' && one.result.duplicateRows).toBe(1);
  });

  it('goes on with fresh workers after NDJSON keys that appear late, range after range', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const extra = i % 90 === 45 ? `,"k${i}":"v"` : '';
      lines.push(`{"timestamp":"2024-01-${String((i % 28) + 1).padStart(2, '0')}","stakeholder_id":"S${i % 7}","channel":"${i % 2 ? 'call' : 'mail'}"${extra}}`);
    }
    const file = write(lines.join('\n') + '\n', 'ndjson');
    // One pool alone would stop at line 46: about 9, 2 and 0 ranges; later pools add the rest.
    for (const [rangeBytes, atLeast] of [[500, 20], [2000, 5], [7000, 1]]) {
      const { many } = await expectSameOnThreads(file, rangeBytes, { by: ['channel'] });
      expect(typeof many !== 'string' && many.result.workerRanges).toBeGreaterThanOrEqual(atLeast);
    }
  });

  it('reads only the head of an NDJSON file on this thread (to learn its keys), then hands the rest to workers', async () => {
    const lines: string[] = [];
    // About 700 kB: past the 256 kB head, short of one 4 MB range. Line 4,001 brings a key the head never showed.
    for (let i = 0; i < 6000; i++) {
      const extra = i === 4000 ? ',"late":"x"' : '';
      lines.push(`{"timestamp":"2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z","stakeholder_id":"S${i % 13}","channel":"${i % 3 ? 'call' : 'mail'}"${extra}}`);
    }
    const file = write(lines.join('\n') + '\n', 'ndjson');
    const { many } = await expectSameOnThreads(file, 4 * 1024 * 1024, { by: ['channel'] });
    // The rest is one range: a worker takes it up to line 4,001, and this thread reads on from there.
    expect(typeof many !== 'string' && many.result.workerRanges).toBe(1);
  });

  it('reads on one thread with --dedupe, a gzip file, or a file below the size threshold', async () => {
    const file = write('timestamp,stakeholder_id\n2024-01-01,A\n2024-01-02,B\n');
    const rejects: RejectedRow[] = [];
    const base = { files: [file], columns: {}, parseTime: createTimestampParser(new Zone('UTC')), by: [], strict: false, stdin: process.stdin, onReject: (r: RejectedRow) => rejects.push(r) };
    const small = await ingest({ ...base, parallel: { threads: 2, minBytes: 1_000_000, rangeBytes: 8, by: [], tz: 'UTC' } });
    expect(small.workerRanges).toBe(0);
    const dedupe = await ingest({ ...base, dedupe: true, parallel: { threads: 2, minBytes: 1, rangeBytes: 8, by: [], tz: 'UTC' } });
    expect(dedupe.workerRanges).toBe(0);
    const parallel = await ingest({ ...base, parallel: { threads: 2, minBytes: 1, rangeBytes: 8, by: [], tz: 'UTC' } });
    expect(parallel.workerRanges).toBeGreaterThan(0);
  });

  it('has NDJSON, whose lines are longer, wait for larger files than CSV before starting workers', async () => {
    const csv = write('timestamp,stakeholder_id\n' + '2024-01-01,A\n2024-01-02,B\n'.repeat(20));
    const ndjson = write('{"timestamp":"2024-01-01","stakeholder_id":"A"}\n'.repeat(40), 'ndjson');
    const base = { columns: {}, parseTime: createTimestampParser(new Zone('UTC')), by: [], strict: false, stdin: process.stdin };
    const settings = { threads: 2, minBytes: 100, ndjsonMinBytes: 100_000, rangeBytes: 64, by: [], tz: 'UTC' };
    expect((await ingest({ ...base, files: [csv], parallel: settings })).workerRanges).toBeGreaterThan(0);
    expect((await ingest({ ...base, files: [ndjson], parallel: settings })).workerRanges).toBe(0);
    expect((await ingest({ ...base, files: [ndjson], parallel: { ...settings, ndjsonMinBytes: 100 } })).workerRanges).toBeGreaterThan(0);
    // Without ndjsonMinBytes, NDJSON follows minBytes.
    expect((await ingest({ ...base, files: [ndjson], parallel: { threads: 2, minBytes: 100, rangeBytes: 64, by: [], tz: 'UTC' } })).workerRanges).toBeGreaterThan(0);
  });

  it('starts one worker from 4 MB of CSV and 12 MB of NDJSON, every core from 32 and 48 MB; the environment moves all four thresholds', () => {
    const MB = 1024 * 1024;
    expect(parallelDefaults({})).toEqual({ minBytes: 4 * MB, ndjsonMinBytes: 12 * MB, manyWorkersBytes: 32 * MB, ndjsonManyWorkersBytes: 48 * MB, rangeBytes: 4 * MB });
    expect(parallelDefaults({ ENGAGE_AUDIT_PARALLEL_MIN_BYTES: '1', ENGAGE_AUDIT_RANGE_BYTES: '3000' })).toEqual({
      minBytes: 1,
      ndjsonMinBytes: 1,
      manyWorkersBytes: 1,
      ndjsonManyWorkersBytes: 1,
      rangeBytes: 3000,
    });
  });

  it('gives NDJSON below ndjsonManyWorkersBytes one worker where a CSV file of that size gets two', async () => {
    const csvRows = Array.from({ length: 400 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,S${i % 9}`);
    const csv = write('timestamp,stakeholder_id\n' + csvRows.join('\n') + '\n');
    const ndjson = write(csvRows.map((r) => `{"timestamp":"${r.split(',')[0]}","stakeholder_id":"${r.split(',')[1]}"}`).join('\n') + '\n', 'ndjson');
    const base = { columns: {}, parseTime: createTimestampParser(new Zone('UTC')), by: [], strict: false, stdin: process.stdin };
    const settings = { threads: 2, minBytes: 1, rangeBytes: 500, manyWorkersBytes: 1_000, ndjsonManyWorkersBytes: 1_000_000, by: [], tz: 'UTC' };
    expect((await ingest({ ...base, files: [csv], parallel: settings })).workersUsed).toBe(2);
    const one = await ingest({ ...base, files: [ndjson], parallel: settings });
    expect(one.workerRanges).toBeGreaterThan(10);
    expect(one.workersUsed).toBe(1);
    // Without ndjsonManyWorkersBytes, NDJSON follows manyWorkersBytes.
    const two = await ingest({ ...base, files: [ndjson], parallel: { ...settings, ndjsonManyWorkersBytes: undefined } });
    expect(two.workersUsed).toBe(2);
    expect(flattened(one.ledger.snapshot())).toEqual(flattened(two.ledger.snapshot()));
  });

  it('gives a file below manyWorkersBytes one worker, and the same result as two', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,S${i % 9},${i % 3 ? 'call' : 'mail'}`);
    const file = write('timestamp,stakeholder_id,channel\n' + rows.join('\n') + '\n');
    const base = { files: [file], columns: {}, parseTime: createTimestampParser(new Zone('UTC')), by: ['channel'], strict: false, stdin: process.stdin };
    const settings = { threads: 2, minBytes: 1, rangeBytes: 500, by: ['channel'], tz: 'UTC' };
    const one = await ingest({ ...base, parallel: { ...settings, manyWorkersBytes: 1_000_000 } });
    const two = await ingest({ ...base, parallel: { ...settings, manyWorkersBytes: 1_000 } });
    expect(one.workerRanges).toBeGreaterThan(10);
    expect(one.workersUsed).toBe(1);
    expect(two.workersUsed).toBe(2);
    expect(flattened(one.ledger.snapshot())).toEqual(flattened(two.ledger.snapshot()));
  });
});
