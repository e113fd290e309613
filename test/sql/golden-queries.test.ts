import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildRollupQuery, type RollupQueryOptions } from '../../src/sql/build-rollup-query.js';
import { SQL_DIALECTS } from '../../src/sql/dialect.js';

/**
 * The generated SQL, one file per dialect and case, reviewed by eye: they are
 * the documentation of record. UPDATE_GOLDEN=1 rewrites them after a deliberate change.
 */
const GOLDEN = (name: string) => fileURLToPath(new URL(`./golden/${name}.sql`, import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

type Case = Omit<RollupQueryOptions, 'dialect'>;
const CASES: Record<string, Case> = {
  // The least: UTC instants, every interaction weighs 1, no dimensions.
  minimal: { source: 'calls', stakeholderCol: 'account_id', timestampCol: 'call_ts' },
  // A qualified table, a weight, two dimensions (one needing quotes), a zone with daylight saving.
  'instant-paris': {
    source: 'crm.activity.calls',
    stakeholderCol: 'Account_vod__c',
    timestampCol: 'Call_Datetime_vod__c',
    weightCol: 'minutes',
    by: ['channel', 'stakeholder "type"'],
    tz: 'Europe/Paris',
  },
  'utc-new-york': { source: 'calls', stakeholderCol: 'account_id', timestampCol: 'call_ts', tz: 'America/New_York', timestampType: 'utc' },
  'wall-paris': { source: 'calls', stakeholderCol: 'account_id', timestampCol: 'call_ts', by: ['channel'], tz: 'Europe/Paris', timestampType: 'wall' },
  'text-paris': { source: 'calls', stakeholderCol: 'account_id', timestampCol: 'call_ts', weightCol: 'minutes', tz: 'Europe/Paris', timestampType: 'text' },
};
const TEXT_DIALECTS = new Set(['duckdb', 'postgres']);

describe('generated SQL matches the golden files', () => {
  for (const dialect of SQL_DIALECTS) {
    for (const [name, options] of Object.entries(CASES)) {
      if (options.timestampType === 'text' && !TEXT_DIALECTS.has(dialect)) continue;
      it(`${dialect} ${name}`, () => {
        const sql = buildRollupQuery({ dialect, ...options });
        const file = GOLDEN(`${dialect}-${name}`);
        if (UPDATE || !existsSync(file)) {
          if (!UPDATE) throw new Error(`missing golden file ${file}; run with UPDATE_GOLDEN=1 and review it`);
          writeFileSync(file, sql);
        }
        expect(sql).toBe(readFileSync(file, 'utf8'));
      });
    }
  }
});

describe('options the query cannot honour are refused', () => {
  const base = { dialect: 'postgres', source: 't', stakeholderCol: 's', timestampCol: 't' } as const;
  it.each([
    ['text on a dialect without it', { ...base, dialect: 'bigquery', timestampType: 'text' }, /not available for bigquery/],
    ['a dimension named like a rollup column', { ...base, by: ['volume'] }, /a rollup column has this name/],
    ['a dimension that is the stakeholder column', { ...base, by: ['s'] }, /already mapped/],
    ['the same dimension twice', { ...base, by: ['c', 'c'] }, /given twice/],
    ['an empty part in the table name', { ...base, source: 'crm..calls' }, /not a table name/],
    ['one column in two roles', { ...base, weightCol: 's' }, /three different columns/],
  ] as const)('%s', (_, options, message) => {
    expect(() => buildRollupQuery(options as RollupQueryOptions)).toThrow(message);
  });

  it('quotes identifiers and literals so that names cannot break out', () => {
    const sql = buildRollupQuery({ dialect: 'postgres', source: 'a"b', stakeholderCol: 'x"; DROP TABLE t; --', timestampCol: 'ts', tz: "Europe/Paris" });
    expect(sql).toContain(`FROM "a""b"`);
    expect(sql).toContain(`"x""; DROP TABLE t; --"`);
    const bq = buildRollupQuery({ dialect: 'bigquery', source: 'p.d.t', stakeholderCol: 'a`b', timestampCol: 'ts' });
    expect(bq).toContain('`a\\`b`');
    const spark = buildRollupQuery({ dialect: 'spark', source: 'd.t', stakeholderCol: 'a`b', timestampCol: 'ts' });
    expect(spark).toContain('FROM `d`.`t`');
    expect(spark).toContain('`a``b`');
  });
});
