import { loadConfig, resolveSettings } from '../config/load-config.js';
import { UsageError } from '../errors.js';
import { buildRollupQuery } from '../sql/build-rollup-query.js';
import { assertValidZone } from '../time/zone.js';
import type { CliIo } from './io.js';
import { FLAG_FOR_SETTING } from './shared-options.js';
import type { SqlFlags } from './sql-command.js';
import { writeOutput } from './write-output.js';

/** The mapping, zone and dimensions come from the flags over the config file, as for `report`. */
export async function runSql(flags: SqlFlags, io: CliIo): Promise<void> {
  const config = await loadConfig(io.cwd, flags.config);
  const settings = resolveSettings(
    config,
    { tz: flags.tz, by: flags.by, timestampCol: flags.timestampCol, stakeholderCol: flags.stakeholderCol, weightCol: flags.weightCol },
    (k) => FLAG_FOR_SETTING[k] ?? k,
  );
  assertValidZone(settings.tz, flags.tz !== undefined ? '--tz' : `${config.source ?? 'settings'}: tz`);
  const missing = [
    settings.stakeholderCol === undefined ? '--stakeholder-col' : null,
    settings.timestampCol === undefined ? '--timestamp-col' : null,
  ].filter((f) => f !== null);
  if (missing.length > 0) {
    throw new UsageError(
      `sql needs ${missing.join(' and ')}: the query cannot look at the table's columns to guess them`,
      'Name the columns as the table has them (quoted exactly, so mind their case), or set stakeholderCol and timestampCol in the config.',
    );
  }
  if (settings.dateFormat !== undefined && flags.timestampType === 'text') {
    throw new UsageError(
      `dateFormat "${settings.dateFormat}" (${config.source ?? 'settings'}) cannot be applied in SQL`,
      'Parse the column into a timestamp in a view, then use --timestamp-type instant, utc or wall.',
    );
  }
  const sql = buildRollupQuery({
    dialect: flags.dialect,
    source: flags.table,
    stakeholderCol: settings.stakeholderCol!,
    timestampCol: settings.timestampCol!,
    weightCol: settings.weightCol,
    by: settings.by,
    tz: settings.tz,
    timestampType: flags.timestampType,
  });
  await writeOutput(sql, flags.out, [], io);
}
