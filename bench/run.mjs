#!/usr/bin/env node
// Benchmark: `engage-audit report --format json` end to end on seeded synthetic logs,
// side by side with DuckDB doing the comparable work (read the log, GROUP BY stakeholder
// and day, 2 threads; bench/duckdb-aggregate.mjs).
//
//   npm run bench                      # 1,000,000 rows, CSV and NDJSON, 3 runs each
//   npm run bench -- --rows 10000000 --runs 3
//   npm run bench -- --rows 200000 --runs 5 --formats csv --no-duckdb
//   npm run bench -- --rows 10000000 --runs 3 --formats csv --rollup
//
// With --rollup (CSV only), DuckDB also makes the CSV log's rollup from the query
// `engage-audit sql --dialect duckdb` prints (bench/duckdb-rollup.mjs), written as CSV and
// Parquet, and the report on each is timed: the warehouse path of README "Scaling out".
//
// Data is generated into a temporary folder (never committed) and removed after.
// Reports the median wall time of the runs, rows/s, the ratio to DuckDB, and the peak
// RSS measured by GNU time (/usr/bin/time -v) when it is installed.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: opt } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    stakeholders: { type: 'string', default: '5000' },
    runs: { type: 'string', default: '3' },
    formats: { type: 'string', default: 'csv,ndjson' },
    keep: { type: 'boolean', default: false },
    'no-duckdb': { type: 'boolean', default: false },
    rollup: { type: 'boolean', default: false },
  },
});
const rows = Number(opt.rows);
const runs = Math.max(1, Number(opt.runs));
const formats = opt.formats.split(',');
if (opt.rollup && !formats.includes('csv')) throw new Error('--rollup rolls up the CSV log: keep csv in --formats');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-bench-'));

/** Runs a node script `runs` times: median wall seconds, the runs, peak RSS in MB. */
function measure(args) {
  const times = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const r = gnuTime ? spawnSync(gnuTime, ['-v', process.execPath, ...args], { encoding: 'utf8' }) : spawnSync(process.execPath, args, { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
    if (r.status !== 0) throw new Error(`${args[0]} failed (exit ${r.status}): ${r.stderr}`);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
    if (m) rss.push(Number(m[1]) / 1024);
  }
  return { median: median(times), runs: times.map((x) => x.toFixed(2)).join(' '), peakRssMB: rss.length ? Math.max(...rss).toFixed(0) : 'n/a' };
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  console.log(`engage-audit benchmark · ${rows.toLocaleString('en')} rows · ${cpus().length} cores · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version}`);
  const results = [];
  for (const format of formats) {
    const file = join(dir, `log.${format}`);
    const events = join(dir, 'events.csv');
    execFileSync(process.execPath, [join(root, 'scripts/generate-log.mjs'), '--rows', String(rows), '--stakeholders', opt.stakeholders, '--seed', '1', '--format', format, '--out', file, '--events-out', events, '--quiet'], { stdio: 'inherit' });
    const size = statSync(file).size;
    const ours = measure([join(root, 'bin/engage-audit.js'), 'report', file, '--events', events, '--format', 'json', '--quiet', '--out', '/dev/null']);
    const duck = opt['no-duckdb'] ? null : measure([join(root, 'bench/duckdb-aggregate.mjs'), file, format]);
    results.push({
      format,
      sizeMB: (size / 1e6).toFixed(0),
      ours,
      duck,
      rowsPerSecond: Math.round(rows / ours.median).toLocaleString('en'),
      ratio: duck ? (ours.median / duck.median).toFixed(2) : 'n/a',
    });
  }
  const rollups = [];
  if (opt.rollup) {
    const log = join(dir, 'log.csv');
    const sql = join(dir, 'rollup.sql');
    execFileSync(process.execPath, [join(root, 'bin/engage-audit.js'), 'sql', '--dialect', 'duckdb', '--table', 'log', '--stakeholder-col', 'stakeholder_id', '--timestamp-col', 'timestamp', '--out', sql]);
    const made = JSON.parse(
      execFileSync(process.execPath, [join(root, 'bench/duckdb-rollup.mjs'), log, sql, join(dir, 'rollup.csv'), join(dir, 'rollup.parquet')], { encoding: 'utf8' }),
    );
    console.log(`DuckDB made the rollup (${made.rows.toLocaleString('en')} rows) in ${made.seconds.toFixed(2)} s`);
    for (const name of ['rollup.csv', 'rollup.parquet']) {
      const file = join(dir, name);
      const ours = measure([join(root, 'bin/engage-audit.js'), 'report', file, '--events', join(dir, 'events.csv'), '--format', 'json', '--quiet', '--out', '/dev/null']);
      rollups.push({ name, rows: made.rows, sizeMB: (statSync(file).size / 1e6).toFixed(0), ours });
    }
  }
  console.log('\n| input | size MB | engage-audit median s (runs) | rows/s | peak RSS MB | DuckDB median s (runs) | DuckDB RSS MB | ratio |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const d = r.duck;
    console.log(
      `| ${r.format} | ${r.sizeMB} | ${r.ours.median.toFixed(2)} (${r.ours.runs}) | ${r.rowsPerSecond} | ${r.ours.peakRssMB} | ${d ? `${d.median.toFixed(2)} (${d.runs})` : 'n/a'} | ${d ? d.peakRssMB : 'n/a'} | ${r.ratio} |`,
    );
  }
  if (rollups.length > 0) {
    console.log('\n| rollup of the CSV log | rows | size MB | engage-audit median s (runs) | peak RSS MB |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of rollups) console.log(`| ${r.name} | ${r.rows.toLocaleString('en')} | ${r.sizeMB} | ${r.ours.median.toFixed(2)} (${r.ours.runs}) | ${r.ours.peakRssMB} |`);
  }
  if (!gnuTime) console.log('\n(peak RSS needs GNU time: apt-get install time)');
} finally {
  if (opt.keep) console.log(`data kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
