import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRollupQuery } from '../../src/sql/build-rollup-query.js';
import { EXECUTION_CASES } from './helpers/cases.js';
import { expectSameRollup, readCsvTable, referenceRollup, retypeTimestamps, toCsv, toRollupRows, type TextTable } from './helpers/reference-rollup.js';

let dir: string;
let con: DuckDBConnection;
let tables = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ea-duckdb-'));
  con = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  con?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Loads a text table as VARCHAR columns (an empty cell is NULL), optionally casting the timestamp column. */
async function load(table: TextTable, timestampCol: string, cast?: 'TIMESTAMPTZ' | 'TIMESTAMP'): Promise<string> {
  const name = `t${++tables}`;
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, toCsv(table));
  const read = `read_csv(${lit(file)}, header = true, all_varchar = true, quote = '"', escape = '"')`;
  const select = cast ? `* REPLACE (CAST("${timestampCol}" AS ${cast}) AS "${timestampCol}")` : '*';
  await con.run(`CREATE TABLE ${name} AS SELECT ${select} FROM ${read}`);
  return name;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

describe('the generated DuckDB query gives the reference rollup', () => {
  for (const c of EXECUTION_CASES) {
    it(c.name, async () => {
      const raw = readCsvTable(c.file);
      let loadTable = raw;
      let refTable = raw;
      if (c.type !== 'text') ({ load: loadTable, reference: refTable } = retypeTimestamps(raw, c.columns.timestamp, c.type, c.tz));
      const name = await load(loadTable, c.columns.timestamp, c.type === 'instant' ? 'TIMESTAMPTZ' : c.type === 'text' ? undefined : 'TIMESTAMP');
      const sql = buildRollupQuery({
        dialect: 'duckdb',
        source: name,
        stakeholderCol: c.columns.stakeholder,
        timestampCol: c.columns.timestamp,
        weightCol: c.columns.weight,
        by: c.columns.by,
        tz: c.tz,
        timestampType: c.type,
      });
      const expected = referenceRollup(refTable, c.columns, c.tz);
      expect(expected.length).toBeGreaterThan(0);
      expectSameRollup(toRollupRows(await query(sql), c.columns.by), expected);
    });
  }

  it('reads a file through sourceSql, as the embedded engine will', async () => {
    const file = EXECUTION_CASES.find((c) => c.name.startsWith('edge cases, text'))!;
    const sql = buildRollupQuery({
      dialect: 'duckdb',
      sourceSql: `read_csv(${lit(file.file)}, header = true, all_varchar = true)`,
      stakeholderCol: 'stakeholder_id',
      timestampCol: 'timestamp',
      weightCol: 'weight',
      by: ['channel'],
      tz: 'Europe/Paris',
      timestampType: 'text',
    });
    expectSameRollup(toRollupRows(await query(sql), ['channel']), referenceRollup(readCsvTable(file.file), file.columns, 'Europe/Paris'));
  });

  it('names the columns in the agreed order', async () => {
    const c = EXECUTION_CASES[1];
    const name = await load(readCsvTable(c.file), 'timestamp');
    const sql = buildRollupQuery({ dialect: 'duckdb', source: name, stakeholderCol: 'stakeholder_id', timestampCol: 'timestamp', by: ['channel', 'country'], timestampType: 'text' });
    const reader = await con.runAndReadAll(`${sql.trimEnd()} LIMIT 1`);
    expect(reader.columnNames()).toEqual(['stakeholder', 'day', 'channel', 'country', 'interactions', 'volume', 'volume_sq', 'gap_count', 'gap_sum', 'gap_sum_sq']);
  });
});
