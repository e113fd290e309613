#!/usr/bin/env node
// The comparable work in DuckDB, for the benchmark: read the log and reduce it to
// per-stakeholder, per-day aggregates (count, volume) with 2 threads.
//   node bench/duckdb-aggregate.mjs FILE csv|ndjson
import { DuckDBInstance } from '@duckdb/node-api';

const [file, format] = process.argv.slice(2);
const reader = format === 'ndjson' ? `read_json_auto('${file}', format = 'newline_delimited')` : `read_csv_auto('${file}')`;
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const connection = await instance.connect();
const result = await connection.runAndReadAll(
  `SELECT count(*) AS cells, sum(n) AS rows FROM (
     SELECT stakeholder_id, CAST("timestamp" AS DATE) AS day, count(*) AS n, sum(minutes) AS volume
     FROM ${reader} GROUP BY ALL)`,
);
console.log(JSON.stringify(result.getRowObjectsJson()[0]));
