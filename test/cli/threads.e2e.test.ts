import { readFileSync } from 'node:fs';
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

  it('refuses --threads 0 with exit 2', () => {
    const r = runCli(['report', DEMO_LOG, '--threads', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--threads 0: needs at least 1');
    expect(r.stdout).toBe('');
  });
});
