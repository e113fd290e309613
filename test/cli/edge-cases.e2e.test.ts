import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-edges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const WORKED = ['fixtures/spec/worked-example.csv', '--events', 'fixtures/spec/worked-example-events.csv', '--before', '2', '--after', '2', '--profile-days', '5', '--settle-days', '2'];

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('edge cases', () => {
  it('rejects weights whose squares would overflow, keeping the interval finite', () => {
    const f = file('huge-weights.csv', 'timestamp,stakeholder,w\n2024-01-01T10:00:00Z,A,1e200\n2024-01-10T10:00:00Z,A,2\n2024-01-20T10:00:00Z,A,3\n');
    const r = runCli(['report', f, '--weight-col', 'w', '--event', 'E=2024-01-10', '--before', '1', '--after', '1', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.input.rowsRejected).toBe(1);
    expect(report.input.rejectReasons[0].examples[0].message).toContain('outside the supported range');
    expect(report.overall.ciLow).not.toBeNull();
  });

  it('a column the header names twice: --by reads each, neither overwrites the other', () => {
    const f = file('repeated-header.csv', 'timestamp,stakeholder,channel,channel\n2024-01-01T10:00:00Z,A,call,x\n2024-01-10T10:00:00Z,A,email,y\n2024-01-20T10:00:00Z,B,call,x\n');
    const run = (by: string) => {
      const r = runCli(['report', f, '--event', 'E=2024-01-10', '--before', '1', '--after', '1', '--by', by, '--format', 'json', '-q']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as Report).segments.map((s) => `${s.dimension}=${s.value}:${s.interactions}`).sort();
    };
    expect(run('channel')).toEqual(['channel=call:2', 'channel=email:1']);
    expect(run('channel_1')).toEqual(['channel_1=x:2', 'channel_1=y:1']);
  });

  it('a column named __proto__ is a dimension like any other, on stakeholder rows in JSON and CSV', () => {
    const f = file('proto.csv', 'timestamp,stakeholder_id,__proto__\n2024-01-01T10:00:00Z,A,x\n2024-01-10T10:00:00Z,A,x\n2024-01-20T10:00:00Z,A,x\n');
    const args = ['report', f, '--event', 'E1=2024-01-10', '--before', '2', '--after', '2', '-q'];
    const json = runCli([...args, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const row = (JSON.parse(json.stdout) as Report).stakeholders[0] as unknown as Record<string, unknown>;
    expect(Object.keys(row).slice(0, 2)).toEqual(['id', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
    const csv = runCli([...args, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0].startsWith('id,__proto__,interactions')).toBe(true);
    expect(csv.stdout.split('\n')[1].startsWith('A,x,3')).toBe(true);
  });

  it('sorts segments of several --by dimensions by spikiness, descending, as SPEC §6 sorts rows', () => {
    const r = runCli(['report', 'fixtures/demo/interactions.csv', '--events', 'fixtures/demo/events.csv', '--by', 'channel,stakeholder_type', '--format', 'json', '-q']);
    expect(r.code, r.stderr).toBe(0);
    const segments = (JSON.parse(r.stdout) as Report).segments;
    const scores = segments.map((s) => s.spikiness).filter((x): x is number => x !== null);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Not one dimension's segments, then the other's.
    const dims = segments.map((s) => s.dimension);
    expect(dims.lastIndexOf('channel')).toBeGreaterThan(dims.indexOf('stakeholder_type'));
  });

  it('names --to when it is before the first day with data', () => {
    const r = runCli(['report', ...WORKED, '--to', '2023-12-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--to 2023-12-01 is before the first day with data (2024-01-01)');
  });

  it('names --from when it is after the last day with data', () => {
    const r = runCli(['report', ...WORKED, '--from', '2024-02-01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from 2024-02-01 is after the last day with data (2024-01-20)');
  });

  it('says "daily", not "dayly"', () => {
    const r = runCli(['report', ...WORKED, '--timeline', 'day']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Timeline (daily)');
    expect(r.stdout).not.toContain('dayly');
  });

  it('warns when epoch-like numbers stretch the period back to 1970', () => {
    const f = file('compact-dates.csv', 'timestamp,stakeholder\n20240115,A\n2024-01-16T10:00:00Z,A\n');
    const r = runCli(['report', f, '--format', 'json']);
    expect(r.code).toBe(0);
    // 20240115 s is 1970-08-23 (day 234); 2024-01-16 is day 19738: 19738 − 234 + 1 days, and line 2 is the culprit.
    expect(r.stderr).toContain(`warning: the observation period starts on 1970-08-23 (19,505 days), from ${f}:2: a stray early timestamp`);
    expect(r.stderr).toContain('or set --from');
  });

  it('shows a threshold that had nothing to measure, and still passes', () => {
    // A flat log: no burst is detected, so there is no window and no spikiness.
    const lines = ['timestamp,stakeholder'];
    for (let w = 0; w < 12; w++) lines.push(`${new Date(Date.UTC(2024, 0, 2 + 7 * w, 10)).toISOString()},a`);
    const f = file('flat.csv', `${lines.join('\n')}\n`);
    const r = runCli(['check', f, '--max-spikiness', '2', '-q'], { env: { GITHUB_ACTIONS: '' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('n/a: overall spikiness ≤ 2: nothing to measure');
    expect(r.stdout).toContain('engage-audit check: passed (the threshold could not be measured; nothing breached)');
  });

  it('calls a --significant stakeholder threshold by its measure', () => {
    const r = runCli(['check', 'fixtures/demo/interactions.csv', '--events', 'fixtures/demo/events.csv', '-q', '--max-stakeholder-spikiness', '5', '--significant'], { env: { GITHUB_ACTIONS: '' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/of scored stakeholders have rate ratio lower CI bound \(ciLow\) > 5/);
  });

  it('records the declared events actually used in settings.events', () => {
    const r = runCli(['report', 'fixtures/spec/worked-example.csv', '--event', 'E1=2024-01-10', '--before', '2', '--after', '2', '--format', 'json']);
    expect((JSON.parse(r.stdout) as Report).settings.events).toEqual(['--event E1=2024-01-10']);
  });
});
