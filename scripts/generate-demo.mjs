#!/usr/bin/env node
// Generates the demo fixtures: fixtures/demo/interactions.csv and fixtures/demo/events.csv.
//
//   node scripts/generate-demo.mjs [--seed 42] [--out-dir fixtures/demo]
//
// Deterministic for a given seed (only node: built-ins and scripts/lib/prng.mjs).
//
// The story (2024-01-01 .. 2025-12-31, oncology brand "Veltrazumab", five EU countries):
//   * Most doctors (hcp) are contacted in bursts around the congresses and the launch:
//     contacts ramp up 1-2 weeks before, peak during, decay over 1-3 weeks after, then
//     near-silence until the next campaign.
//   * ~15% of doctors are key accounts: steady, roughly weekly contact all year, low spikiness.
//   * Patient organisations (patient_org) are engaged around the launch and the guideline,
//     then go dark for months.
//   * Patients (patient) get low, steady patient-support-programme contact.
//   * Weekday preference, working hours 08:00-18:00 local time, holiday dips, Poisson noise.
//   * Three deliberately bad rows are inserted in the middle of the file for the
//     data-quality section: an impossible date, an empty stakeholder_id, a non-date timestamp.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from './lib/prng.mjs';

const __dirname = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(__dirname, '..');

// ---------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------

const { values: args } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    'out-dir': { type: 'string', default: join(REPO_ROOT, 'fixtures', 'demo') },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (args.help) {
  process.stdout.write(
    'Usage: node scripts/generate-demo.mjs [--seed N] [--out-dir DIR]\n' +
      '  Writes DIR/interactions.csv and DIR/events.csv (default DIR: fixtures/demo, seed 42).\n',
  );
  process.exit(0);
}

const SEED = /^-?\d+$/.test(args.seed) ? Number(args.seed) : args.seed;
const OUT_DIR = resolve(args['out-dir']);

// ---------------------------------------------------------------------------------------
// Calendar helpers (day numbers = days since 1970-01-01, for local calendar dates)
// ---------------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;
const dayNum = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / MS_PER_DAY;
const isoDay = (dn) => new Date(dn * MS_PER_DAY).toISOString().slice(0, 10);
const weekday = (dn) => new Date(dn * MS_PER_DAY).getUTCDay(); // 0 = Sunday
const pad2 = (n) => (n < 10 ? '0' : '') + n;

/** Day number of the last Sunday of a month (month 1-12). */
function lastSunday(year, month) {
  const last = Date.UTC(year, month, 0) / MS_PER_DAY; // day 0 of next month = last day
  return last - weekday(last);
}

/** EU summer time: last Sunday of March 01:00 UTC .. last Sunday of October 01:00 UTC. */
const dstCache = new Map();
function summerInterval(year) {
  let iv = dstCache.get(year);
  if (!iv) {
    iv = [
      lastSunday(year, 3) * MS_PER_DAY + 3_600_000,
      lastSunday(year, 10) * MS_PER_DAY + 3_600_000,
    ];
    dstCache.set(year, iv);
  }
  return iv;
}

/**
 * UTC offset (hours) in force at local wall-clock time (dn, secOfDay) in a zone with the given
 * standard offset and EU DST rules. (Working hours never hit the non-existent or repeated hour.)
 */
function offsetAt(dn, secOfDay, stdOffset) {
  const year = new Date(dn * MS_PER_DAY).getUTCFullYear();
  const [from, to] = summerInterval(year);
  const localMs = dn * MS_PER_DAY + secOfDay * 1000;
  const utcIfSummer = localMs - (stdOffset + 1) * 3_600_000;
  return utcIfSummer >= from && utcIfSummer < to ? stdOffset + 1 : stdOffset;
}

// ---------------------------------------------------------------------------------------
// Scenario
// ---------------------------------------------------------------------------------------

const PERIOD_START = dayNum('2024-01-01');
const PERIOD_END = dayNum('2025-12-31');

const COUNTRIES = {
  // country: [std UTC offset, weight among stakeholders, IANA zone (documentation only)]
  DE: [1, 30, 'Europe/Berlin'],
  FR: [1, 20, 'Europe/Paris'],
  GB: [0, 18, 'Europe/London'],
  ES: [1, 16, 'Europe/Madrid'],
  IT: [1, 16, 'Europe/Rome'],
};

// Declared events. `before`/`after` are used on exactly one event (the guideline), whose
// effect starts late and lasts long.
const EVENTS = [
  { name: 'Oncology Spring Summit 2024', start: '2024-04-18', end: '2024-04-21', kind: 'congress', tier: 'big' },
  { name: 'Mediterranean Oncology Meeting 2024', start: '2024-06-13', end: '2024-06-15', kind: 'congress', tier: 'regional' },
  { name: 'Veltrazumab EU Launch', start: '2024-09-16', end: '2024-09-16', kind: 'launch' },
  { name: 'European Oncology Congress 2024', start: '2024-10-18', end: '2024-10-22', kind: 'congress', tier: 'big' },
  { name: 'European Lung Cancer Treatment Guideline 2025', start: '2025-03-03', end: '2025-03-03', kind: 'guideline', before: 7, after: 28 },
  { name: 'Oncology Spring Summit 2025', start: '2025-04-24', end: '2025-04-27', kind: 'congress', tier: 'big' },
  { name: 'Mediterranean Oncology Meeting 2025', start: '2025-06-12', end: '2025-06-14', kind: 'congress', tier: 'regional' },
  { name: 'European Oncology Congress 2025', start: '2025-10-17', end: '2025-10-21', kind: 'congress', tier: 'big' },
].map((e) => ({ ...e, s: dayNum(e.start), e: dayNum(e.end) }));

const CONGRESS_DAYS = new Set();
for (const ev of EVENTS) if (ev.kind === 'congress') for (let d = ev.s; d <= ev.e; d++) CONGRESS_DAYS.add(d);

// Channel mixes by context (weights).
const MIX = {
  congressDuring: { congress_booth: 45, meeting: 28, email: 17, call: 10 },
  congressPre: { email: 60, call: 25, meeting: 10, webinar: 5 },
  congressPost: { email: 55, call: 18, meeting: 10, webinar: 17 },
  launch: { email: 45, call: 20, meeting: 20, webinar: 15 },
  guideline: { email: 50, webinar: 30, call: 10, meeting: 10 },
  hcpBaseline: { email: 62, call: 28, meeting: 10 },
  keyAccount: { email: 30, call: 35, meeting: 30, webinar: 5 },
  keyAccountCongress: { congress_booth: 40, meeting: 60 },
  poEvent: { email: 45, meeting: 30, call: 15, webinar: 10 },
  poCongress: { congress_booth: 40, meeting: 60 },
  poBaseline: { email: 70, call: 20, meeting: 10 },
  patient: { call: 60, email: 37, webinar: 3 },
};

// Relative activity by weekday (Sun..Sat) outside congress days.
const WEEKDAY_FACTOR = [0.02, 1.0, 1.1, 1.1, 1.05, 0.85, 0.05];

/** Seasonal dips: Christmas/New Year everywhere; August holidays (stronger in FR/IT/ES). */
function holidayFactor(dn, country) {
  const iso = isoDay(dn);
  const md = iso.slice(5);
  if (md >= '12-24' || md <= '01-01') return 0.15;
  if (md >= '08-01' && md <= '08-25') return country === 'DE' || country === 'GB' ? 0.7 : 0.35;
  return 1;
}

// ---------------------------------------------------------------------------------------
// Stakeholders
// ---------------------------------------------------------------------------------------

const rng = createRng(SEED);

const N_HCP = 250;
const N_PO = 35;
const N_PAT = 70;
const KEY_ACCOUNT_SHARE = 0.15;

const countryCodes = Object.keys(COUNTRIES);
const countryWeights = countryCodes.map((c) => COUNTRIES[c][1]);

function makeIds(prefix, width, n, maxId) {
  return rng.sampleDistinctInts(n, 1, maxId).map((k) => `${prefix}-${String(k).padStart(width, '0')}`);
}

const stakeholders = [];
for (const id of makeIds('HCP', 5, N_HCP, 9999)) stakeholders.push({ id, type: 'hcp' });
for (const id of makeIds('PO', 4, N_PO, 400)) stakeholders.push({ id, type: 'patient_org' });
for (const id of makeIds('PAT', 5, N_PAT, 20000)) stakeholders.push({ id, type: 'patient' });
for (const s of stakeholders) s.country = rng.weightedPick(countryCodes, countryWeights);

// Exactly round(15%) of doctors are key accounts.
const hcps = stakeholders.filter((s) => s.type === 'hcp');
const nKey = Math.round(N_HCP * KEY_ACCOUNT_SHARE);
for (const s of rng.shuffle([...hcps]).slice(0, nKey)) s.keyAccount = true;
for (const s of stakeholders) s.segment = s.type === 'hcp' ? (s.keyAccount ? 'key_account' : 'campaign') : s.type;

// ---------------------------------------------------------------------------------------
// Interaction synthesis
// ---------------------------------------------------------------------------------------

const HOUR_WEIGHTS = [0.6, 1.0, 1.1, 1.0, 0.45, 0.7, 1.0, 1.0, 0.8, 0.5]; // 08..17

function timeOfDay(r, channel) {
  if (channel === 'webinar') {
    // Webinars run at lunchtime or late afternoon.
    const [h, m] = r.weightedPick([[[12, 30], 3], [[17, 0], 4], [[16, 0], 2], [[13, 0], 2]]);
    return h * 3600 + m * 60;
  }
  const hour = 8 + r.weightedIndex(HOUR_WEIGHTS);
  if (channel === 'meeting') {
    const h = Math.min(hour, 16);
    return h * 3600 + r.pick([0, 15, 30, 45]) * 60;
  }
  if (channel === 'email') return hour * 3600 + r.int(0, 59) * 60 + r.int(0, 59);
  return hour * 3600 + r.int(0, 59) * 60; // call, congress_booth
}

function minutesFor(r, channel) {
  switch (channel) {
    case 'email':
      return r.int(2, 5);
    case 'call':
      return r.int(5, 30);
    case 'meeting':
      return r.weightedPick([[20, 2], [30, 4], [45, 3], [60, 3], [90, 1]]);
    case 'webinar':
      return r.weightedPick([[30, 2], [45, 3], [60, 4], [90, 1]]);
    case 'congress_booth':
      return r.int(5, 20);
    default:
      throw new Error(`unknown channel ${channel}`);
  }
}

const rows = []; // { ms, ts, id, type, channel, country, minutes }
const seen = new Set();

function emit(r, s, dn, channel) {
  if (dn < PERIOD_START || dn > PERIOD_END) return;
  if (channel === 'congress_booth' && !CONGRESS_DAYS.has(dn)) channel = 'meeting';
  let sec = timeOfDay(r, channel);
  // Never two interactions of one stakeholder at the same instant.
  while (seen.has(`${s.id}|${dn}|${sec}`)) sec += 60;
  if (sec >= 18 * 3600) return; // working hours only
  seen.add(`${s.id}|${dn}|${sec}`);
  const std = COUNTRIES[s.country][0];
  const off = offsetAt(dn, sec, std);
  const hh = Math.floor(sec / 3600);
  const mm = Math.floor((sec % 3600) / 60);
  const ss = sec % 60;
  const ts = `${isoDay(dn)}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}${off >= 0 ? '+' : '-'}${pad2(Math.abs(off))}:00`;
  const ms = dn * MS_PER_DAY + sec * 1000 - off * 3_600_000;
  rows.push({ ms, ts, id: s.id, type: s.type, channel, country: s.country, minutes: minutesFor(r, channel) });
}

/** Day factor for non-congress activity (weekday preference x holidays). */
const dayFactor = (dn, country) => WEEKDAY_FACTOR[weekday(dn)] * holidayFactor(dn, country);

/**
 * A burst of contacts around an event: ramp-up over `pre` days, peak during the event,
 * exponential decay (time constant `tau` days) over up to `tail` days after. `total` is the
 * expected number of contacts before weekday/holiday thinning; daily counts are Poisson.
 */
function burst(r, s, ev, { total, pre, tau, tail = 28, peak = 1, mix }) {
  const days = [];
  for (let k = -pre; k < 0; k++) days.push([ev.s + k, 0.12 + (0.5 * (pre + k + 1)) / pre, 'pre']);
  for (let d = ev.s; d <= ev.e; d++) days.push([d, peak, 'during']);
  for (let k = 1; k <= tail; k++) days.push([ev.e + k, 0.7 * Math.exp(-(k - 1) / tau), 'post']);
  const sum = days.reduce((a, x) => a + x[1], 0);
  for (const [dn, w, phase] of days) {
    const f = CONGRESS_DAYS.has(dn) && phase === 'during' ? 1 : dayFactor(dn, s.country);
    const n = r.poisson((total * w * f) / sum);
    for (let i = 0; i < n; i++) emit(r, s, dn, r.weightedPick(typeof mix === 'function' ? mix(phase) : mix));
  }
}

/** Steady Poisson background contact. */
function background(r, s, ratePerDay, mix, from = PERIOD_START, to = PERIOD_END) {
  for (let dn = from; dn <= to; dn++) {
    const n = r.poisson(ratePerDay * dayFactor(dn, s.country));
    for (let i = 0; i < n; i++) emit(r, s, dn, r.weightedPick(mix));
  }
}

/** Regular cadence (renewal process with jittered gaps), shifted off weekends, skipped in holidays. */
function cadence(r, s, meanGap, mix, from = PERIOD_START, to = PERIOD_END) {
  let dn = from + r.int(0, Math.round(meanGap));
  while (dn <= to) {
    let d = dn;
    const wd = weekday(d);
    if (wd === 6) d += r.bool(0.5) ? -1 : 2;
    else if (wd === 0) d += r.bool(0.5) ? 1 : -2;
    if (d >= from && d <= to && r.bool(holidayFactor(d, s.country))) emit(r, s, d, r.weightedPick(mix));
    dn += Math.max(1, Math.round(r.normal(meanGap, meanGap * 0.22)));
  }
}

const congressMix = (phase) => (phase === 'pre' ? MIX.congressPre : phase === 'during' ? MIX.congressDuring : MIX.congressPost);

for (const s of stakeholders) {
  const r = rng.fork(s.id);
  if (s.segment === 'campaign') {
    // Near-silence outside campaigns, bursts around congresses and the launch.
    // Baseline rate log-uniform in [0.002, 0.05] per day (~1 to ~18 contacts a year) and a
    // per-doctor campaign affinity, so spikiness spreads from moderate to extreme rather than
    // being all-or-nothing.
    background(r, s, Math.exp(r.uniform(Math.log(0.002), Math.log(0.05))), MIX.hcpBaseline);
    const scale = Math.exp(r.normal(0, 0.4));
    const affinity = r.uniform(0.35, 1);
    for (const ev of EVENTS) {
      if (ev.kind === 'congress') {
        const regional = ev.tier === 'regional';
        const p = affinity * (regional ? (['ES', 'IT', 'FR'].includes(s.country) ? 0.7 : 0.1) : 0.95);
        if (!r.bool(p)) continue;
        burst(r, s, ev, {
          total: scale * (regional ? r.uniform(4, 9) : r.uniform(8, 15)),
          pre: r.int(7, 14),
          tau: r.uniform(3, 8),
          mix: congressMix,
        });
      } else if (ev.kind === 'launch') {
        if (!r.bool(affinity)) continue;
        burst(r, s, ev, { total: scale * r.uniform(9, 16), pre: r.int(4, 9), tau: r.uniform(5, 11), peak: 2.5, mix: MIX.launch });
      } else if (ev.kind === 'guideline') {
        if (!r.bool(0.3)) continue;
        burst(r, s, ev, { total: scale * r.uniform(2, 5), pre: r.int(2, 4), tau: r.uniform(6, 12), mix: MIX.guideline });
      }
    }
  } else if (s.segment === 'key_account') {
    // Steady, roughly weekly contact all year; a booth visit or meeting at the big congresses.
    cadence(r, s, r.uniform(5, 10), MIX.keyAccount);
    background(r, s, 0.015, MIX.hcpBaseline);
    for (const ev of EVENTS) {
      if (ev.kind !== 'congress' || ev.tier !== 'big' || !r.bool(0.6)) continue;
      const n = r.int(1, 2);
      for (let i = 0; i < n; i++) emit(r, s, r.int(ev.s, ev.e), r.weightedPick(MIX.keyAccountCongress));
    }
  } else if (s.segment === 'patient_org') {
    // Engaged around the launch and the guideline, otherwise mostly dark.
    background(r, s, r.uniform(0.001, 0.005), MIX.poBaseline);
    for (const ev of EVENTS) {
      if (ev.kind === 'launch' && r.bool(0.85)) {
        burst(r, s, ev, { total: r.uniform(8, 18), pre: r.int(5, 10), tau: r.uniform(6, 12), peak: 2, mix: MIX.poEvent });
      } else if (ev.kind === 'guideline' && r.bool(0.9)) {
        burst(r, s, ev, { total: r.uniform(10, 20), pre: r.int(3, 6), tau: r.uniform(8, 15), tail: 35, mix: MIX.poEvent });
      } else if (ev.kind === 'congress' && ev.tier === 'big' && r.bool(0.2)) {
        emit(r, s, r.int(ev.s, ev.e), r.weightedPick(MIX.poCongress));
      }
    }
  } else {
    // Patient support programme: regular calls/emails; some enrol later, a few drop out.
    const from = r.bool(0.7) ? PERIOD_START : PERIOD_START + r.int(30, 400);
    const to = r.bool(0.15) ? Math.min(PERIOD_END, from + r.int(120, 500)) : PERIOD_END;
    cadence(r, s, r.uniform(12, 24), MIX.patient, from, to);
    background(r, s, 0.004, MIX.patient, from, to);
  }
}

rows.sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.channel < b.channel ? -1 : 1));

// ---------------------------------------------------------------------------------------
// Deliberately bad rows, inserted at realistic places in the middle of the file
// ---------------------------------------------------------------------------------------

const byId = new Map(stakeholders.map((s) => [s.id, s]));
const lines = rows.map((x) => `${x.ts},${x.id},${x.type},${x.channel},${x.country},${x.minutes}`);

function insertAt(predicate, line) {
  const idx = rows.findIndex(predicate);
  if (idx < 0) throw new Error('no insertion point for bad row');
  rows.splice(idx, 0, null); // keep rows/lines aligned
  lines.splice(idx, 0, line);
  return idx;
}

// Pick realistic stakeholders for the bad rows (first German key account, first Italian PO).
const deKey = stakeholders.find((s) => s.segment === 'key_account' && s.country === 'DE') ?? hcps[0];
const itPo = stakeholders.find((s) => s.type === 'patient_org' && s.country === 'IT') ?? stakeholders.find((s) => s.type === 'patient_org');

const BAD = [
  {
    reason: 'impossible date (2024-02-30)',
    line: `2024-02-30T10:00:00+01:00,${deKey.id},hcp,call,DE,15`,
    // after the last row of 2024-02-29 (before the first row of March)
    at: (x) => x && x.ts >= '2024-03-01',
  },
  {
    reason: 'empty stakeholder_id (badge scan failed at the booth)',
    line: '2024-10-21T11:05:00+02:00,,hcp,congress_booth,FR,10',
    at: (x) => x && x.ms > Date.parse('2024-10-21T11:05:00+02:00'),
  },
  {
    reason: 'timestamp is not a date (n/a)',
    line: `n/a,${itPo.id},patient_org,meeting,${itPo.country},60`,
    // among the guideline follow-up rows
    at: (x) => x && x.ms >= Date.parse('2025-03-05T12:00:00Z'),
  },
];
for (const b of BAD) insertAt(b.at, b.line);
// File line numbers (header = line 1), computed after all insertions.
const badPositions = BAD.map((b) => ({ reason: b.reason, line: lines.indexOf(b.line) + 2 }));

// ---------------------------------------------------------------------------------------
// Write
// ---------------------------------------------------------------------------------------

mkdirSync(OUT_DIR, { recursive: true });
const interactionsPath = join(OUT_DIR, 'interactions.csv');
const eventsPath = join(OUT_DIR, 'events.csv');
const csv = 'timestamp,stakeholder_id,stakeholder_type,channel,country,minutes\n' + lines.join('\n') + '\n';
writeFileSync(interactionsPath, csv);
const eventsCsv =
  'name,start,end,kind,before,after\n' +
  EVENTS.map((e) => [e.name, e.start, e.end, e.kind, e.before ?? '', e.after ?? ''].join(',')).join('\n') +
  '\n';
writeFileSync(eventsPath, eventsCsv);

// ---------------------------------------------------------------------------------------
// Summary (stderr)
// ---------------------------------------------------------------------------------------

const good = rows.filter(Boolean);
const count = (arr, key) => arr.reduce((m, x) => ((m[x[key]] = (m[x[key]] ?? 0) + 1), m), {});
const stakeholdersPerType = count(stakeholders, 'type');
const rowsPerType = count(good, 'type');
const rowsPerChannel = count(good, 'channel');
const log = (s = '') => process.stderr.write(s + '\n');
log(`engage-audit demo fixtures (seed ${args.seed})`);
log(`  ${interactionsPath}: ${lines.length} data rows (${good.length} valid + ${BAD.length} bad), ${(Buffer.byteLength(csv) / 1024).toFixed(0)} KiB`);
log(`  first/last valid day: ${good[0].ts.slice(0, 10)} .. ${good[good.length - 1].ts.slice(0, 10)}`);
log(
  `  stakeholders: ${stakeholders.length} — ` +
    Object.entries(stakeholdersPerType).map(([k, v]) => `${k} ${v}`).join(', ') +
    ` (of which ${nKey} key-account hcp)`,
);
log(`  rows per type: ${Object.entries(rowsPerType).map(([k, v]) => `${k} ${v}`).join(', ')}`);
log(`  rows per channel: ${Object.entries(rowsPerChannel).map(([k, v]) => `${k} ${v}`).join(', ')}`);
log(`  ${eventsPath}: ${EVENTS.length} events`);
for (const e of EVENTS) {
  const extra = e.before !== undefined ? ` (before ${e.before}, after ${e.after})` : '';
  log(`    ${e.start}${e.end !== e.start ? '..' + e.end : '          '}  ${e.kind.padEnd(9)} ${e.name}${extra}`);
}
log(`  bad rows (file line numbers, header = line 1):`);
for (const b of badPositions) log(`    line ${b.line}: ${b.reason}`);
