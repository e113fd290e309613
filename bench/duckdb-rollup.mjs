#!/usr/bin/env node
// Makes the rollup of a benchmark CSV log as a warehouse would: DuckDB runs the query
// `engage-audit sql --dialect duckdb` prints (typed TIMESTAMPTZ column, 2 threads) and
// writes the result as CSV and as Parquet. Prints the seconds the query and export took.
//
//   node bench/duckdb-rollup.mjs log.csv rollup.sql rollup.csv rollup.parquet

import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [log, sqlFile, csvOut, parquetOut] = process.argv.slice(2);
const quoted = (s) => `'${s.replace(/'/g, "''")}'`;
const query = readFileSync(sqlFile, 'utf8').trim().replace(/;$/, '');
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
const started = process.hrtime.bigint();
await connection.run(`CREATE VIEW log AS SELECT * FROM read_csv(${quoted(log)}, types = {'timestamp': 'TIMESTAMPTZ'})`);
// Materialised once, then written twice: the figure is the warehouse's part, not two scans.
await connection.run(`CREATE TABLE rollup AS ${query}`);
await connection.run(`COPY rollup TO ${quoted(csvOut)} (HEADER)`);
await connection.run(`COPY rollup TO ${quoted(parquetOut)} (FORMAT parquet)`);
const rows = (await connection.runAndReadAll('SELECT count(*) FROM rollup')).getRows()[0][0];
console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - started) / 1e9, rows: Number(rows) }));
connection.closeSync();
