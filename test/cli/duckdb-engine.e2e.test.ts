import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAKEHOLDER_METRIC_KEYS } from '../../src/report/report-types.js';
import { DEMO_EVENTS, DEMO_LOG, jsonReport, ROOT, runCli, WE_EVENTS, WE_FLAGS, WE_LOG, type JsonReport } from './e2e-helpers.js';

/**
 * `--engine duckdb` and Parquet input run the generated DuckDB rollup query
 * in-process; the report must be the JS engine's, field by field (burstiness
 * within 1e-12 here), with the rows DuckDB filtered counted, not listed.
 */
const dir = mkdtempSync(join(tmpdir(), 'engage-audit-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function duck(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
}

const demoParquet = join(dir, 'demo.parquet');
const rollupParquet = join(dir, 'worked-example-rollup.parquet');
beforeAll(async () => {
  // Typed columns, as a warehouse export has them: the timestamp is TIMESTAMPTZ, minutes an integer.
  await duck(
    `COPY (SELECT CAST("timestamp" AS TIMESTAMPTZ) AS "timestamp", stakeholder_id, stakeholder_type, channel, country, CAST(minutes AS INTEGER) AS minutes
      FROM read_csv('${join(ROOT, DEMO_LOG)}', all_varchar = true)
      WHERE TRY_CAST("timestamp" AS TIMESTAMPTZ) IS NOT NULL AND trim(stakeholder_id) <> '' AND TRY_CAST(minutes AS INTEGER) > 0)
     TO '${demoParquet}' (FORMAT parquet)`,
  );
  await duck(`COPY (SELECT * FROM read_csv('${join(ROOT, 'fixtures/spec/worked-example-rollup.csv')}')) TO '${rollupParquet}' (FORMAT parquet)`);
});

/**
 * Like any rollup, the engine carries only the --by dimensions, so stakeholder
 * rows show those constants and no others; everything else must match.
 */
function expectSameReport(engine: JsonReport, js: JsonReport): void {
  const keep = new Set<string>(['id', ...STAKEHOLDER_METRIC_KEYS, ...js.settings.by]);
  const rowOf = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([k]) => keep.has(k)).map(([k, v]) => [k, k === 'burstiness' ? 0 : v]));
  const strip = (r: JsonReport) => ({ ...r, input: undefined, stakeholders: r.stakeholders.map(rowOf) });
  expect(engine.stakeholders.every((s: Record<string, unknown>) => Object.keys(s).every((k) => keep.has(k)))).toBe(true);
  expect(strip(engine)).toEqual(strip(js));
  js.stakeholders.forEach((s: { burstiness: number | null }, i: number) => {
    const b = engine.stakeholders[i].burstiness;
    if (s.burstiness === null) expect(b).toBeNull();
    else expect(b).toBeCloseTo(s.burstiness, 12);
  });
}

describe('--engine duckdb', () => {
  it('gives the JS engine\'s report on the worked example (SPEC §7)', () => {
    const js = jsonReport([WE_LOG, '--events', WE_EVENTS, ...WE_FLAGS]).report;
    const { report, result } = jsonReport([WE_LOG, '--events', WE_EVENTS, ...WE_FLAGS, '--engine', 'duckdb']);
    expectSameReport(report, js);
    expect(report.input).toEqual({ ...js.input, rejectReasons: [] });
    expect(result.stderr).toBe('');
  });

  it('gives the JS engine\'s report on the demo, with segments, weights and its 3 bad rows counted', () => {
    const args = [DEMO_LOG, '--events', DEMO_EVENTS, '--by', 'channel,country', '--weight-col', 'minutes'];
    const js = jsonReport(args).report;
    const { report, result } = jsonReport([...args, '--engine', 'duckdb']);
    expectSameReport(report, js);
    expect(report.input.rowsRead).toBe(js.input.rowsRead);
    expect(report.input.rowsUsed).toBe(js.input.rowsUsed);
    expect(report.input.rowsRejected).toBe(3);
    expect(report.input.rejectReasons).toEqual([{ reason: 'engine', count: 3, examples: [] }]);
    expect(result.stderr).toContain('3 of 17,263 rows rejected by DuckDB (the default engine lists them with --rejects FILE)');
  });

  it('reads Parquet without being asked, typed timestamps included', () => {
    const args = ['--events', DEMO_EVENTS, '--by', 'channel', '--weight-col', 'minutes'];
    const js = jsonReport([DEMO_LOG, ...args]).report;
    const { report } = jsonReport([demoParquet, ...args]);
    expectSameReport(report, js);
    expect(report.input.rowsRead).toBe(js.input.rowsUsed);
    expect(report.input.rowsRejected).toBe(0);
  });

  it('reads a rollup stored as Parquet', () => {
    const js = jsonReport([WE_LOG, '--events', WE_EVENTS, ...WE_FLAGS]).report;
    const { report } = jsonReport([rollupParquet, '--events', WE_EVENTS, ...WE_FLAGS]);
    expectSameReport(report, js);
    expect(report.input.rowsRead).toBe(6);
  });

  it('drops exact duplicates with --dedupe as the JS engine does', () => {
    const log = join(dir, 'dups.csv');
    writeFileSync(log, 'timestamp,stakeholder_id\n2024-01-01T10:00:00Z,A\n2024-01-01T10:00:00Z,A\n2024-01-09T10:00:00Z,A\n2024-01-20T10:00:00Z,A\n');
    const args = [log, '--event', 'E=2024-01-09', '--before', '1', '--after', '1', '--min-interactions', '1'];
    for (const extra of [[], ['--dedupe']]) {
      const js = jsonReport([...args, ...extra]).report;
      const { report } = jsonReport([...args, ...extra, '--engine', 'duckdb']);
      expectSameReport(report, js);
      // Counted alike; only the JS engine can name the dropped row's line.
      const counts = (i: JsonReport) => ({ ...i, rejectReasons: i.rejectReasons.map((r: object) => ({ ...r, examples: [] })) });
      expect(counts(report.input)).toEqual(counts(js.input));
      expect(report.input.duplicateRows).toBe(1);
    }
  });

  it('trims and NFC-normalises ids and dimension values as the JS engine does', () => {
    const log = join(dir, 'ids.csv');
    writeFileSync(
      log,
      'timestamp,stakeholder_id,region\n2024-01-01T09:00:00Z,Zo\u00eb,M\u00fcnchen\n2024-01-05T09:00:00Z, Zoe\u0308 ,Mu\u0308nchen\n2024-01-09T09:00:00Z,00123,x\n2024-01-20T09:00:00Z,1e5,x\n',
    );
    const args = [log, '--event', 'E=2024-01-09', '--before', '1', '--after', '1', '--min-interactions', '1', '--by', 'region'];
    const js = jsonReport(args).report;
    const { report } = jsonReport([...args, '--engine', 'duckdb']);
    expectSameReport(report, js);
    expect(report.stakeholders.map((s: { id: string }) => s.id).sort()).toEqual(['00123', '1e5', 'Zo\u00eb']);
  });

  it('rejects the bad rows of a Parquet rollup one by one, and stops on the first with --strict', async () => {
    const bad = join(dir, 'bad-rollup.parquet');
    await duck(
      `COPY (SELECT * FROM (VALUES
         ('A', '2024-01-01', '1', '1', '1', '0', '0', '0'),
         ('A', '2024-02-30', '1', '1', '1', '1', '5', '25'),
         ('A', '2024-01-09', '0', '1', '1', '0', '0', '0'),
         ('A', '2400-01-01', '1', '1', '1', '1', '5', '25'),
         ('B', '2024-01-05', '1', '1', '1', '0', '0', '0'),
         ('B', '2024-01-20', '1', '1', '1', '1', '1296000', '1679616000000'))
       AS t(stakeholder, day, interactions, volume, volume_sq, gap_count, gap_sum, gap_sum_sq)) TO '${bad}' (FORMAT parquet)`,
    );
    const args = [bad, '--event', 'E=2024-01-10', '--before', '2', '--after', '2', '--min-interactions', '1'];
    const { report } = jsonReport(args);
    expect(report.input.rowsRead).toBe(6);
    expect(report.input.rowsUsed).toBe(3);
    expect(report.input.rowsRejected).toBe(3);
    expect(report.input.rejectReasons.map((r: { reason: string; count: number }) => [r.reason, r.count])).toEqual([
      ['day', 2],
      ['sums', 1],
    ]);
    expect(report.input.rejectReasons[0].examples.map((e: { line: number }) => e.line)).toEqual([2, 4]);
    const strict = runCli(['report', ...args, '--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`${bad}:2: field "day": "2024-02-30" is not a YYYY-MM-DD day`);
  });

  it('keeps rows read = used + rejected + out of range when its SQL and the sink disagree about an id', () => {
    // A no-break space is whitespace to String.trim but not to the SQL's ASCII trim.
    const log = join(dir, 'nbsp.csv');
    writeFileSync(log, 'timestamp,stakeholder_id\n2024-01-01T10:00:00Z,A\n2024-01-05T10:00:00Z,\u00a0\n2024-01-09T10:00:00Z,\u00a0\n2024-01-20T10:00:00Z,A\n');
    const { report } = jsonReport([log, '--event', 'E=2024-01-09', '--before', '1', '--after', '1', '--min-interactions', '1', '--engine', 'duckdb']);
    const i = report.input;
    expect(i.rowsRead).toBe(4);
    expect(i.rowsUsed).toBe(2);
    expect(i.rowsRead).toBe(i.rowsUsed + i.rowsRejected + i.rowsOutOfRange);
  });

  it('turns a ragged row past DuckDB\'s sample into a clear input error', () => {
    const log = join(dir, 'ragged.csv');
    const rows = Array.from({ length: 30_000 }, (_, k) => `2024-01-${String(1 + (k % 28)).padStart(2, '0')}T10:00:00Z,S${k % 50}`);
    writeFileSync(log, `timestamp,stakeholder_id\n${rows.join('\n')}\n2024-01-02T10:00:00Z,S1,extra,fields\n`);
    const r = runCli(['report', log, '--event', 'E=2024-01-10', '--engine', 'duckdb']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^engage-audit: error: .*DuckDB could not read the input/);
    expect(r.stderr).not.toContain('internal error');
  });

  it('refuses JSON, whose values DuckDB would retype', () => {
    const r = runCli(['report', 'fixtures/e2e/bad-rollup.ndjson', '--event', 'E=2024-01-09', '--engine', 'duckdb']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the DuckDB engine (--engine duckdb, or a file named .parquet) reads CSV, TSV and Parquet, not JSON');
  });

  it('reads NDJSON named .parquet as NDJSON when --input-format says so, rather than through DuckDB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'engage-audit-misnamed-'));
    try {
      const misnamed = join(dir, 'log.parquet');
      const lines = ['2024-01-01', '2024-01-10', '2024-01-20'].map((d, i) => JSON.stringify({ timestamp: `${d}T10:00:00Z`, stakeholder_id: i < 2 ? 'A' : 'B' }));
      writeFileSync(misnamed, `${lines.join('\n')}\n`);
      const r = runCli(['report', misnamed, '--event', 'E=2024-01-10', '--before', '1', '--after', '1', '--input-format', 'ndjson', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as JsonReport).input.rowsUsed).toBe(3);
      // Without it, the name picks DuckDB, and the error says the file is no Parquet.
      const named = runCli(['report', misnamed, '--event', 'E=2024-01-10', '--before', '1', '--after', '1']);
      expect(named.code).toBe(2);
      expect(named.stderr).toContain('DuckDB could not read the input as parquet');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });


  it('warns that --from keeps the first gap before it', () => {
    const { result } = jsonReport([DEMO_LOG, '--events', DEMO_EVENTS, '--from', '2025-01-01', '--engine', 'duckdb']);
    expect(result.stderr).toContain('with --engine duckdb, burstiness counts each stakeholder\'s first gap after --from 2025-01-01 back to its last interaction before it');
  });

  it.each([
    [['--rejects', 'r.csv'], '--rejects cannot list rows with --engine duckdb'],
    [['--date-format', 'dd/MM/yyyy'], '--date-format is not available with --engine duckdb'],
  ])('refuses %j', (extra, message) => {
    const r = runCli(['report', WE_LOG, '--events', WE_EVENTS, '--engine', 'duckdb', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('refuses standard input and mixed formats', () => {
    const stdin = runCli(['report', '-', '--events', WE_EVENTS, '--engine', 'duckdb'], { input: 'timestamp,stakeholder_id\n' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toContain('--engine duckdb cannot read standard input');
    const mixed = runCli(['report', WE_LOG, demoParquet, '--events', WE_EVENTS]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('only when they share a format; these are csv, parquet');
  });

  it('names a file DuckDB cannot read, without a stack trace', () => {
    const bad = join(dir, 'not-really.parquet');
    writeFileSync(bad, 'timestamp,stakeholder_id\n2024-01-01,A\n');
    const r = runCli(['report', bad, '--events', WE_EVENTS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DuckDB could not read the input as parquet');
    expect(r.stderr).toContain(bad);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
