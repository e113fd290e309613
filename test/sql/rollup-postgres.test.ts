import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { buildRollupQuery } from '../../src/sql/build-rollup-query.js';
import { EXECUTION_CASES } from './helpers/cases.js';
import { findPostgresBin, PostgresCluster } from './helpers/postgres-cluster.js';
import { expectSameRollup, readCsvTable, referenceRollup, retypeTimestamps, toCsv, toRollupRows, type TextTable } from './helpers/reference-rollup.js';

/**
 * The generated PostgreSQL query, executed by a real server. Without the
 * binaries it is skipped on a developer's machine, but CI installs them
 * (.ci/run), so there it fails rather than pass by skipping.
 */
const bin = findPostgresBin();
const run = bin !== null || process.env.CI ? describe : describe.skip;

run('the generated PostgreSQL query gives the reference rollup', () => {
  let pg: PostgresCluster;
  let tables = 0;

  beforeAll(() => {
    if (bin === null) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: CI must install postgresql (.ci/run)');
    pg = new PostgresCluster(bin);
    pg.start();
  }, 120_000);
  afterAll(() => pg?.stop());

  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

  function load(table: TextTable, timestampCol: string, type: string): string {
    const name = `t${++tables}`;
    const file = join(pg.dir, `${name}.csv`);
    writeFileSync(file, toCsv(table));
    chmodSync(file, 0o644);
    const columns = table.header.map((h) => `${quote(h)} ${h === timestampCol && type !== 'text' ? (type === 'instant' ? 'TIMESTAMPTZ' : 'TIMESTAMP') : 'TEXT'}`);
    // Empty unquoted cells are NULL in CSV mode; toCsv quotes every other cell.
    pg.psql(`CREATE TABLE ${name} (${columns.join(', ')});\n\\copy ${name} FROM '${file}' WITH (FORMAT csv, HEADER true)\n`);
    return name;
  }

  function query(sql: string): Record<string, unknown>[] {
    const out = pg.psql(`COPY (${sql.trimEnd()}) TO STDOUT WITH (FORMAT csv, HEADER true);\n`);
    return parse(out, { columns: true }) as Record<string, unknown>[];
  }

  for (const c of EXECUTION_CASES) {
    it(c.name, { timeout: 120_000 }, () => {
      const raw = readCsvTable(c.file);
      let loadTable = raw;
      let refTable = raw;
      if (c.type !== 'text') ({ load: loadTable, reference: refTable } = retypeTimestamps(raw, c.columns.timestamp, c.type, c.tz));
      const name = load(loadTable, c.columns.timestamp, c.type);
      const sql = buildRollupQuery({
        dialect: 'postgres',
        source: name,
        stakeholderCol: c.columns.stakeholder,
        timestampCol: c.columns.timestamp,
        weightCol: c.columns.weight,
        by: c.columns.by,
        tz: c.tz,
        timestampType: c.type,
      });
      expectSameRollup(toRollupRows(query(sql), c.columns.by), referenceRollup(refTable, c.columns, c.tz));
    });
  }
});
