import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as z from 'zod';
import { ConfigError, jsonSyntaxText } from '../errors.js';
import { partialSettingsSchema, settingsSchema, type PartialSettings, type Settings } from './settings.js';

export const CONFIG_FILES = ['engage-audit.config.json', '.engage-auditrc.json'] as const;

export interface LoadedConfig {
  /** Where the settings came from ("package.json#engage-audit" for the package key); null without a file. */
  source: string | null;
  /** Folder that relative paths in the config (events) are resolved from. */
  dir: string;
  /** Absolute path of the file read, null without one. */
  path: string | null;
  settings: PartialSettings;
}

/**
 * A union's error says only "Invalid input"; the useful part is inside the
 * branch whose type matched (for `events`, the array branch), so flatten it.
 */
function expandUnions(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const matched = issue.errors.find((branch) => !branch.every((b) => b.code === 'invalid_type' && b.path.length === 0));
      if (matched) return expandUnions(matched, path);
    }
    return [{ ...issue, path }];
  });
}

/** Formats zod issues as one line each, by path, the way the user wrote the keys. */
export function formatIssues(error: z.ZodError, source: string, keyName: (key: string) => string = (k) => k): string {
  return expandUnions(error.issues)
    .map((issue) => {
      const [head, ...rest] = issue.path.map(String);
      const path = head === undefined ? '' : [keyName(head), ...rest].join('.');
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown setting(s) ${issue.keys.map((k) => `"${keyName(k)}"`).join(', ')}`;
      return `${source}: ${path ? `${path}: ` : ''}${message}`;
    })
    .join('\n');
}

async function readJson(path: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${path}: cannot read: ${(err as Error).message}`);
  }
  const json = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(json);
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON: ${jsonSyntaxText(err, json)}`);
  }
}

function validate(value: unknown, source: string): PartialSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`${source}: the configuration must be a JSON object`);
  }
  // Keys starting with "$" ("$comment", "$schema") are notes for people and tools, not settings.
  const settings = Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('$')));
  const parsed = partialSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigError(formatIssues(parsed.error, source), 'Settings are listed in the README under "Configuration".');
  }
  return settings as PartialSettings;
}

/**
 * `--config FILE` when given; otherwise the first of engage-audit.config.json,
 * .engage-auditrc.json and package.json#engage-audit found in `cwd`.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    const value = await readJson(path);
    if (value === undefined) throw new ConfigError(`${explicit}: config file not found`, 'Check the --config path.');
    return { source: explicit, dir: dirname(path), path, settings: validate(value, explicit) };
  }
  for (const name of CONFIG_FILES) {
    const value = await readJson(join(cwd, name));
    if (value !== undefined) return { source: name, dir: cwd, path: join(cwd, name), settings: validate(value, name) };
  }
  const pkg = await readJson(join(cwd, 'package.json'));
  if (pkg && typeof pkg === 'object' && 'engage-audit' in pkg) {
    const source = 'package.json#engage-audit';
    return { source, dir: cwd, path: join(cwd, 'package.json'), settings: validate((pkg as Record<string, unknown>)['engage-audit'], source) };
  }
  return { source: null, dir: cwd, path: null, settings: {} };
}

/** Flags win over the config file, which wins over the defaults; the result is validated as a whole. */
export function resolveSettings(config: LoadedConfig, flags: PartialSettings, flagName: (key: string) => string): Settings {
  const flagCheck = partialSettingsSchema.safeParse(flags);
  if (!flagCheck.success) throw new ConfigError(formatIssues(flagCheck.error, 'flags', flagName));
  const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const merged = { ...config.settings, ...defined };
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(formatIssues(parsed.error, config.source ? `settings (flags and ${config.source})` : 'settings', flagName));
  }
  return parsed.data;
}
