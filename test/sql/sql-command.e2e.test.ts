import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRollupQuery } from '../../src/sql/build-rollup-query.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ea-sql-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engage-audit sql', () => {
  it('prints the one query for the flags', () => {
    const r = runCli(['sql', '--dialect', 'snowflake', '--table', 'CRM.CALLS', '--stakeholder-col', 'ACCOUNT_ID', '--timestamp-col', 'CALL_TS', '--tz', 'Europe/Paris', '--by', 'CHANNEL,COUNTRY', '--weight-col', 'MINUTES']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      buildRollupQuery({ dialect: 'snowflake', source: 'CRM.CALLS', stakeholderCol: 'ACCOUNT_ID', timestampCol: 'CALL_TS', tz: 'Europe/Paris', by: ['CHANNEL', 'COUNTRY'], weightCol: 'MINUTES' }),
    );
  });

  it('takes the mapping, zone and dimensions from the config, flags winning', () => {
    writeFileSync(join(dir, 'engage-audit.config.json'), JSON.stringify({ stakeholderCol: 'acct', timestampCol: 'ts', tz: 'Asia/Tokyo', by: ['channel'] }));
    const r = runCli(['sql', '--dialect', 'postgres', '--table', 'calls', '--tz', 'UTC', '--out', 'q.sql'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'q.sql'), 'utf8')).toBe(
      buildRollupQuery({ dialect: 'postgres', source: 'calls', stakeholderCol: 'acct', timestampCol: 'ts', tz: 'UTC', by: ['channel'] }),
    );
  });

  it.each([
    [['--table', 't', '--stakeholder-col', 's', '--timestamp-col', 't'], /required option '--dialect/],
    [['--dialect', 'duckdb', '--stakeholder-col', 's', '--timestamp-col', 't'], /required option '--table/],
    [['--dialect', 'oracle', '--table', 't'], /--dialect.*oracle.*Allowed choices/s],
    [['--dialect', 'duckdb', '--table', 't'], /sql needs --stakeholder-col and --timestamp-col/],
    [['--dialect', 'duckdb', '--table', 't', '--stakeholder-col', 's', '--timestamp-col', 't', '--tz', 'Mars/Base'], /not a known IANA time zone/],
    [['--dialect', 'spark', '--table', 't', '--stakeholder-col', 's', '--timestamp-col', 't', '--timestamp-type', 'text'], /not available for spark/],
  ])('exits 2 on %j', (args, message) => {
    const r = runCli(['sql', ...args], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
