import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { runInProcess } from '../helpers/run-in-process.js';

/**
 * Invariants of the whole pipeline, run in-process on generated CSV files:
 * the order of rows and how they are split into files never change the
 * report, and scaling every weight by k scales volumes and rates by k and
 * leaves spikiness, rate ratio and the interval unchanged.
 */

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

const rowArb = fc.record({
  stakeholder: fc.constantFrom('HCP-001', 'HCP-002', 'PO-01', 'PAT-9', '00123'),
  dayOffset: fc.integer({ min: 0, max: 119 }),
  minute: fc.integer({ min: 0, max: 1439 }),
  quarters: fc.integer({ min: 1, max: 12 }),
  type: fc.constantFrom('hcp', 'patient'),
});
type Row = { stakeholder: string; dayOffset: number; minute: number; quarters: number; type: string };

function csv(rows: Row[], weightFactor = 1): string {
  const lines = rows.map((r) => {
    const t = new Date(Date.UTC(2024, 0, 1 + r.dayOffset, 0, r.minute)).toISOString();
    return `${t},${r.stakeholder},${r.type},${(r.quarters / 4) * weightFactor}`;
  });
  return `timestamp,stakeholder_id,stakeholder_type,minutes\n${lines.join('\n')}\n`;
}

function write(text: string): string {
  const path = join(dir, `log-${counter++}.csv`);
  writeFileSync(path, text);
  return path;
}

const EVENTS = ['--event', 'Spring=2024-02-10..2024-02-12', '--event', 'Summer=2024-04-01', '--before', '5', '--after', '5'];

async function report(files: string[], extra: string[] = []): Promise<Report> {
  const r = await runInProcess(['report', ...files, ...EVENTS, '--weight-col', 'minutes', '--by', 'stakeholder_type', '--format', 'json', ...extra], { cwd: dir });
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

/** The report minus what legitimately names the inputs. */
function comparable(r: Report): unknown {
  return { ...r, input: { ...r.input, files: undefined, rejectReasons: undefined } };
}

const logArb = fc
  .array(rowArb, { minLength: 4, maxLength: 80 })
  .filter((rows) => rows.some((r) => r.dayOffset >= 35 && r.dayOffset <= 47) && rows.some((r) => r.dayOffset < 30 || r.dayOffset > 100));

describe('report invariants', () => {
  it('does not depend on row order', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.infiniteStream(fc.nat()), async (rows, rnd) => {
        const shuffled = rows
          .map((r) => ({ r, k: rnd.next().value }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r);
        expect(comparable(await report([write(csv(shuffled))]))).toEqual(comparable(await report([write(csv(rows))])));
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  it('does not depend on how rows are split between files', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.nat(), async (rows, cut) => {
        const k = cut % (rows.length + 1);
        const whole = await report([write(csv(rows))]);
        const split = await report([write(csv(rows.slice(0, k))), write(csv(rows.slice(k)))].filter((_, i) => (i === 0 ? k > 0 : k < rows.length)));
        expect(comparable(split)).toEqual(comparable(whole));
      }),
      { numRuns: 25, seed: 8 },
    );
  });

  it('scales volumes and rates by k and leaves spikiness, rate ratio and interval unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.constantFrom(2, 3, 0.5, 10), async (rows, k) => {
        const a = await report([write(csv(rows))]);
        const b = await report([write(csv(rows, k))]);
        const rel = (x: number | null, y: number | null, factor: number) => {
          if (x === null || y === null) return expect(y).toBe(x);
          expect(Math.abs(y - x * factor)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x * factor)));
        };
        for (const [sa, sb] of [[a.overall, b.overall], ...a.segments.map((s, i) => [s, b.segments[i]] as const)] as const) {
          rel(sa.volume, sb.volume, k);
          rel(sa.windowRate, sb.windowRate, k);
          rel(sa.baselineRate, sb.baselineRate, k);
          rel(sa.spikiness, sb.spikiness, 1);
          rel(sa.rateRatio, sb.rateRatio, 1);
          rel(sa.ciLow, sb.ciLow, 1);
          rel(sa.ciHigh, sb.ciHigh, 1);
          expect(sb.interactions).toBe(sa.interactions);
        }
        a.stakeholders.forEach((s, i) => {
          const t = b.stakeholders.find((x) => x.id === s.id)!;
          rel(s.volume, t.volume, k);
          rel(s.spikiness, t.spikiness, 1);
          rel(s.ciLow, t.ciLow, 1);
          rel(s.ciHigh, t.ciHigh, 1);
          expect(t.burstiness).toBe(s.burstiness);
          expect(i).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: 25, seed: 9 },
    );
  });

  it('keeps identifiers as text (00123 stays 00123)', async () => {
    const r = await report([write(csv([{ stakeholder: '00123', dayOffset: 40, minute: 600, quarters: 4, type: 'hcp' }, { stakeholder: '00123', dayOffset: 2, minute: 600, quarters: 4, type: 'hcp' }]))]);
    expect(r.stakeholders.map((s) => s.id)).toEqual(['00123']);
  });
});
