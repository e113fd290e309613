import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

const WORKED = ['fixtures/spec/worked-example.csv', '--events', 'fixtures/spec/worked-example-events.csv', '--before', '2', '--after', '2', '--profile-days', '5', '--settle-days', '2'];
const DEMO = ['fixtures/demo/interactions.csv', '--events', 'fixtures/demo/events.csv', '-q'];
const dir = mkdtempSync(join(tmpdir(), 'engage-audit-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noGithub = { GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' };

describe('check exit codes', () => {
  it('exits 1 when the overall spikiness (3.4 in SPEC §7) exceeds 3', () => {
    const r = runCli(['check', ...WORKED, '--max-spikiness', '3'], { env: noGithub });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('FAIL: overall spikiness 3.40 > 3\nengage-audit check: FAILED (1 of 1 threshold breached)\n');
  });

  it('passes the same small-count breach with --significant (ciLow 0.68 ≤ 3)', () => {
    const r = runCli(['check', ...WORKED, '--max-spikiness', '3', '--significant'], { env: noGithub });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('engage-audit check: passed (1 threshold within limits)\n');
  });

  it('exits 0 when every threshold passes', () => {
    expect(runCli(['check', ...WORKED, '--max-spikiness', '3.5'], { env: noGithub }).code).toBe(0);
  });

  it('exits 0 on a breach with --no-exit-code, still reporting it', () => {
    const r = runCli(['check', ...WORKED, '--max-spikiness', '3', '--no-exit-code'], { env: noGithub });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FAILED');
  });

  it('exits 2 without any threshold, before reading the input', () => {
    const r = runCli(['check', 'does-not-exist.csv'], { env: noGithub });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('check needs at least one threshold');
    expect(r.stdout).toBe('');
  });

  it('exits 2 for --max-flagged-share as the only limit, naming the one it is a share of', () => {
    const r = runCli(['check', ...WORKED, '--max-flagged-share', '0.2'], { env: noGithub });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'engage-audit: error: --max-flagged-share needs --max-stakeholder-spikiness\n  It is the share of scored stakeholders allowed over that limit: add --max-stakeholder-spikiness X.\n',
    );
  });

  it('exits 2 for --max-segment-spikiness without --by', () => {
    const r = runCli(['check', ...WORKED, '--max-segment-spikiness', '3'], { env: noGithub });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--by');
  });

  it('exits 2 on a bad threshold value', () => {
    const r = runCli(['check', ...WORKED, '--max-flagged-share', '1.5'], { env: noGithub });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-flagged-share: must be between 0 and 1/);
  });
});

describe('check outputs', () => {
  it('puts every threshold result in the JSON report under gate', () => {
    const r = runCli(['check', ...DEMO, '--by', 'stakeholder_type', '--max-spikiness', '3', '--max-segment-spikiness', '4', '--format', 'json'], { env: noGithub });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.gate).toHaveLength(4);
    for (const g of report.gate!) expect(Object.keys(g).sort()).toEqual(['actual', 'id', 'limit', 'metric', 'passed', 'scope']);
    expect(report.gate!.find((g) => g.id === 'stakeholder_type=patient')).toMatchObject({ passed: true });
    expect(report.settings.maxSpikiness).toBe(3);
  });

  it('reads thresholds from the config file', () => {
    const cwd = mkdtempSync(join(dir, 'cfg-'));
    copyFileSync(join(ROOT, 'fixtures/spec/worked-example.csv'), join(cwd, 'log.csv'));
    writeFileSync(join(cwd, 'engage-audit.config.json'), JSON.stringify({ events: [{ name: 'E1', start: '2024-01-10' }], before: 2, after: 2, profileDays: 5, settleDays: 2, maxSpikiness: 3 }));
    expect(runCli(['check', 'log.csv'], { cwd, env: noGithub }).code).toBe(1);
    expect(runCli(['check', 'log.csv', '--max-spikiness', '4'], { cwd, env: noGithub }).code).toBe(0);
  });

  it('writes GitHub annotations on GitHub Actions and appends the job summary', () => {
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = runCli(['check', ...WORKED, '--max-spikiness', '3'], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('::error title=engage-audit%3A overall spikiness ≤ 3::FAIL: overall spikiness 3.40 > 3');
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n')).toBe(true);
    expect(text).toContain('| ❌ fail | overall spikiness ≤ 3 | overall | 3.40 |');
  });

  it('writes JUnit XML with one testcase per threshold', () => {
    const junit = join(dir, 'junit.xml');
    const r = runCli(['check', ...DEMO, '--max-spikiness', '3', '--max-dark-share', '0.99', '--junit', junit], { env: noGithub });
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });
});

describe('init', () => {
  it('writes a config that validates and an events template, and refuses to overwrite', () => {
    const cwd = mkdtempSync(join(dir, 'init-'));
    const first = runCli(['init'], { cwd });
    expect(first.code).toBe(0);
    expect(existsSync(join(cwd, 'engage-audit.config.json'))).toBe(true);
    expect(readFileSync(join(cwd, 'events.csv'), 'utf8').split('\n')[0]).toBe('name,start,end,kind,before,after');
    const again = runCli(['init'], { cwd });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exist');
    expect(runCli(['init', '--force'], { cwd }).code).toBe(0);
    // The starter config is valid and its events template is used by report.
    copyFileSync(join(ROOT, 'fixtures/demo/interactions.csv'), join(cwd, 'log.csv'));
    const report = runCli(['report', 'log.csv', '--format', 'json', '-q'], { cwd });
    expect(report.code, report.stderr).toBe(0);
    expect((JSON.parse(report.stdout) as Report).events.map((e) => e.name)).toContain('Example Congress 2025');
  });
});
