import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E, jsonReport, runCli, WE_EVENTS, WE_FLAGS, WE_LOG } from './e2e-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-rollup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** SPEC §7's log summed by hand into rollup rows (gaps: A 8 d, 1 d, 1 h, 9 d 23 h; B 6 d). */
const WE_ROLLUP = 'fixtures/spec/worked-example-rollup.csv';

describe('report on a rollup', () => {
  it('reproduces the worked example (SPEC §7) from the hand-made rollup, recognised by its header', () => {
    const { report, result } = jsonReport([WE_ROLLUP, '--events', WE_EVENTS, ...WE_FLAGS]);
    expect(result.stderr).toBe('');
    const a = report.stakeholders.find((s: { id: string }) => s.id === 'A');
    expect(a.spikiness).toBeCloseTo(3.25 / 5 / (2.75 / 15), 12);
    expect(a.burstiness).toBeCloseTo(0.14989, 5);
    expect(a.longestSilenceDays).toBe(9);
    expect(report.overall.spikiness).toBeCloseTo(3.4, 12);
    expect(report.overall.ciLow).toBeCloseTo(0.6767, 4);
    expect(report.overall.ciHigh).toBeCloseTo(27.3066, 4);
    expect(report.input).toEqual({ files: [WE_ROLLUP], rowsRead: 6, rowsUsed: 6, rowsRejected: 0, rowsOutOfRange: 0, rejectReasons: [], duplicateRows: 0 });
  });

  it('equals the raw report in every field but the input counts', () => {
    const raw = jsonReport([WE_LOG, '--events', WE_EVENTS, ...WE_FLAGS]).report;
    const rolled = jsonReport([WE_ROLLUP, '--events', WE_EVENTS, ...WE_FLAGS, '--input-format', 'rollup']).report;
    const burst = (r: typeof raw) => r.stakeholders.map((s: { burstiness: number | null }) => s.burstiness);
    const rest = (r: typeof raw) => ({ ...r, input: undefined, stakeholders: r.stakeholders.map((s: object) => ({ ...s, burstiness: 0 })) });
    expect(rest(rolled)).toEqual(rest(raw));
    burst(raw).forEach((b: number | null, i: number) => (b === null ? expect(burst(rolled)[i]).toBeNull() : expect(burst(rolled)[i]).toBeCloseTo(b, 12)));
  });

  it('reads a gzipped NDJSON rollup, rejecting impossible rows with line, field and reason', () => {
    const gz = join(dir, 'bad-rollup.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(E2E, 'bad-rollup.ndjson'))));
    const rejects = join(dir, 'rejects.csv');
    const { report, result } = jsonReport([gz, '--event', 'E=2024-01-09', '--before', '1', '--after', '1', '--by', 'channel', '--rejects', rejects, '--min-interactions', '1']);
    expect(report.input.rowsRead).toBe(9);
    expect(report.input.rowsRejected).toBe(6);
    expect(report.input.rowsUsed).toBe(3);
    const reasons = Object.fromEntries(report.input.rejectReasons.map((r: { reason: string; count: number }) => [r.reason, r.count]));
    expect(reasons).toEqual({ stakeholder: 1, day: 1, sums: 4 });
    const text = readFileSync(rejects, 'utf8');
    expect(text).toContain(',4,day,day,"""2024-02-30"" is not a YYYY-MM-DD day"');
    expect(text).toContain('interactions 0 is not a whole number of at least 1');
    expect(text).toContain('volume -1 is not positive');
    expect(text).toContain('gap_count 2 is not a whole number from 0 to interactions (1)');
    expect(text).toContain(',8,sums,gap_sum,"gap_sum ""ten"" is not a number"');
    expect(result.stderr).toContain('6 of 9 rows rejected');
    // A has 2 interactions left (gaps: 691200 s only), B 3 with two gaps of 3600 s.
    const b = report.stakeholders.find((s: { id: string }) => s.id === 'B');
    expect(b.interactions).toBe(3);
    expect(b.channel).toBe('email');
    expect(b.burstiness).toBeCloseTo((Math.sqrt(3) * 0 - 1) / ((Math.sqrt(3) - 2) * 0 + 1), 12);
    expect(report.segments.map((s: { value: string; interactions: number }) => [s.value, s.interactions])).toEqual(
      expect.arrayContaining([
        ['call', 2],
        ['email', 3],
      ]),
    );
  });

  it('refuses a file that is not a rollup when --input-format rollup says it is', () => {
    const r = runCli(['report', WE_LOG, '--input-format', 'rollup', '--events', WE_EVENTS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${WE_LOG}: not a rollup: the header lacks "stakeholder", "day", "interactions"`);
    expect(r.stderr).toContain('engage-audit sql');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses to mix a rollup with raw interactions', () => {
    const r = runCli(['report', WE_LOG, WE_ROLLUP, '--events', WE_EVENTS]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${WE_ROLLUP} holds a rollup, but ${WE_LOG} held interactions`);
  });

  it('names a --by dimension the rollup was not grouped by', () => {
    const r = runCli(['report', WE_ROLLUP, '--events', WE_EVENTS, '--by', 'channel']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--by "channel" is not a column of the rollup');
  });

  it('warns that column flags do not apply, and that a narrowed period keeps the first gap', () => {
    const { result, report } = jsonReport([WE_ROLLUP, '--events', WE_EVENTS, ...WE_FLAGS, '--weight-col', 'w', '--from', '2024-01-02']);
    expect(result.stderr).toContain('--weight-col does not apply to a rollup');
    expect(result.stderr).toContain('burstiness still counts each stakeholder\'s first gap');
    expect(result.stderr).toContain('1 rollup rows fall outside 2024-01-02');
    expect(report.input.rowsOutOfRange).toBe(1);
    expect(report.input.rowsRead).toBe(report.input.rowsUsed + report.input.rowsRejected + report.input.rowsOutOfRange);
  });
});
