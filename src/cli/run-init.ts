import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { settingsSchema, type Settings } from '../config/settings.js';
import type { CliIo } from './io.js';
import type { InitFlags } from './init-command.js';

/**
 * JSON has no comments; keys starting with "$" are ignored by the loader, so
 * the starter explains itself without breaking validation.
 */
export const STARTER_CONFIG = {
  $comment: [
    'engage-audit settings. Flags override these; delete what you do not need.',
    'events: a CSV/JSON/YAML file (relative to this file) or an inline list. Without it, campaigns are detected from the data.',
    'tz: IANA time zone of the report calendar. before/after: window days around each event.',
    'minInteractions: fewest interactions to score a stakeholder. flagAbove: spikiness that flags one.',
    'by: columns to segment by. timestampCol/stakeholderCol: only if the header names are not recognised.',
    'maxSpikiness, maxStakeholderSpikiness + maxFlaggedShare, maxSegmentSpikiness, maxDarkShare, significant: thresholds of `engage-audit check`.',
  ],
  events: 'events.csv',
  // The defaults come from the settings schema, so the starter cannot drift from them.
  ...pickDefaults(['tz', 'before', 'after', 'minInteractions', 'silenceDays', 'profileDays', 'settleDays', 'tolerance', 'confidence', 'flagAbove', 'by']),
  maxSpikiness: 3,
  significant: true,
};

function pickDefaults<K extends keyof Settings>(keys: K[]): Pick<Settings, K> {
  const defaults = settingsSchema.parse({});
  return Object.fromEntries(keys.map((k) => [k, defaults[k]])) as Pick<Settings, K>;
}

export const STARTER_EVENTS = `name,start,end,kind,before,after
Example Congress 2025,2025-06-12,2025-06-15,congress,,
Example Product Launch,2025-09-01,,launch,7,28
Example Guideline Update,2025-11-20,,guideline,,
`;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function runInit(flags: InitFlags, io: CliIo): Promise<void> {
  const dir = resolve(io.cwd, flags.dir ?? '.');
  const files = [
    { path: join(dir, 'engage-audit.config.json'), text: `${JSON.stringify(STARTER_CONFIG, null, 2)}\n` },
    { path: join(dir, 'events.csv'), text: STARTER_EVENTS },
  ];
  if (!flags.force) {
    const present = [];
    for (const f of files) if (await exists(f.path)) present.push(relative(io.cwd, f.path) || f.path);
    if (present.length > 0) {
      throw new UsageError(`${present.join(' and ')} already exist${present.length === 1 ? 's' : ''}; nothing was written`, 'Pass --force to overwrite.');
    }
  }
  try {
    await mkdir(dir, { recursive: true });
    for (const f of files) await writeFile(f.path, f.text);
  } catch (err) {
    throw new InputError(`cannot write the starter files: ${(err as Error).message}`, { file: dir });
  }
  for (const f of files) io.stdout.write(`wrote ${relative(io.cwd, f.path) || f.path}\n`);
  io.stdout.write('Next: edit events.csv, then run: engage-audit report your-log.csv\n');
}
