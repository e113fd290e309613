import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * A rollup is a lossless summary for every metric: the report on a rollup
 * equals the report on the raw log, field by field, with burstiness (sums of
 * squared gaps instead of two passes) within 1e-9. The rollup is built here
 * by hand from the generated rows, not by the tool.
 */

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-rollup-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

const rowArb = fc.record({
  stakeholder: fc.constantFrom('HCP-001', 'HCP-002', 'PO-01', 'PAT-9', '00123'),
  dayOffset: fc.integer({ min: 0, max: 119 }),
  second: fc.integer({ min: 0, max: 86_399 }),
  millis: fc.constantFrom(0, 0, 0, 250, 999),
  quarters: fc.integer({ min: 1, max: 12 }),
  channel: fc.constantFrom('call', 'email', 'meeting'),
  type: fc.constantFrom('hcp', 'patient'),
});
type Row = { stakeholder: string; dayOffset: number; second: number; millis: number; quarters: number; channel: string; type: string };

const instantOf = (r: Row): number => Date.UTC(2024, 0, 1 + r.dayOffset) + r.second * 1000 + r.millis;

function rawCsv(rows: Row[]): string {
  const lines = rows.map((r) => `${new Date(instantOf(r)).toISOString()},${r.stakeholder},${r.type},${r.channel},${r.quarters / 4}`);
  return `timestamp,stakeholder_id,stakeholder_type,channel,minutes\n${lines.join('\n')}\n`;
}

/** The README's rollup, computed directly: group by (stakeholder, UTC day, dims); gaps over each stakeholder's sorted instants. */
function rollupCsv(rows: Row[]): string {
  const groups = new Map<string, { interactions: number; volume: number; volumeSq: number; gaps: number[] }>();
  const byStakeholder = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byStakeholder.get(r.stakeholder) ?? [];
    list.push(r);
    byStakeholder.set(r.stakeholder, list);
  }
  for (const list of byStakeholder.values()) {
    list.sort((a, b) => instantOf(a) - instantOf(b));
    list.forEach((r, i) => {
      const key = [r.stakeholder, new Date(instantOf(r)).toISOString().slice(0, 10), r.type, r.channel].join(',');
      const g = groups.get(key) ?? { interactions: 0, volume: 0, volumeSq: 0, gaps: [] };
      const w = r.quarters / 4;
      g.interactions++;
      g.volume += w;
      g.volumeSq += w * w;
      if (i > 0) g.gaps.push((instantOf(r) - instantOf(list[i - 1])) / 1000);
      groups.set(key, g);
    });
  }
  const lines = [...groups].map(([key, g]) => {
    const gapSum = g.gaps.reduce((a, b) => a + b, 0);
    const gapSq = g.gaps.reduce((a, b) => a + b * b, 0);
    return `${key},${g.interactions},${g.volume},${g.volumeSq},${g.gaps.length},${gapSum},${gapSq}`;
  });
  return `stakeholder,day,stakeholder_type,channel,interactions,volume,volume_sq,gap_count,gap_sum,gap_sum_sq\n${lines.join('\n')}\n`;
}

function write(text: string, ext = 'csv'): string {
  const path = join(dir, `log-${counter++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

const EVENTS = ['--event', 'Spring=2024-02-10..2024-02-12', '--event', 'Summer=2024-04-01', '--before', '5', '--after', '5', '--min-interactions', '3'];

async function report(file: string, extra: string[]): Promise<Report> {
  const r = await runInProcess(['report', file, ...EVENTS, '--format', 'json', ...extra], { cwd: dir });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

/** Burstiness compared within 1e-9 (absolute near zero, relative elsewhere); everything else exactly. */
function expectSameReport(fromRollup: Report, fromRaw: Report): void {
  // The raw run names its weight column; a rollup has none to name.
  const strip = (r: Report) => ({ ...r, input: undefined, settings: { ...r.settings, weightCol: undefined }, stakeholders: r.stakeholders.map((s) => ({ ...s, burstiness: undefined })) });
  expect(strip(fromRollup)).toEqual(strip(fromRaw));
  fromRaw.stakeholders.forEach((s, i) => {
    const b = fromRollup.stakeholders[i].burstiness;
    if (s.burstiness === null) expect(b).toBeNull();
    else expect(Math.abs((b as number) - (s.burstiness as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(s.burstiness as number)));
  });
}

const logArb = fc
  .array(rowArb, { minLength: 4, maxLength: 120 })
  .filter((rows) => rows.some((r) => r.dayOffset >= 35 && r.dayOffset <= 47) && rows.some((r) => r.dayOffset < 30 || r.dayOffset > 100));

describe('a rollup gives the raw report', () => {
  it('for every field, segments and weights included', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, async (rows) => {
        const by = ['--by', 'channel,stakeholder_type'];
        const raw = await report(write(rawCsv(rows)), [...by, '--weight-col', 'minutes']);
        const rolled = await report(write(rollupCsv(rows)), by);
        expectSameReport(rolled, raw);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('whatever the order of its rows, and with detected campaigns', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, async (rows) => {
        const text = rollupCsv(rows);
        const [header, ...lines] = text.trimEnd().split('\n');
        const reversed = `${header}\n${lines.reverse().join('\n')}\n`;
        const raw = await runInProcess(['report', write(rawCsv(rows)), '--weight-col', 'minutes', '--format', 'json'], { cwd: dir });
        const rolled = await runInProcess(['report', write(reversed), '--format', 'json'], { cwd: dir });
        expect(rolled.code).toBe(raw.code);
        if (raw.code === 0) expectSameReport(JSON.parse(rolled.stdout) as Report, JSON.parse(raw.stdout) as Report);
      }),
      { numRuns: 20, seed: 12 },
    );
  });
});
