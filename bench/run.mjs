#!/usr/bin/env node
// Benchmark: `engage-audit report --format json` end to end on seeded synthetic logs.
//
//   npm run bench                      # 1,000,000 rows, CSV and NDJSON, 3 runs each
//   npm run bench -- --rows 200000 --runs 5 --formats csv
//
// Data is generated into a temporary folder (never committed) and removed after.
// Reports the median wall time of the runs, rows/s, and the peak RSS measured by
// GNU time (/usr/bin/time -v) when it is installed.

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
  },
});
const rows = Number(opt.rows);
const runs = Math.max(1, Number(opt.runs));
const formats = opt.formats.split(',');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-bench-'));
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
    const times = [];
    const rss = [];
    for (let i = 0; i < runs; i++) {
      const args = [join(root, 'bin/engage-audit.js'), 'report', file, '--events', events, '--format', 'json', '--quiet', '--out', '/dev/null'];
      const started = process.hrtime.bigint();
      const r = gnuTime
        ? spawnSync(gnuTime, ['-v', process.execPath, ...args], { encoding: 'utf8' })
        : spawnSync(process.execPath, args, { encoding: 'utf8' });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (r.status !== 0) throw new Error(`report failed (exit ${r.status}): ${r.stderr}`);
      times.push(seconds);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
      if (m) rss.push(Number(m[1]) / 1024);
    }
    const t = median(times);
    results.push({
      format,
      sizeMB: (size / 1e6).toFixed(0),
      median: t.toFixed(2),
      runs: times.map((x) => x.toFixed(2)).join(' '),
      rowsPerSecond: Math.round(rows / t).toLocaleString('en'),
      peakRssMB: rss.length ? Math.max(...rss).toFixed(0) : 'n/a',
    });
  }
  console.log('\n| input | size MB | median s | runs s | rows/s | peak RSS MB |');
  console.log('|---|---:|---:|---|---:|---:|');
  for (const r of results) console.log(`| ${r.format} | ${r.sizeMB} | ${r.median} | ${r.runs} | ${r.rowsPerSecond} | ${r.peakRssMB} |`);
  if (!gnuTime) console.log('\n(peak RSS needs GNU time: apt-get install time)');
} finally {
  if (opt.keep) console.log(`data kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
