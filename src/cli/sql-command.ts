import { Option, type Command } from 'commander';
import { SQL_DIALECTS, TIMESTAMP_TYPES, type SqlDialectName, type TimestampType } from '../sql/dialect.js';
import type { CliIo } from './io.js';
import { collectList } from './shared-options.js';

export interface SqlFlags {
  dialect: SqlDialectName;
  table: string;
  timestampCol?: string;
  stakeholderCol?: string;
  weightCol?: string;
  timestampType: TimestampType;
  tz?: string;
  by?: string[];
  config?: string;
  out?: string;
  debug?: boolean;
}

const EXAMPLES = `
Examples:
  $ engage-audit sql --dialect snowflake --table CRM.ACTIVITY.CALLS --stakeholder-col ACCOUNT_ID --timestamp-col CALL_TS
  $ engage-audit sql --dialect bigquery --table my-project.crm.calls --stakeholder-col account_id \\
      --timestamp-col call_ts --tz Europe/Paris --by channel,country --out rollup.sql
  $ engage-audit sql --dialect postgres --table crm.calls --stakeholder-col account_id --timestamp-col call_time --timestamp-type utc

Timestamp types: instant (default; TIMESTAMPTZ, BigQuery TIMESTAMP, Snowflake TIMESTAMP_TZ/LTZ, Spark TIMESTAMP),
utc (a zone-less timestamp holding UTC), wall (a zone-less timestamp holding the --tz wall clock),
text (ISO 8601 or epoch text read as the report command reads it; duckdb and postgres only).
Run the query in the warehouse, export its result, then: engage-audit report rollup.csv --input-format rollup
Exit codes: 0 query written, 2 usage or configuration error.`;

export function defineSqlCommand(program: Command, io: CliIo, exec: (fn: () => Promise<void>) => Promise<void>): void {
  program
    .command('sql')
    .description('print the SQL that reduces a warehouse table to a rollup the report reads')
    .addOption(new Option('--dialect <dialect>', 'SQL engine the query is written for').choices(SQL_DIALECTS).makeOptionMandatory())
    .requiredOption('--table <name>', 'table or view holding the interactions (schema.table allowed)')
    .option('--stakeholder-col <name>', 'column holding the stakeholder id')
    .option('--timestamp-col <name>', 'column holding the timestamp')
    .option('--weight-col <name>', 'column holding a positive weight (default: every interaction weighs 1)')
    .addOption(new Option('--timestamp-type <type>', 'what the timestamp column holds').choices(TIMESTAMP_TYPES).default('instant'))
    .option('--tz <zone>', 'IANA time zone of the report calendar (default: UTC)')
    .option('--by <dimensions>', 'one rollup column per dimension (comma-separated or repeated)', collectList)
    .option('--config <file>', 'settings file (default: engage-audit.config.json, .engage-auditrc.json or package.json#engage-audit)')
    .option('-o, --out <file>', 'write the query to a file instead of standard output')
    .option('--debug', 'show stack traces of internal errors')
    .addHelpText('after', EXAMPLES)
    .action((flags: SqlFlags) => exec(async () => (await import('./run-sql.js')).runSql(flags, io)));
}
