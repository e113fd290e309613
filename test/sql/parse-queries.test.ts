import nodeSqlParser from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { buildRollupQuery } from '../../src/sql/build-rollup-query.js';
import { TIMESTAMP_TYPES, type SqlDialectName } from '../../src/sql/dialect.js';

/**
 * node-sql-parser's grammar for each dialect we cannot execute here. DuckDB has
 * no grammar in it (and PostgreSQL's rejects DuckDB's TRY_CAST); DuckDB and
 * PostgreSQL are executed by rollup-duckdb.test.ts and rollup-postgres.test.ts.
 * Spark is checked with the Hive grammar, the closest it has.
 */
const GRAMMAR: Partial<Record<SqlDialectName, string>> = {
  postgres: 'postgresql',
  redshift: 'redshift',
  bigquery: 'bigquery',
  snowflake: 'snowflake',
  spark: 'hive',
};
const TEXT_DIALECTS = new Set<SqlDialectName>(['duckdb', 'postgres']);

const parser = new nodeSqlParser.Parser();

describe('the generated SQL parses in its dialect', () => {
  for (const [dialect, database] of Object.entries(GRAMMAR) as [SqlDialectName, string][]) {
    for (const timestampType of TIMESTAMP_TYPES.filter((t) => t !== 'text' || TEXT_DIALECTS.has(dialect))) {
      for (const tz of ['UTC', 'Europe/Paris']) {
        it(`${dialect} (${database} grammar), ${timestampType}, ${tz}`, () => {
          for (const extra of [{}, { weightCol: 'minutes', by: ['channel', 'country code'] }]) {
            const sql = buildRollupQuery({ dialect, source: 'crm.calls', stakeholderCol: 'account_id', timestampCol: 'call ts', tz, timestampType, ...extra });
            const ast = parser.astify(sql, { database });
            // One statement, a SELECT with a WITH clause: the whole text was read, not a prefix.
            const statements = Array.isArray(ast) ? ast : [ast];
            expect(statements).toHaveLength(1);
            expect(statements[0]).toMatchObject({ type: 'select' });
            expect((statements[0] as { with?: unknown[] }).with?.length).toBeGreaterThan(4);
          }
        });
      }
    }
  }

  it('the grammars do reject broken SQL (so the checks above can fail)', () => {
    const sql = buildRollupQuery({ dialect: 'snowflake', source: 'calls', stakeholderCol: 'a', timestampCol: 'b' });
    for (const database of Object.values(GRAMMAR)) {
      expect(() => parser.astify(sql.replace('GROUP BY', 'GROUP'), { database })).toThrow();
    }
  });
});
