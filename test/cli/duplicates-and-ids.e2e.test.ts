import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonReport, runCli } from './e2e-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-dups-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const HEADER = 'timestamp,stakeholder_id,channel,minutes';
const FIRST = file(
  'first.csv',
  [
    HEADER,
    '2024-01-02T09:00:00Z,A,call,10',
    '2024-01-02T09:00:00Z,A,call,10', // duplicate 1
    '2024-01-02T09:00:00Z,A,call,12', // differs in one field: not a duplicate
    '2024-01-10T09:00:00Z,A,email,1',
    '2024-01-20T09:00:00Z,A,call,5',
    '2024-01-20T09:00:00Z,B,call,5', // differs in the id only
    '',
  ].join('\n'),
);
const SECOND = file('second.csv', [HEADER, '2024-01-20T09:00:00Z,A,call,5', '2024-01-25T09:00:00Z,A,call,5', ''].join('\n')); // first row repeats FIRST's (overlapping export)
const ARGS = [FIRST, SECOND, '--event', 'E=2024-01-10', '--before', '1', '--after', '1', '--weight-col', 'minutes', '--min-interactions', '1'];

describe('exact duplicate rows', () => {
  it('are kept by default, counted in the report and warned about, across files', () => {
    const { report, result } = jsonReport(ARGS);
    expect(report.input.duplicateRows).toBe(2);
    expect(report.input.rowsRead).toBe(8);
    expect(report.input.rowsUsed).toBe(8);
    expect(report.input.rowsRejected).toBe(0);
    expect(report.stakeholders.find((s: { id: string }) => s.id === 'A').interactions).toBe(7);
    expect(result.stderr).toContain('2 rows are exact duplicates of earlier rows and are counted twice (--dedupe drops them)');
  });

  it('are dropped with --dedupe, as rejects with reason "duplicate" that --strict tolerates', () => {
    const rejects = join(dir, 'rejects.csv');
    const { report, result } = jsonReport([...ARGS, '--dedupe', '--strict', '--rejects', rejects]);
    expect(report.settings.dedupe).toBe(true);
    expect(report.input.duplicateRows).toBe(2);
    expect(report.input.rowsRead).toBe(8);
    expect(report.input.rowsUsed).toBe(6);
    expect(report.input.rowsRejected).toBe(2);
    expect(report.input.rejectReasons.map((r: { reason: string; count: number }) => [r.reason, r.count])).toEqual([['duplicate', 2]]);
    const a = report.stakeholders.find((s: { id: string }) => s.id === 'A');
    expect(a.interactions).toBe(5);
    expect(a.volume).toBe(10 + 12 + 1 + 5 + 5);
    const lines = readFileSync(rejects, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${FIRST},3,duplicate,,exact duplicate of an earlier row (dropped by --dedupe)`);
    expect(lines[2]).toContain(`${SECOND},2,duplicate,`);
    expect(result.stderr).not.toContain('counted twice');
  });

  it('are named in the table and markdown summaries', () => {
    const table = runCli(['report', ...ARGS], { env: { NO_COLOR: '1' } });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('2 rows are exact duplicates of earlier rows: kept and counted (--dedupe drops them).');
    const md = runCli(['report', ...ARGS, '--dedupe', '--format', 'markdown']);
    expect(md.stdout).toContain('2 rows are exact duplicates of earlier rows: dropped (--dedupe), counted as rejected.');
  });
});

describe('identifiers are text', () => {
  it('keep leading zeros and exponents, and are trimmed and NFC-normalised', () => {
    const nfc = 'Zo\u00eb';
    const nfd = 'Zoe\u0308';
    const log = file(
      'ids.csv',
      [
        'timestamp,stakeholder_id,region',
        '2024-01-01T09:00:00Z,00123,M\u00fcnchen',
        '2024-01-05T09:00:00Z,1e5,x',
        '2024-01-06T09:00:00Z,0x1F,x',
        `2024-01-07T09:00:00Z,${nfc},M\u00fcnchen`,
        `2024-01-08T09:00:00Z,${nfd},Mu\u0308nchen`,
        '2024-01-09T09:00:00Z,  00123  ,M\u00fcnchen',
        '2024-01-20T09:00:00Z,123,x',
        '',
      ].join('\n'),
    );
    const { report } = jsonReport([log, '--event', 'E=2024-01-08', '--before', '1', '--after', '1', '--min-interactions', '1', '--by', 'region']);
    const ids = report.stakeholders.map((s: { id: string }) => s.id).sort();
    expect(ids).toEqual(['00123', '0x1F', '123', '1e5', nfc].sort());
    expect(report.stakeholders.find((s: { id: string }) => s.id === nfc).interactions).toBe(2);
    expect(report.stakeholders.find((s: { id: string }) => s.id === '00123').interactions).toBe(2);
    expect(report.segments.map((s: { value: string }) => s.value).sort()).toEqual(['M\u00fcnchen', 'x']);
  });
});
