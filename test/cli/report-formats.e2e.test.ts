/**
 * End-to-end: `engage-audit report` as a user runs it (the built CLI in a child
 * process), on the SPEC §7 worked example and on the demo log, in every output
 * format and from every input format.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ANSI,
  BIN,
  DEMO_EVENTS,
  DEMO_LOG,
  E2E,
  PACKAGE_VERSION,
  ROOT,
  WE_EVENTS,
  WE_FLAGS,
  WE_LOG,
  jsonReport,
  makeTempDir,
  runCli,
  runCliWithoutColorEnv,
  withoutInputFiles,
  type JsonReport,
} from './e2e-helpers.js';

// Each case spawns the CLI (the demo takes a second or more on a busy machine).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const WE_ARGS = [WE_LOG, '--events', WE_EVENTS, ...WE_FLAGS];
const DEMO_ARGS = [DEMO_LOG, '--events', DEMO_EVENTS];

/** Fields of SPEC §6, in the order the SPEC lists them. */
const TOP_LEVEL_KEYS = [
  'schemaVersion',
  'tool',
  'settings',
  'eventsSource',
  'input',
  'eventsOutsidePeriod',
  'period',
  'overall',
  'segments',
  'stakeholders',
  'events',
  'gaps',
  'profile',
  'profileDaysToBaseline',
  'timeline',
];
const SCOPE_KEYS = [
  'interactions',
  'volume',
  'windowInteractions',
  'baselineInteractions',
  'windowRate',
  'baselineRate',
  'spikiness',
  'rateRatio',
  'ciLow',
  'ciHigh',
  'windowShare',
  'expectedShare',
  'stakeholders',
  'scoredStakeholders',
  'flaggedStakeholders',
  'medianSpikiness',
  'p90Spikiness',
];
const STAKEHOLDER_KEYS = [
  'id',
  'interactions',
  'volume',
  'windowInteractions',
  'baselineInteractions',
  'windowRate',
  'baselineRate',
  'spikiness',
  'rateRatio',
  'ciLow',
  'ciHigh',
  'windowShare',
  'burstiness',
  'longestSilenceDays',
  'darkPeriods',
  'darkBaselineShare',
  'firstDay',
  'lastDay',
  'status',
];
const SETTING_KEYS = [
  'tz',
  'before',
  'after',
  'from',
  'to',
  'minInteractions',
  'silenceDays',
  'profileDays',
  'settleDays',
  'tolerance',
  'confidence',
  'flagAbove',
  'by',
  'timestampCol',
  'stakeholderCol',
  'weightCol',
  'dateFormat',
  'events',
  'burstScale',
  'burstCost',
];
const TABLE_SECTIONS = ['Most spiky stakeholders', 'Events', 'Gaps between events', 'Peri-event profile', 'Timeline', 'Data quality'];

/** The demo's three deliberately bad rows (1-based file lines, header = line 1). */
const DEMO_BAD_LINES = [648, 7912, 10277];

/** Kim–Jo burstiness written out from SPEC §3, to check the report against. */
function kimJoBurstiness(gapsSeconds: number[]): number {
  const k = gapsSeconds.length;
  const mean = gapsSeconds.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(gapsSeconds.reduce((a, g) => a + (g - mean) ** 2, 0) / k);
  const r = sd / mean;
  return (Math.sqrt(k + 1) * r - Math.sqrt(k - 1)) / ((Math.sqrt(k + 1) - 2) * r + Math.sqrt(k - 1));
}

/** Truncates toward zero at `digits` decimals: SPEC writes "0.6767…" for a value starting with those digits. */
function truncated(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.trunc(x * f) / f;
}

let tmp: { dir: string; cleanup: () => void };
let weReport: JsonReport;
let demoTable: { code: number; stdout: string; stderr: string };
let demoReport: JsonReport;

beforeAll(() => {
  tmp = makeTempDir('formats');
  weReport = jsonReport(WE_ARGS).report;
  demoTable = runCli(['report', ...DEMO_ARGS]);
  demoReport = jsonReport(DEMO_ARGS).report;
});
afterAll(() => tmp.cleanup());

describe('report --format table (default)', () => {
  it('prints the headline, every section and the data-quality counts for the demo', () => {
    expect(demoTable.code, demoTable.stderr).toBe(0);
    const out = demoTable.stdout;
    const flat = out.replace(/\s+/g, ' ');
    expect(out.split('\n')[0]).toMatch(/^engage-audit · 2024-01-01 → 2025-12-31 \(731 days\) · 8 events · tz UTC$/);
    expect(flat).toMatch(/\d+% of engagement falls in the \d+% of days around events: [\d.]+× the baseline rate \(95% CI [\d.]+–[\d.]+\)/);
    let last = -1;
    for (const section of TABLE_SECTIONS) {
      const at = out.search(new RegExp(`^${section}`, 'm'));
      expect(at, `section "${section}"`).toBeGreaterThan(last);
      last = at;
    }
    expect(flat).toContain('17,263 rows read from 1 file: 17,260 used, 3 rejected, 0 outside the period.');
    for (const line of DEMO_BAD_LINES) expect(out).toContain(`${DEMO_LOG}:${line}`);
    // The rejected rows are data quality, not an error: a single warning on stderr.
    expect(demoTable.stderr).toBe('engage-audit: warning: 3 of 17,263 rows rejected (pass --rejects FILE to list them all)\n');
  });

  it('keeps every line within 100 characters', () => {
    const long = demoTable.stdout.split('\n').filter((l) => [...l].length > 100);
    expect(long).toEqual([]);
    const we = runCli(['report', ...WE_ARGS]);
    expect(we.stdout.split('\n').filter((l) => [...l].length > 100)).toEqual([]);
  });

  it('stays within 100 characters with very long ids, dimension values and event names', () => {
    const f = join(tmp.dir, 'long-names.json');
    const ids = ['X'.repeat(150), 'Ünïcødé-'.repeat(12), 'B'];
    const times = ['2024-01-01T10:00:00Z', '2024-01-09T10:00:00Z', '2024-01-10T10:00:00Z', '2024-01-15T10:00:00Z', '2024-01-20T10:00:00Z', '2024-02-20T10:00:00Z'];
    const rows = ids.flatMap((id) => times.map((timestamp) => ({ timestamp, stakeholder_id: id, stakeholder_type: 'very-long-type-name-'.repeat(5) })));
    writeFileSync(f, JSON.stringify(rows));
    const r = runCli(['report', f, '--event', `${'L'.repeat(120)}=2024-01-10`, '--event', 'Second event, with a long name=2024-02-01..2024-02-03', '--before', '2', '--after', '2', '--by', 'stakeholder_type']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Most spiky stakeholders (top 3 of 3 scored)');
    expect(r.stdout.split('\n').filter((l) => [...l].length > 100)).toEqual([]);
  });

  it('has no ANSI escape codes with NO_COLOR=1', () => {
    expect(demoTable.stdout).not.toMatch(ANSI);
    expect(demoTable.stderr).not.toMatch(ANSI);
  });

  it('has no colour when stdout is not a TTY, even with NO_COLOR and FORCE_COLOR unset', () => {
    const r = runCliWithoutColorEnv(['report', ...DEMO_ARGS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Most spiky stakeholders');
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toBe(demoTable.stdout);
  });

  it('states the SPEC §7 figures in words for the worked example', () => {
    const r = runCli(['report', ...WE_ARGS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(r.stdout.split('\n')[0]).toBe('engage-audit · 2024-01-01 → 2024-01-20 (20 days) · 1 event · tz UTC');
    // 4 of 7 interactions (57%) in 5 of 20 days (25%); rate ratio 0.8/0.2 = 4; CI 0.6767…–27.3066…
    expect(flat).toContain('57% of engagement falls in the 25% of days around events: 4.00× the baseline rate (95% CI 0.68–27.3)');
    expect(flat).toContain('back to baseline in 2 days');
    expect(flat).toContain('Spikiness 3.40 overall');
    for (const section of TABLE_SECTIONS) expect(r.stdout).toMatch(new RegExp(`^${section}`, 'm'));
    expect(flat).toContain('7 rows read from 1 file: 7 used, 0 rejected, 0 outside the period.');
  });
});

describe('report --format json: SPEC §7 worked example, checked by hand', () => {
  it('has every top-level key of SPEC §6 and no gate (that is check only)', () => {
    for (const key of TOP_LEVEL_KEYS) expect(weReport, key).toHaveProperty([key]);
    expect(weReport).not.toHaveProperty('gate');
    expect(weReport.schemaVersion).toBe(1);
    expect(weReport.tool).toEqual({ name: 'engage-audit', version: PACKAGE_VERSION });
    expect(weReport.eventsSource).toBe('declared');
    expect(weReport.eventsOutsidePeriod).toEqual([]);
    expect(weReport.segments).toEqual([]);
  });

  it('reports every effective setting, flags applied and defaults filled in', () => {
    for (const key of SETTING_KEYS) expect(weReport.settings, key).toHaveProperty([key]);
    expect(weReport.settings).toMatchObject({
      tz: 'UTC',
      before: 2,
      after: 2,
      profileDays: 5,
      settleDays: 2,
      minInteractions: 5,
      silenceDays: 30,
      tolerance: 0.2,
      confidence: 0.95,
      flagAbove: 3,
      burstScale: 2,
      burstCost: 1,
      by: [],
    });
  });

  it('accounts for every row: rowsRead = rowsUsed + rowsRejected + rowsOutOfRange', () => {
    const input = weReport.input;
    expect(input).toMatchObject({ files: [WE_LOG], rowsRead: 7, rowsUsed: 7, rowsRejected: 0, rowsOutOfRange: 0, rejectReasons: [] });
    expect(input.rowsRead).toBe(input.rowsUsed + input.rowsRejected + input.rowsOutOfRange);
  });

  it('period: 2024-01-01…2024-01-20, D_W 5, D_B 15, r_B 0.2', () => {
    expect(weReport.period).toEqual({ from: '2024-01-01', to: '2024-01-20', days: 20, windowDays: 5, baselineDays: 15, baselineRate: 0.2 });
  });

  it('overall: spikiness (4.25/5)/(3.75/15) = 3.4, rate ratio 4, 95% CI 0.6767…–27.3066…', () => {
    const o = weReport.overall;
    for (const key of SCOPE_KEYS) expect(o, key).toHaveProperty([key]);
    expect(o.interactions).toBe(7);
    expect(o.windowInteractions).toBe(4);
    expect(o.baselineInteractions).toBe(3);
    expect(o.spikiness).toBeCloseTo(4.25 / 5 / (3.75 / 15), 12);
    expect(o.spikiness).toBeCloseTo(3.4, 12);
    expect(o.rateRatio).toBeCloseTo(0.8 / 0.2, 12);
    expect(truncated(o.ciLow, 4)).toBe(0.6767);
    expect(truncated(o.ciHigh, 4)).toBe(27.3066);
    expect(o.windowShare).toBeCloseTo(4 / 7, 12);
    expect(o.expectedShare).toBeCloseTo(0.25, 12);
    expect(o.stakeholders).toBe(2);
    expect(o.scoredStakeholders).toBe(1);
    // A (3.545… > flagAbove 3) is the only scored stakeholder.
    expect(o.flaggedStakeholders).toBe(1);
    expect(o.medianSpikiness).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
  });

  it('stakeholder A: spikiness 3.5454…, rateRatio 4.5, burstiness 0.14989, silence 9 days, scored', () => {
    const [a, b] = weReport.stakeholders;
    expect(Object.keys(a)).toEqual(STAKEHOLDER_KEYS);
    expect(a.id).toBe('A');
    expect(a.interactions).toBe(5);
    expect(a.windowInteractions).toBe(3);
    expect(a.baselineInteractions).toBe(2);
    expect(a.spikiness).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
    expect(truncated(a.spikiness, 4)).toBe(3.5454);
    expect(a.rateRatio).toBeCloseTo(4.5, 12);
    const hour = 3600;
    const day = 24 * hour;
    const expectedBurstiness = kimJoBurstiness([8 * day, 1 * day, 1 * hour, 9 * day + 23 * hour]);
    expect(expectedBurstiness).toBeCloseTo(0.14989, 5);
    expect(a.burstiness).toBeCloseTo(expectedBurstiness, 10);
    expect(a.longestSilenceDays).toBe(9);
    expect(a.firstDay).toBe('2024-01-01');
    expect(a.lastDay).toBe('2024-01-20');
    expect(a.status).toBe('scored');
    expect(b.id).toBe('B');
  });

  it('stakeholder B: spikiness 2.1428…, rateRatio 3, burstiness null, insufficient', () => {
    const b = weReport.stakeholders.find((s: JsonReport) => s.id === 'B');
    expect(b.spikiness).toBeCloseTo(1.25 / 5 / (1.75 / 15), 12);
    expect(b.rateRatio).toBeCloseTo(3, 12);
    expect(b.burstiness).toBeNull();
    expect(b.longestSilenceDays).toBe(9);
    expect(b.status).toBe('insufficient');
  });

  it('E1: window 01-08…01-12, 4 interactions, lift 4, peak at offset 0, back to baseline in 2 days', () => {
    expect(weReport.events).toHaveLength(1);
    expect(weReport.events[0]).toMatchObject({
      name: 'E1',
      start: '2024-01-10',
      end: '2024-01-10',
      windowStart: '2024-01-08',
      windowEnd: '2024-01-12',
      windowDays: 5,
      interactions: 4,
      activeStakeholders: 2,
      peakOffset: 0,
      daysToBaseline: 2,
    });
    expect(weReport.events[0].lift).toBeCloseTo(4, 12);
  });

  it('both gaps: 01-01…01-07 before E1 and 01-13…01-20 after it', () => {
    const [g1, g2] = weReport.gaps;
    expect(weReport.gaps).toHaveLength(2);
    expect(g1).toMatchObject({ before: null, after: 'E1', start: '2024-01-01', end: '2024-01-07', days: 7, interactions: 2, engagedBefore: 0, darkShare: null });
    expect(g1.lift).toBeCloseTo(2 / 7 / 0.2, 12);
    expect(g1.lift).toBeCloseTo(1.4286, 4);
    expect(g2).toMatchObject({ before: 'E1', after: null, start: '2024-01-13', end: '2024-01-20', days: 8, interactions: 1, engagedBefore: 2, silentThrough: 1, darkShare: 0.5 });
    expect(g2.lift).toBeCloseTo(0.625, 12);
  });

  it('profile lifts for offsets −5…5 are 5,0,0,0,5,10,5,0,0,0,0 and profileDaysToBaseline is 2', () => {
    expect(weReport.profile.map((p: JsonReport) => p.offset)).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
    const lifts: number[] = weReport.profile.map((p: JsonReport) => p.lift);
    const expected = [5, 0, 0, 0, 5, 10, 5, 0, 0, 0, 0];
    expect(lifts).toHaveLength(expected.length);
    lifts.forEach((l, i) => expect(l, `offset ${i - 5}`).toBeCloseTo(expected[i], 12));
    for (const p of weReport.profile) expect(Object.keys(p).sort()).toEqual(['exposure', 'lift', 'offset', 'rate', 'volume']);
    expect(weReport.profileDaysToBaseline).toBe(2);
  });

  it('weekly timeline holds all 7 interactions, with the 5 window days in the week of 2024-01-08', () => {
    expect(weReport.timeline).toEqual([
      { start: '2024-01-01', interactions: 2, volume: 2, windowDays: 0 },
      { start: '2024-01-08', interactions: 4, volume: 4, windowDays: 5 },
      { start: '2024-01-15', interactions: 1, volume: 1, windowDays: 0 },
    ]);
  });
});

describe('report --format json on the demo', () => {
  it('accounts for every row and lists the 3 bad rows by reason', () => {
    const input = demoReport.input;
    expect(input).toMatchObject({ rowsRead: 17263, rowsUsed: 17260, rowsRejected: 3, rowsOutOfRange: 0 });
    expect(input.rowsRead).toBe(input.rowsUsed + input.rowsRejected + input.rowsOutOfRange);
    const byReason = Object.fromEntries(input.rejectReasons.map((r: JsonReport) => [r.reason, r.count]));
    expect(byReason).toEqual({ timestamp: 2, stakeholder: 1 });
    const lines = input.rejectReasons.flatMap((r: JsonReport) => r.examples.map((e: JsonReport) => e.line)).sort((x: number, y: number) => x - y);
    expect(lines).toEqual(DEMO_BAD_LINES);
  });

  it('sorts stakeholders by spikiness descending, then id, and gives every SPEC §6 field', () => {
    const rows: JsonReport[] = demoReport.stakeholders;
    expect(rows.length).toBe(demoReport.overall.stakeholders);
    for (let i = 1; i < rows.length; i++) {
      const p = rows[i - 1];
      const c = rows[i];
      expect(p.spikiness > c.spikiness || (p.spikiness === c.spikiness && p.id < c.id), `${p.id} before ${c.id}`).toBe(true);
    }
    for (const key of STAKEHOLDER_KEYS) expect(rows[0], key).toHaveProperty([key]);
    expect(rows.reduce((a, r) => a + r.interactions, 0)).toBe(17260);
    for (const r of rows) expect(r.firstDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('report --format csv', () => {
  it('has a header with id and every stakeholder field, and one row per stakeholder (worked example)', () => {
    const r = runCli(['report', ...WE_ARGS, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
    const header = r.stdout.split('\n')[0].split(',');
    expect(header).toEqual(STAKEHOLDER_KEYS);
    expect(rows.map((x) => x.id)).toEqual(['A', 'B']);
    expect(Number(rows[0].spikiness)).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
    expect(rows[0].status).toBe('scored');
    expect(rows[1].burstiness).toBe(''); // null is an empty cell
    expect(rows[1].status).toBe('insufficient');
  });

  it('gives the demo one row per stakeholder, with the constant dimensions as columns', () => {
    const r = runCli(['report', ...DEMO_ARGS, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const records = parseCsv(r.stdout) as string[][];
    const [header, ...rows] = records;
    expect(header[0]).toBe('id');
    for (const key of STAKEHOLDER_KEYS) expect(header).toContain(key);
    expect(header).toContain('stakeholder_type');
    expect(rows).toHaveLength(demoReport.stakeholders.length);
    const ids = rows.map((row) => row[0]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(demoReport.stakeholders.map((s: JsonReport) => s.id));
    for (const row of rows) expect(row).toHaveLength(header.length);
    const typeCol = header.indexOf('stakeholder_type');
    expect(new Set(rows.map((row) => row[typeCol]))).toEqual(new Set(['hcp', 'patient_org', 'patient']));
  });
});

describe('report --format csv quoting', () => {
  it('ids and dimension values with commas, quotes and line breaks survive a CSV round trip', () => {
    const f = join(tmp.dir, 'odd-ids.json');
    const ids = ['A, Inc.', 'B "quoted"', 'C\nsecond line', 'D;semi'];
    const times = ['2024-01-01T10:00:00Z', '2024-01-09T10:00:00Z', '2024-01-10T10:00:00Z', '2024-01-15T10:00:00Z', '2024-01-20T10:00:00Z'];
    writeFileSync(f, JSON.stringify(ids.flatMap((id) => times.map((timestamp) => ({ timestamp, stakeholder_id: id, team: `team of ${id}` })))));
    const r = runCli(['report', f, '--event', 'E1=2024-01-10', '--before', '2', '--after', '2', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.id).sort()).toEqual([...ids].sort());
    for (const row of rows) expect(row.team).toBe(`team of ${row.id}`);
    for (const row of rows) expect(row.interactions).toBe('5');
  });
});

describe('input formats give the same report', () => {
  const weText = (): string => readFileSync(join(ROOT, WE_LOG), 'utf8');
  const weRows = (): { timestamp: string; stakeholder_id: string }[] =>
    weText()
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => {
        const [timestamp, stakeholder_id] = l.split(',');
        return { timestamp, stakeholder_id };
      });
  const reference = (): JsonReport => withoutInputFiles(weReport);
  const run = (file: string, extra: string[] = [], input?: string | Buffer): JsonReport => {
    const { report } = jsonReport([file, '--events', WE_EVENTS, ...WE_FLAGS, ...extra], { input });
    return report;
  };

  it('TSV', () => {
    const f = join(tmp.dir, 'we.tsv');
    writeFileSync(f, weText().replace(/,/g, '\t'));
    const report = run(f);
    expect(report.input.files).toEqual([f]);
    expect(withoutInputFiles(report)).toEqual(reference());
  });

  it('JSON array', () => {
    const f = join(tmp.dir, 'we.json');
    writeFileSync(f, JSON.stringify(weRows(), null, 2));
    expect(withoutInputFiles(run(f))).toEqual(reference());
  });

  it('NDJSON', () => {
    const f = join(tmp.dir, 'we.ndjson');
    writeFileSync(f, weRows().map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(withoutInputFiles(run(f))).toEqual(reference());
  });

  it('gzip-compressed CSV (.csv.gz)', () => {
    const f = join(tmp.dir, 'we.csv.gz');
    writeFileSync(f, gzipSync(weText()));
    const report = run(f);
    expect(report.input.files).toEqual([f]);
    expect(withoutInputFiles(report)).toEqual(reference());
  });

  it('gzip-compressed NDJSON (.ndjson.gz)', () => {
    const f = join(tmp.dir, 'we.ndjson.gz');
    writeFileSync(f, gzipSync(weRows().map((r) => JSON.stringify(r)).join('\n') + '\n'));
    expect(withoutInputFiles(run(f))).toEqual(reference());
  });

  it('CSV with a BOM and CRLF line ends', () => {
    const f = join(tmp.dir, 'we-crlf.csv');
    writeFileSync(f, '\uFEFF' + weText().replace(/\n/g, '\r\n'));
    expect(withoutInputFiles(run(f))).toEqual(reference());
  });

  it('standard input as NDJSON (- --input-format ndjson)', () => {
    const ndjson = weRows().map((r) => JSON.stringify(r)).join('\n') + '\n';
    const report = run('-', ['--input-format', 'ndjson'], ndjson);
    expect(report.input.files).toEqual(['<stdin>']);
    expect(withoutInputFiles(report)).toEqual(reference());
  });

  it('standard input as CSV (-, sniffed and with --input-format csv)', () => {
    expect(withoutInputFiles(run('-', [], weText()))).toEqual(reference());
    expect(withoutInputFiles(run('-', ['--input-format', 'csv'], weText()))).toEqual(reference());
  });

  it('gzip-compressed CSV on standard input (recognised by its magic bytes)', () => {
    const report = run('-', [], gzipSync(weText()));
    expect(report.input.files).toEqual(['<stdin>']);
    expect(withoutInputFiles(report)).toEqual(reference());
  });

  it('several files at once are read as one log', () => {
    const lines = weText().trim().split('\n');
    const [header, ...rows] = lines;
    const first = join(tmp.dir, 'we-part1.csv');
    const second = join(tmp.dir, 'we-part2.csv');
    writeFileSync(first, [header, ...rows.slice(0, 3)].join('\n') + '\n');
    writeFileSync(second, [header, ...rows.slice(3)].join('\n') + '\n');
    const { report } = jsonReport([first, second, '--events', WE_EVENTS, ...WE_FLAGS]);
    expect(report.input.files).toEqual([first, second]);
    expect(report.input.rowsRead).toBe(7);
    expect(withoutInputFiles(report)).toEqual(reference());
  });

  it('the gzipped demo gives the demo report, reject line numbers included', () => {
    const f = join(tmp.dir, 'demo.csv.gz');
    writeFileSync(f, gzipSync(readFileSync(join(ROOT, DEMO_LOG))));
    const { report } = jsonReport([f, '--events', DEMO_EVENTS]);
    const strip = (r: JsonReport): JsonReport => {
      const c = withoutInputFiles(r);
      for (const reason of c.input.rejectReasons) for (const e of reason.examples) delete e.file;
      return c;
    };
    expect(strip(report)).toEqual(strip(demoReport));
  });
});

describe('output and side files', () => {
  it('--out FILE writes the report there and nothing on stdout', () => {
    const out = join(tmp.dir, 'report.json');
    const r = runCli(['report', ...WE_ARGS, '--format', 'json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(weReport);
  });

  it('--out FILE with the table format writes the same text as stdout would show', () => {
    const out = join(tmp.dir, 'report.txt');
    const r = runCli(['report', ...WE_ARGS, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(runCli(['report', ...WE_ARGS]).stdout);
    expect(text).not.toMatch(ANSI);
  });

  // BUG: when the reader of stdout goes away early (`| head`), the unhandled
  // EPIPE crashes the CLI with a Node stack trace and exit code 1 (which SPEC §5
  // reserves for a failed check).
  it('a reader that closes the pipe early (| head -c 100) gets no stack trace', () => {
    const errFile = join(tmp.dir, 'epipe-stderr.txt');
    const script = `"${process.execPath}" "${BIN}" report ${DEMO_ARGS.join(' ')} --format json 2>"${errFile}" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', script], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, encoding: 'utf8' });
    const code = Number(r.stdout.trim());
    const stderr = readFileSync(errFile, 'utf8');
    expect(stderr).not.toMatch(/^ {4}at /m);
    expect(stderr).not.toContain('EPIPE');
    // 0 (the reader chose to stop) or 2; never 1, which means "a threshold failed".
    expect([0, 2]).toContain(code);
  });

  it('--rejects FILE on the demo lists exactly the 3 bad rows with their line and reason', () => {
    const rejects = join(tmp.dir, 'demo-rejects.csv');
    const r = runCli(['report', ...DEMO_ARGS, '--format', 'json', '--rejects', rejects]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`3 of 17,263 rows rejected (all listed in ${rejects})`);
    const rows = parseCsv(readFileSync(rejects, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.file, Number(x.line), x.reason, x.field])).toEqual([
      [DEMO_LOG, 648, 'timestamp', 'timestamp'],
      [DEMO_LOG, 7912, 'stakeholder', 'stakeholder_id'],
      [DEMO_LOG, 10277, 'timestamp', 'timestamp'],
    ]);
    expect(rows[0].message).toContain('2024-02-30');
    expect(rows[1].message).toContain('empty stakeholder');
    expect(rows[2].message).toContain('"n/a"');
    // `raw` is the row exactly as it stands on that line of the file.
    const fileLines = readFileSync(join(ROOT, DEMO_LOG), 'utf8').split(/\r?\n/);
    for (const row of rows) expect(row.raw).toBe(fileLines[Number(row.line) - 1]);
  });
});

describe('segments', () => {
  it('--by stakeholder_type gives one segment per type, each counted from the log', () => {
    const { report } = jsonReport([...DEMO_ARGS, '--by', 'stakeholder_type']);
    expect(report.settings.by).toEqual(['stakeholder_type']);
    const segs: JsonReport[] = report.segments;
    expect(segs.map((s) => s.dimension)).toEqual(['stakeholder_type', 'stakeholder_type', 'stakeholder_type']);
    expect(new Set(segs.map((s) => s.value))).toEqual(new Set(['hcp', 'patient_org', 'patient']));
    for (const key of SCOPE_KEYS) expect(segs[0], key).toHaveProperty([key]);

    // Count the usable rows per type straight from the file (every line but the 3 bad ones).
    const lines = readFileSync(join(ROOT, DEMO_LOG), 'utf8').trim().split('\n');
    const typeIndex = lines[0].split(',').indexOf('stakeholder_type');
    const expected = new Map<string, number>();
    lines.slice(1).forEach((l, i) => {
      if (DEMO_BAD_LINES.includes(i + 2)) return;
      const t = l.split(',')[typeIndex];
      expected.set(t, (expected.get(t) ?? 0) + 1);
    });
    for (const s of segs) expect(s.interactions, String(s.value)).toBe(expected.get(s.value));
    // The calendar is shared: segment rates are over the same D_W and D_B as overall.
    for (const s of segs) expect(s.baselineRate * report.period.baselineDays).toBeCloseTo(s.baselineInteractions, 6);
    // A stakeholder's type is constant, so segment stakeholder counts add up to the total.
    expect(segs.reduce((a, s) => a + s.stakeholders, 0)).toBe(report.overall.stakeholders);
    for (const s of segs) {
      expect(s.stakeholders).toBe(report.stakeholders.filter((x: JsonReport) => x.stakeholder_type === s.value).length);
    }
  });
});

describe('help and version', () => {
  it('report --help exits 0 and shows examples', () => {
    const r = runCli(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage: engage-audit report');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(/\$ engage-audit report \S+/);
    for (const flag of ['--events', '--event', '--format', '--out', '--rejects', '--strict', '--by', '--tz']) expect(r.stdout).toContain(flag);
  });

  it('--version exits 0 and prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PACKAGE_VERSION);
  });
});

/** The same analysis, whichever way the events were given (settings.events names the source). */
function sameAnalysis(a: JsonReport, b: JsonReport): void {
  const strip = (r: JsonReport) => ({ ...r, settings: { ...(r.settings as object), events: null } });
  expect(strip(a)).toEqual(strip(b));
}

describe('events from flags, JSON and YAML', () => {
  it('--event "E1=2024-01-10" (no end) gives the same report as the events file', () => {
    const { report } = jsonReport([WE_LOG, '--event', 'E1=2024-01-10', ...WE_FLAGS]);
    sameAnalysis(report, weReport);
  });

  it('--event "E1=2024-01-10..2024-01-10" gives the same report too', () => {
    const { report } = jsonReport([WE_LOG, '--event', 'E1=2024-01-10..2024-01-10', ...WE_FLAGS]);
    sameAnalysis(report, weReport);
  });

  it('an events JSON file gives the same report', () => {
    const { report } = jsonReport([WE_LOG, '--events', `${E2E}/worked-example-events.json`, ...WE_FLAGS]);
    sameAnalysis(report, weReport);
  });

  it('an events YAML file gives the same report', () => {
    const { report } = jsonReport([WE_LOG, '--events', `${E2E}/worked-example-events.yaml`, ...WE_FLAGS]);
    sameAnalysis(report, weReport);
  });

  it('an empty "end" cell in an events CSV defaults to start', () => {
    const { report } = jsonReport([WE_LOG, '--events', `${E2E}/events-empty-end.csv`, ...WE_FLAGS]);
    sameAnalysis(report, weReport);
  });
});

describe('config file', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = join(tmp.dir, 'config-cwd');
    mkdirSync(cwd);
    copyFileSync(join(ROOT, WE_LOG), join(cwd, 'worked-example.csv'));
    copyFileSync(join(ROOT, WE_EVENTS), join(cwd, 'worked-example-events.csv'));
  });

  const writeConfig = (name: string, value: unknown): void => writeFileSync(join(cwd, name), JSON.stringify(value));

  it('engage-audit.config.json in the working folder sets before/after/profileDays/settleDays', () => {
    writeConfig('engage-audit.config.json', { before: 2, after: 2, profileDays: 5, settleDays: 2 });
    const { report } = jsonReport(['worked-example.csv', '--events', 'worked-example-events.csv'], { cwd });
    expect(report.input.files).toEqual(['worked-example.csv']);
    sameAnalysis(withoutInputFiles(report), withoutInputFiles(weReport));
  });

  it('a flag overrides the config file', () => {
    writeConfig('engage-audit.config.json', { before: 2, after: 2, profileDays: 5, settleDays: 2 });
    const { report } = jsonReport(['worked-example.csv', '--events', 'worked-example-events.csv', '--before', '3'], { cwd });
    expect(report.settings).toMatchObject({ before: 3, after: 2, profileDays: 5, settleDays: 2 });
    // Window 01-07…01-12 is 6 days; the 14 baseline days hold 01-01 (A), 01-05 (B) and 01-20 (A).
    expect(report.period).toMatchObject({ windowDays: 6, baselineDays: 14 });
    expect(report.events[0]).toMatchObject({ windowStart: '2024-01-07', windowEnd: '2024-01-12' });
    expect(report.overall.windowInteractions).toBe(4);
    expect(report.overall.baselineInteractions).toBe(3);
  });

  it('the config "events" key (a path relative to the config) declares the events', () => {
    writeConfig('engage-audit.config.json', { before: 2, after: 2, profileDays: 5, settleDays: 2, events: 'worked-example-events.csv' });
    const { report } = jsonReport(['worked-example.csv'], { cwd });
    expect(report.eventsSource).toBe('declared');
    expect(report.settings.events).toBe('worked-example-events.csv');
    const strip = (r: JsonReport): JsonReport => {
      const c = withoutInputFiles(r);
      delete c.settings.events;
      return c;
    };
    expect(strip(report)).toEqual(strip(weReport));
  });

  it('engage-audit.config.json wins over .engage-auditrc.json and package.json#engage-audit', () => {
    writeConfig('engage-audit.config.json', { before: 2, after: 2, profileDays: 5, settleDays: 2 });
    writeConfig('.engage-auditrc.json', { before: 4, after: 4, profileDays: 6, settleDays: 3 });
    writeConfig('package.json', { name: 'x', 'engage-audit': { before: 1, after: 1 } });
    try {
      const { report } = jsonReport(['worked-example.csv', '--events', 'worked-example-events.csv'], { cwd });
      expect(report.settings).toMatchObject({ before: 2, after: 2, profileDays: 5, settleDays: 2 });
      rmSync(join(cwd, 'engage-audit.config.json'));
      const rc = jsonReport(['worked-example.csv', '--events', 'worked-example-events.csv'], { cwd }).report;
      expect(rc.settings).toMatchObject({ before: 4, after: 4, profileDays: 6, settleDays: 3 });
      rmSync(join(cwd, '.engage-auditrc.json'));
      const pkg = jsonReport(['worked-example.csv', '--events', 'worked-example-events.csv', '--profile-days', '5', '--settle-days', '2'], { cwd }).report;
      expect(pkg.settings).toMatchObject({ before: 1, after: 1 });
    } finally {
      for (const f of ['engage-audit.config.json', '.engage-auditrc.json', 'package.json']) rmSync(join(cwd, f), { force: true });
    }
    expect(existsSync(join(cwd, 'package.json'))).toBe(false);
  });
});

describe('observation period', () => {
  it('--from/--to narrow the period; rows outside are counted as out of range', () => {
    const { result, report } = jsonReport([...WE_ARGS, '--from', '2024-01-02', '--to', '2024-01-19']);
    expect(report.period).toMatchObject({ from: '2024-01-02', to: '2024-01-19', days: 18, windowDays: 5, baselineDays: 13 });
    // A's interactions on 01-01 and 01-20 fall outside.
    expect(report.input).toMatchObject({ rowsRead: 7, rowsUsed: 5, rowsRejected: 0, rowsOutOfRange: 2 });
    expect(report.input.rowsRead).toBe(report.input.rowsUsed + report.input.rowsRejected + report.input.rowsOutOfRange);
    expect(report.overall.interactions).toBe(5);
    expect(result.stderr).toContain('2 interactions fall outside 2024-01-02…2024-01-19');
  });
});
