#!/usr/bin/env node
// Fast, seeded generator of large synthetic engagement logs for benchmarks.
//
//   node scripts/generate-log.mjs --rows 1000000 --stakeholders 5000 --seed 1 \
//        --format csv|ndjson --out FILE [--events-out FILE] [--from 2024-01-01] [--days 731]
//        [--events-per-year 6] [--quiet]
//
// Columns (same as the demo): timestamp (ISO 8601 UTC, `Z`), stakeholder_id,
// stakeholder_type, channel, country, minutes. Rows come out sorted by timestamp and
// spiky around the generated congress events; exactly --rows rows are written.
// Output is streamed in ~1 MB chunks with backpressure, never held in memory.
// `--out -` (or no --out) writes to stdout; a `.gz` suffix gzips (fast level).
// --format defaults from the --out suffix (.ndjson/.jsonl => ndjson), else csv.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGzip, constants as zc } from 'node:zlib';
import { createRng } from './lib/prng.mjs';

const USAGE = `Usage: node scripts/generate-log.mjs [options]
  --rows N              number of rows (default 1000000)
  --stakeholders N      number of stakeholders (default 5000)
  --seed N              seed (default 1)
  --format csv|ndjson   output format (default: from --out suffix, else csv)
  --out FILE            output file, '-' for stdout (default stdout); .gz => gzip
  --events-out FILE     also write the matching events.csv
  --from YYYY-MM-DD     first day (default 2024-01-01)
  --days N              number of days (default 731: 2024-01-01..2025-12-31)
  --events-per-year N   congresses per calendar year (default 6)
  --quiet               no summary on stderr
`;

const { values: opt } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    stakeholders: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    format: { type: 'string' },
    out: { type: 'string', default: '-' },
    'events-out': { type: 'string' },
    from: { type: 'string', default: '2024-01-01' },
    days: { type: 'string', default: '731' },
    'events-per-year': { type: 'string', default: '6' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (opt.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function fail(msg) {
  process.stderr.write(`generate-log: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

function intOpt(name, min) {
  const s = opt[name].replace(/_/g, '');
  if (!/^\d+$/.test(s) || Number(s) < min) fail(`--${name} must be an integer >= ${min}`);
  return Number(s);
}

const ROWS = intOpt('rows', 0);
const N_STAKEHOLDERS = intOpt('stakeholders', 1);
const DAYS = intOpt('days', 1);
const EVENTS_PER_YEAR = intOpt('events-per-year', 0);
const SEED = /^-?\d+$/.test(opt.seed) ? Number(opt.seed) : opt.seed;
const OUT = opt.out;
const FORMAT =
  opt.format ?? (/\.(ndjson|jsonl)(\.gz)?$/i.test(OUT) ? 'ndjson' : 'csv');
if (FORMAT !== 'csv' && FORMAT !== 'ndjson') fail(`--format must be csv or ndjson, got ${FORMAT}`);
if (!/^\d{4}-\d{2}-\d{2}$/.test(opt.from) || Number.isNaN(Date.parse(opt.from))) fail('--from must be YYYY-MM-DD');

const MS_PER_DAY = 86_400_000;
const FIRST_DAY = Date.parse(opt.from + 'T00:00:00Z') / MS_PER_DAY;
const LAST_DAY = FIRST_DAY + DAYS - 1;
const isoDay = (dn) => new Date(dn * MS_PER_DAY).toISOString().slice(0, 10);
const weekday = (dn) => new Date(dn * MS_PER_DAY).getUTCDay();

const rng = createRng(SEED);
const t0 = process.hrtime.bigint();

// ---------------------------------------------------------------------------------------
// Events: N congresses per calendar year, evenly spread with jitter, 3-5 days each
// ---------------------------------------------------------------------------------------

const events = [];
{
  const y0 = new Date(FIRST_DAY * MS_PER_DAY).getUTCFullYear();
  const y1 = new Date(LAST_DAY * MS_PER_DAY).getUTCFullYear();
  const erng = rng.fork('events');
  for (let y = y0; y <= y1 && EVENTS_PER_YEAR > 0; y++) {
    const jan1 = Date.UTC(y, 0, 1) / MS_PER_DAY;
    const spacing = 365 / EVENTS_PER_YEAR;
    for (let i = 0; i < EVENTS_PER_YEAR; i++) {
      const jitter = Math.round(spacing * 0.15);
      const s = jan1 + Math.round(spacing * (i + 0.5)) + erng.int(-jitter, jitter);
      const e = s + erng.int(2, 4);
      if (s < FIRST_DAY || e > LAST_DAY) continue;
      events.push({ name: `Benchmark Oncology Congress ${y} #${i + 1}`, s, e, kind: 'congress' });
    }
  }
}

// ---------------------------------------------------------------------------------------
// Day profiles (expected share of rows per day), pools of stakeholders
// ---------------------------------------------------------------------------------------

const WEEKDAY_FACTOR = [0.03, 1.0, 1.1, 1.1, 1.05, 0.85, 0.06];
const SPIKY_SHARE = 0.65; // share of rows from the campaign-driven pool

const congressDay = new Uint8Array(DAYS);
const spikyW = new Float64Array(DAYS);
const steadyW = new Float64Array(DAYS);
for (const ev of events) for (let d = ev.s; d <= ev.e; d++) congressDay[d - FIRST_DAY] = 1;
for (let i = 0; i < DAYS; i++) {
  const dn = FIRST_DAY + i;
  let k = 0.12; // campaign pool background
  for (const ev of events) {
    if (dn < ev.s - 14 || dn > ev.e + 28) continue;
    if (dn < ev.s) k += 0.1 + 0.5 * (14 - (ev.s - dn)) / 14; // ramp-up over two weeks
    else if (dn <= ev.e) k += 1.6; // peak
    else k += 0.7 * Math.exp(-(dn - ev.e - 1) / 5); // decay
  }
  const wf = WEEKDAY_FACTOR[weekday(dn)];
  spikyW[i] = k * (congressDay[i] ? 1 : wf);
  steadyW[i] = wf;
}

/** Per-day counts by cumulative rounding: deterministic, sums exactly to total. */
function allocate(weights, total) {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  const counts = new Uint32Array(weights.length);
  let cum = 0;
  let prev = 0;
  for (let i = 0; i < weights.length; i++) {
    cum += weights[i];
    const upto = i === weights.length - 1 ? total : Math.round((total * cum) / sum);
    counts[i] = upto - prev;
    prev = upto;
  }
  return counts;
}

// Stakeholders: ~70% hcp (85% of them campaign-driven), ~10% patient_org (90% campaign-driven),
// ~20% patient (steady). Activity weights are log-normal (a few very active stakeholders).
const COUNTRIES = ['DE', 'FR', 'GB', 'ES', 'IT'];
const COUNTRY_W = [30, 20, 18, 16, 16];
const TYPES = ['hcp', 'patient_org', 'patient'];
const TYPE_W = [70, 10, 20];
const PREFIX = { hcp: 'HCP', patient_org: 'PO', patient: 'PAT' };
const idWidth = Math.max(5, String(N_STAKEHOLDERS).length);

const stakeholders = []; // { typeIdx, csvMid, jsonMid }
const pools = { spiky: [], steady: [] };
{
  const srng = rng.fork('stakeholders');
  const seq = { hcp: 0, patient_org: 0, patient: 0 };
  for (let i = 0; i < N_STAKEHOLDERS; i++) {
    const typeIdx = srng.weightedIndex(TYPE_W);
    const type = TYPES[typeIdx];
    const id = `${PREFIX[type]}-${String(++seq[type]).padStart(idWidth, '0')}`;
    const country = COUNTRIES[srng.weightedIndex(COUNTRY_W)];
    const spiky = type === 'hcp' ? srng.bool(0.85) : type === 'patient_org' ? srng.bool(0.9) : false;
    const weight = Math.exp(srng.normal(0, 0.8));
    const idx = stakeholders.length;
    stakeholders.push({
      typeIdx,
      // CSV: timestamp,<id,type,>channel<,country,>minutes
      csvA: `,${id},${type},`,
      csvB: `,${country},`,
      // NDJSON
      jsonA: `","stakeholder_id":"${id}","stakeholder_type":"${type}","channel":"`,
      jsonB: `","country":"${country}","minutes":`,
    });
    (spiky ? pools.spiky : pools.steady).push([idx, weight]);
  }
  // A pool can be empty with few stakeholders; fall back to the other one.
  if (pools.spiky.length === 0) pools.spiky = pools.steady;
  if (pools.steady.length === 0) pools.steady = pools.spiky;
}

/** Vose alias table for O(1) weighted sampling. */
function aliasTable(entries) {
  const n = entries.length;
  const prob = new Float64Array(n);
  const alias = new Uint32Array(n);
  const ids = Uint32Array.from(entries, (e) => e[0]);
  const total = entries.reduce((a, e) => a + e[1], 0);
  const scaled = entries.map((e) => (e[1] * n) / total);
  const small = [];
  const large = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length && large.length) {
    const s = small.pop();
    const l = large.pop();
    prob[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  for (const i of large) prob[i] = 1;
  for (const i of small) prob[i] = 1;
  return { n, prob, alias, ids };
}
const spikyTable = aliasTable(pools.spiky);
const steadyTable = aliasTable(pools.steady);

// ---------------------------------------------------------------------------------------
// Row synthesis (hot loop)
// ---------------------------------------------------------------------------------------

const CH = ['email', 'call', 'meeting', 'webinar', 'congress_booth'];
const cumul = (w) => {
  const t = w.reduce((a, b) => a + b, 0);
  let c = 0;
  return Float64Array.from(w, (x) => (c += x / t));
};
// by type index (hcp, patient_org, patient), weights over CH
const CH_NORMAL = [cumul([50, 30, 15, 5, 0]), cumul([50, 15, 30, 5, 0]), cumul([38, 60, 0, 2, 0])];
const CH_CONGRESS = [cumul([20, 15, 25, 0, 40]), cumul([30, 10, 40, 0, 20]), cumul([38, 60, 0, 2, 0])];
const MEETING_MIN = [20, 30, 30, 45, 45, 60, 60, 90];
const WEBINAR_MIN = [30, 45, 60, 60, 90];

// Working hours ~08:00-18:00 CET = 07:00-17:00 UTC, with a lunch dip.
const HOUR_CUM = cumul([0.6, 1.0, 1.1, 1.0, 0.45, 0.7, 1.0, 1.0, 0.8, 0.5]);
const p2 = (n) => (n < 10 ? '0' : '') + n;
const TIME = new Array(36000);
for (let s = 0; s < 36000; s++) {
  const t = 7 * 3600 + s;
  TIME[s] = `${p2(Math.floor(t / 3600))}:${p2(Math.floor((t % 3600) / 60))}:${p2(t % 60)}Z`;
}

const spikyCounts = allocate(spikyW, Math.round(ROWS * SPIKY_SHARE));
const steadyCounts = allocate(steadyW, ROWS - Math.round(ROWS * SPIKY_SHARE));

// Output
const CHUNK = 1 << 20;
let sink;
let fileStream = null;
if (OUT === '-') {
  sink = process.stdout;
  // `... | head` closes the pipe early: stop quietly.
  sink.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
} else {
  fileStream = createWriteStream(OUT, { highWaterMark: 4 << 20 });
  if (/\.gz$/i.test(OUT)) {
    sink = createGzip({ level: zc.Z_BEST_SPEED });
    sink.pipe(fileStream);
  } else {
    sink = fileStream;
  }
}
let bytesOut = 0;
async function write(str) {
  bytesOut += Buffer.byteLength(str);
  if (!sink.write(str)) await once(sink, 'drain');
}

const csv = FORMAT === 'csv';
let buf = csv ? 'timestamp,stakeholder_id,stakeholder_type,channel,country,minutes\n' : '';
let written = 0;
const r = rng.fork('rows');

for (let i = 0; i < DAYS; i++) {
  const nS = spikyCounts[i];
  const n = nS + steadyCounts[i];
  if (n === 0) continue;
  const datePrefix = (csv ? '' : '{"timestamp":"') + isoDay(FIRST_DAY + i) + 'T';
  const isCongress = congressDay[i] === 1;
  // Times first (sorted), then independent attributes per row.
  const secs = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const u = r.float();
    let h = 0;
    while (u >= HOUR_CUM[h] && h < 9) h++;
    secs[j] = h * 3600 + ((r.nextUint32() >>> 0) % 3600);
  }
  secs.sort();
  // Which rows come from the spiky pool: choose nS of n positions (selection sampling).
  let needS = nS;
  for (let j = 0; j < n; j++) {
    const fromSpiky = r.float() * (n - j) < needS;
    if (fromSpiky) needS--;
    const tab = fromSpiky ? spikyTable : steadyTable;
    const k = Math.floor(r.float() * tab.n);
    const sIdx = tab.ids[r.float() < tab.prob[k] ? k : tab.alias[k]];
    const st = stakeholders[sIdx];
    const cum = (isCongress && fromSpiky ? CH_CONGRESS : CH_NORMAL)[st.typeIdx];
    const u = r.float();
    let c = 0;
    while (u >= cum[c] && c < 4) c++;
    const v = r.nextUint32();
    let minutes;
    switch (c) {
      case 0: minutes = 2 + (v % 4); break;
      case 1: minutes = 5 + (v % 26); break;
      case 2: minutes = MEETING_MIN[v % MEETING_MIN.length]; break;
      case 3: minutes = WEBINAR_MIN[v % WEBINAR_MIN.length]; break;
      default: minutes = 5 + (v % 16);
    }
    buf += csv
      ? datePrefix + TIME[secs[j]] + st.csvA + CH[c] + st.csvB + minutes + '\n'
      : datePrefix + TIME[secs[j]] + st.jsonA + CH[c] + st.jsonB + minutes + '}\n';
    if (buf.length >= CHUNK) {
      await write(buf);
      buf = '';
    }
  }
  written += n;
}
if (buf.length) await write(buf);
if (fileStream) {
  sink.end();
  await finished(fileStream);
}

if (opt['events-out']) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    opt['events-out'],
    'name,start,end,kind\n' + events.map((e) => `${e.name},${isoDay(e.s)},${isoDay(e.e)},${e.kind}\n`).join(''),
  );
}

if (!opt.quiet) {
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stderr.write(
    `generate-log: ${written} rows (${FORMAT}), ${N_STAKEHOLDERS} stakeholders, ` +
      `${isoDay(FIRST_DAY)}..${isoDay(LAST_DAY)}, ${events.length} events, ` +
      `${(bytesOut / 1e6).toFixed(1)} MB uncompressed, ${secs.toFixed(2)} s ` +
      `(${Math.round(written / secs).toLocaleString('en')} rows/s)` +
      (OUT === '-' ? '' : ` -> ${OUT}`) +
      (opt['events-out'] ? `, events -> ${opt['events-out']}` : '') +
      '\n',
  );
}
