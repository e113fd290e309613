import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_EVENTS, DEMO_LOG, makeTempDir, runCli } from './e2e-helpers.js';

const { dir, cleanup } = makeTempDir('threads');
afterAll(cleanup);

/** Small ranges and no size threshold, so the demo log is read by workers in many pieces. */
const PARALLEL_ENV = { ENGAGE_AUDIT_PARALLEL_MIN_BYTES: '1', ENGAGE_AUDIT_RANGE_BYTES: '2000' };

describe('report --threads', () => {
  for (const format of ['json', 'csv', 'markdown']) {
    it(`writes the same ${format} report, warnings and rejects with worker threads as on one thread`, () => {
      const run = (threads: string): { code: number; stdout: string; stderr: string; rejects: string } => {
        const rejects = join(dir, `rejects-${format}-${threads}.csv`);
        const r = runCli(['report', DEMO_LOG, '--events', DEMO_EVENTS, '--by', 'channel', '--format', format, '--threads', threads, '--rejects', rejects], { env: PARALLEL_ENV });
        return { ...r, stderr: r.stderr.replaceAll(rejects, 'REJECTS'), rejects: readFileSync(rejects, 'utf8') };
      };
      const one = run('1');
      const two = run('2');
      expect(one.code).toBe(0);
      expect(two).toEqual(one);
      // The demo's three bad rows, with their lines.
      expect(one.rejects.trim().split('\n')).toHaveLength(4);
    });
  }

  it('gives the same weighted report (a weight column is sent row by row)', () => {
    const args = ['report', DEMO_LOG, '--events', DEMO_EVENTS, '--weight-col', 'minutes', '--format', 'json'];
    const one = runCli([...args, '--threads', '1'], { env: PARALLEL_ENV });
    const three = runCli([...args, '--threads', '3'], { env: PARALLEL_ENV });
    expect(one.code).toBe(0);
    expect(three).toEqual(one);
  });

  it('gives the same report from a sorted rollup (whose batches the ledger keeps whole) on one thread, on workers, and shuffled', () => {
    // 60 stakeholders over 2024–2025, each on about one day in four; integral gap sums keep every total exact
    // in any order of addition, so the shuffled copy (filed cell by cell) must agree to the last digit.
    const rows: string[] = [];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let s = 0; s < 60; s++) {
      for (let d = 0; d < 730; d++) {
        if (next() > 0.25) continue;
        const day = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
        const n = 1 + Math.floor(next() * 6);
        const w = 1 + Math.floor(next() * 4);
        const gaps = rows.length === 0 || !rows[rows.length - 1].startsWith(`HCP-${s},`) ? n - 1 : n;
        const gap = 3600 * (1 + Math.floor(next() * 40));
        rows.push(`HCP-${s},${day},${n},${n * w},${n * w * w},${gaps},${gaps * gap},${gaps * gap * gap}`);
      }
    }
    const header = 'stakeholder,day,interactions,volume,volume_sq,gap_count,gap_sum,gap_sum_sq';
    const sorted = join(dir, 'sorted-rollup.csv');
    const shuffled = join(dir, 'shuffled-rollup.csv');
    writeFileSync(sorted, `${header}\n${rows.join('\n')}\n`);
    const mixed = [...rows];
    for (let i = mixed.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [mixed[i], mixed[j]] = [mixed[j], mixed[i]];
    }
    writeFileSync(shuffled, `${header}\n${mixed.join('\n')}\n`);
    // Ranges of 2,000 bytes cut every stakeholder's run (its series are copies); of 60,000, most runs lie in one batch (views).
    for (const [period, rangeBytes] of [[[], '2000'], [[], '60000'], [['--from', '2024-03-01', '--to', '2025-06-30'], '60000']] as const) {
      const run = (file: string, threads: string): { code: number; stdout: string; stderr: string } => {
        const env = { ...PARALLEL_ENV, ENGAGE_AUDIT_RANGE_BYTES: rangeBytes };
        const r = runCli(['report', file, '--events', DEMO_EVENTS, '--format', 'json', '--threads', threads, ...period], { env });
        // The input's name is the only field that may differ between the two files.
        return { ...r, stdout: r.stdout.replaceAll(file, 'ROLLUP') };
      };
      const one = run(sorted, '1');
      expect(one.code).toBe(0);
      expect(JSON.parse(one.stdout).input.rowsRead).toBe(rows.length);
      expect(run(sorted, '2')).toEqual(one);
      expect(run(shuffled, '1')).toEqual(one);
      expect(run(shuffled, '2')).toEqual(one);
    }
  });

  it('refuses --threads 0 with exit 2', () => {
    const r = runCli(['report', DEMO_LOG, '--threads', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--threads 0: needs at least 1');
    expect(r.stdout).toBe('');
  });
});
