import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestWithDuckDb, type DuckDbIngestOptions } from '../../src/ingest/duckdb-engine.js';
import { readTypedRollup } from '../../src/ingest/duckdb-typed-rollup.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { RollupSink } from '../../src/ingest/rollup-sink.js';
import { singleQuoted } from '../../src/sql/dialect.js';
import { daysFromCivil } from '../../src/time/civil-date.js';

/**
 * The typed read of a rollup through DuckDB (Parquet, --engine duckdb) must
 * give exactly what reading every row as text gives, and give up rather than
 * differ: on a type whose text reads otherwise, or a row that is rejected.
 */
const dir = mkdtempSync(join(tmpdir(), 'engage-audit-typed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

async function duck(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
  }
}

/** A Parquet file from SQL rows (each value an SQL expression), a column retyped by `replace`. */
async function parquet(columns: string[], rows: string[][], replace?: string): Promise<string> {
  const path = join(dir, `r${counter++}.parquet`);
  // UNION ALL alone keeps no order: a row number does.
  const numbered = rows.map((r, k) => `SELECT ${k} AS __k, ${r.map((v, i) => `${v} AS "${columns[i]}"`).join(', ')}`).join(' UNION ALL ');
  const ordered = `SELECT * EXCLUDE (__k) FROM (${numbered}) ORDER BY __k`;
  await duck(`COPY (${replace === undefined ? ordered : `SELECT * REPLACE (${replace}) FROM (${ordered})`}) TO ${singleQuoted(path)} (FORMAT parquet)`);
  return path;
}

const base: Omit<DuckDbIngestOptions, 'files'> = { cwd: dir, columns: {}, by: [], tz: 'UTC', dedupe: false, strict: false };

/** What a read gives: the ledger, the accounting and the rejects, or its error (all rows rejected). */
async function view(opts: DuckDbIngestOptions) {
  try {
    const r = await ingestWithDuckDb(opts);
    return { snapshot: r.ledger.snapshot(), rowsRead: r.rowsRead, rowsUsed: r.rowsUsed, rejects: r.rejects.summary() };
  } catch (err) {
    return { error: (err as Error).message, snapshot: null, rejects: [] };
  }
}

async function both(file: string, by: string[] = []) {
  return { typed: await view({ ...base, by, files: [file] }), rowByRow: await view({ ...base, by, files: [file], rowByRow: true }) };
}

const COLUMNS = ['stakeholder', 'day', 'interactions', 'volume', 'volume_sq', 'gap_count', 'gap_sum', 'gap_sum_sq'];

/** Reads the file with readTypedRollup alone: whether it took the rows. */
async function typedTakes(file: string): Promise<boolean> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const select = `SELECT * FROM read_parquet(${singleQuoted(file)})`;
    const described = (await connection.runAndReadAll(`DESCRIBE ${select}`)).getRows();
    const ledger = new Ledger([]);
    const sink = new RollupSink(ledger, { name: file, format: 'csv', by: [], reject: () => {} });
    sink.accept([{ kind: 'columns', columns: described.map((r) => String(r[0])) }]);
    return await readTypedRollup(connection, select, described.map((r) => ({ name: String(r[0]), type: String(r[1]) })), sink, { materialize: false });
  } finally {
    connection.closeSync();
  }
}

describe('readTypedRollup', () => {
  const d = (x: string): string => `CAST('${x}' AS DOUBLE)`;
  const n = (x: string): string => `CAST(${x} AS BIGINT)`;
  const good = [
    [`'A'`, `DATE '2024-01-01'`, n('3'), d('3.0'), d('3.0'), n('2'), d('0.1'), d('0.30000000000000004')],
    [`' Zoe\u0308 '`, `DATE '2024-01-02'`, n('1'), d('0.25'), d('0.0625'), n('1'), d('1e300'), d('1.7976931348623157e308')],
    [`'A'`, `DATE '1900-01-01'`, n('9007199254740993'), d('5e-324'), d('123456789.123456789'), n('0'), d('0'), d('0')],
  ];

  it('takes a clean rollup and fills the ledger as reading it row by row does', async () => {
    const file = await parquet(COLUMNS, good);
    expect(await typedTakes(file)).toBe(true);
    const { typed, rowByRow } = await both(file);
    expect(typed).toEqual(rowByRow);
    expect(typed.snapshot?.stakeholders.map((s) => s.id)).toEqual(['A', 'Zo\u00eb']);
    expect(typed.snapshot?.period).toEqual({ from: daysFromCivil(1900, 1, 1), to: daysFromCivil(2024, 1, 2) });
  });

  it('keeps four columns for a chunk without weights and six for one with, as reading row by row fills the ledger', async () => {
    // 2,048 rows a chunk: the first chunk's volumes are its counts, the second's are not on its last row.
    const rows = Array.from({ length: 3000 }, (_, k) => {
      const count = 1 + (k % 5);
      const gaps = k % 3 === 0 ? 0 : count - 1;
      const volume = k === 2999 ? `${count}.5` : `${count}.0`;
      return [`'S${k % 7}'`, `DATE '2024-01-01' + ${Math.floor(k / 7)}`, n(String(count)), d(volume), d(volume), n(String(gaps)), d(String(gaps * 3600.25)), d(String(gaps === 0 ? 0 : gaps * 1e7 + k))];
    });
    const file = await parquet(COLUMNS, rows);
    expect(await typedTakes(file)).toBe(true);
    const { typed, rowByRow } = await both(file);
    expect(typed).toEqual(rowByRow);
  });

  it.each([
    ['a missing id', 0, 'NULL'],
    ['an empty id', 0, `'  '`],
    ['a day after 2200', 1, `DATE '2201-01-01'`],
    ['a missing day', 1, 'NULL'],
    ['an infinite sum', 6, d('inf')],
    ['a NaN sum', 4, d('nan')],
    ['a missing sum', 3, 'NULL'],
    ['a fractional count', 2, d('1.5')],
    ['more gaps than interactions', 5, `CAST(9 AS BIGINT)`],
  ])('gives up on %s, and the row-by-row path rejects it', async (_, column, value) => {
    const rows = good.map((r) => [...r]);
    rows[1][column] = value;
    const file = await parquet(COLUMNS, rows);
    expect(await typedTakes(file)).toBe(false);
    const { typed, rowByRow } = await both(file);
    expect(typed).toEqual(rowByRow);
    expect(typed.rejects.reduce((n, r) => n + r.count, 0)).toBe(1);
  });

  it('keeps integer ids past 2^53 exact instead of rounding them into one stakeholder (or rejecting them)', async () => {
    const rows = [
      [`CAST('1234567890123456789' AS BIGINT)`, `DATE '2024-01-01'`, n('1'), d('1'), d('1'), n('0'), d('0'), d('0')],
      [`CAST('1234567890123456788' AS BIGINT)`, `DATE '2024-01-02'`, n('1'), d('1'), d('1'), n('0'), d('0'), d('0')],
      [`CAST('42' AS BIGINT)`, `DATE '2024-01-03'`, n('1'), d('1'), d('1'), n('0'), d('0'), d('0')],
    ];
    const file = await parquet(COLUMNS, rows);
    const { rowByRow } = await both(file);
    expect(rowByRow.rejects).toEqual([]);
    // Parquet's INT64 holds them exactly (a HUGEINT would be written as a DOUBLE, and refused as such).
    expect(rowByRow.snapshot?.stakeholders.map((s) => s.id).sort()).toEqual(['1234567890123456788', '1234567890123456789', '42']);
  });

  it.each([
    ['a text day', `CAST("day" AS VARCHAR) AS "day"`],
    ['a DECIMAL sum', `CAST("volume" AS DECIMAL(18,3)) AS "volume"`],
    ['a FLOAT sum', `CAST("volume_sq" AS FLOAT) AS "volume_sq"`],
    ['an integer id', `CAST(length("stakeholder") AS BIGINT) AS "stakeholder"`],
  ])('leaves %s to the row-by-row path', async (_, replace) => {
    const file = await parquet(COLUMNS, good, replace);
    expect(await typedTakes(file)).toBe(false);
    const { typed, rowByRow } = await both(file);
    expect(typed).toEqual(rowByRow);
  });
});

describe('typed and row-by-row reads of a rollup', () => {
  const sql = (v: string | null): string => (v === null ? 'NULL' : singleQuoted(v));
  const double = (x: number): string => `CAST('${String(x)}' AS DOUBLE)`;
  const rowArb = fc.record({
    id: fc.oneof({ weight: 20, arbitrary: fc.constantFrom('A', 'B', ' A ', 'Zoe\u0308', 'Zo\u00eb') }, { weight: 1, arbitrary: fc.constantFrom('', null) }),
    day: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 0, max: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(-50000, 90000) }),
    interactions: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.constant(0) }),
    volume: fc.double({ min: 0, max: 1e6, noNaN: true }),
    volumeSq: fc.double({ min: 1e-300, max: 1e300, noNaN: true }),
    gaps: fc.nat({ max: 9 }),
    gapSum: fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 1e6 })),
    gapSumSq: fc.double({ min: 0, max: 1e18, noNaN: true }),
    channel: fc.constantFrom('x', 'y', ' y', 'Zoe\u0308', null),
  });

  it('give the same ledger, rows and rejects, with a --by dimension', async () => {
    let typedRuns = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { minLength: 1, maxLength: 40 }), async (rows) => {
        const file = await parquet(
          [...COLUMNS, 'channel'],
          rows.map((r) => {
            const gapCount = Math.min(r.gaps, r.interactions);
            return [
              sql(r.id),
              `DATE '2024-01-01' + ${r.day}`,
              `CAST(${r.interactions} AS BIGINT)`,
              double(r.volume),
              double(r.volumeSq),
              `CAST(${gapCount} AS BIGINT)`,
              double(gapCount === 0 ? 0 : r.gapSum),
              double(gapCount === 0 ? 0 : r.gapSumSq),
              `CAST(${sql(r.channel)} AS VARCHAR)`,
            ];
          }),
        );
        if (await typedTakes(file)) typedRuns++;
        const { typed, rowByRow } = await both(file, ['channel']);
        expect(typed).toEqual(rowByRow);
      }),
      { numRuns: 40, seed: 11 },
    );
    // Most logs have no bad row, so the comparison is mostly of the typed read, not of its fallback.
    expect(typedRuns).toBeGreaterThan(20);
    // 40 DuckDB runs: about 9 s alone, and over the default 30 s once when the machine was also running benchmarks.
  }, 90_000);
});

describe('--engine duckdb on raw rows', () => {
  // Without --by the ledger takes each chunk of rows in one loop (addRollupRows); with it, row by row.
  it.each([[['channel', 'country']], [[]]])('reads the rollup it makes as typed columns, as it reads it row by row (--by %j)', async (by) => {
    const opts: DuckDbIngestOptions = {
      ...base,
      cwd: process.cwd(),
      files: ['fixtures/demo/interactions.csv'],
      columns: { weightCol: 'minutes' },
      by,
      tz: 'Europe/Paris',
    };
    const typed = await view(opts);
    expect(typed.snapshot?.stakeholders.length).toBeGreaterThan(100);
    expect(typed).toEqual(await view({ ...opts, rowByRow: true }));
  });

  it('gives the same sums on every run, however DuckDB would share the rows among threads', async () => {
    // Many rows per stakeholder and day with fractional weights: summed by several threads,
    // their order (and so the last digits) changed from run to run.
    const weights = ['0.1', '0.7', '3.3', '123456789.123'];
    const rows = Array.from({ length: 200_000 }, (_, i) => `2024-01-${i % 7 === 0 ? '05' : '20'}T10:00:${String(i % 60).padStart(2, '0')}Z,H${i % 3},${weights[(i * 7919) % 4]}`);
    const file = join(dir, 'weights.csv');
    writeFileSync(file, `timestamp,stakeholder_id,minutes\n${rows.join('\n')}\n`);
    const opts: DuckDbIngestOptions = { ...base, files: [file], columns: { weightCol: 'minutes' } };
    const first = await view(opts);
    for (let run = 0; run < 3; run++) expect(await view(opts)).toEqual(first);
  }, 60_000);
});
