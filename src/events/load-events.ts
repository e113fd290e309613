import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EventSpec } from '../analysis/types.js';
import { InputError } from '../errors.js';
import type { TimestampParser } from '../time/parse-timestamp.js';
import { eventsFormatOf, readEventFlags, readEventsText, validateEvents, type RawEvent } from './parse-events.js';

export interface EventSources {
  /** --events files, relative to cwd. */
  files: readonly string[];
  /** --event NAME=START..END flags. */
  flags: readonly string[];
  /** The config's `events`: a path (relative to the config's folder) or inline events. */
  config?: { value: string | readonly Record<string, unknown>[]; dir: string; source: string };
}

export interface LoadedEvents {
  events: EventSpec[];
  warnings: string[];
  /** True when any event was declared (even if all are invalid, which throws). */
  declared: boolean;
}

/**
 * Declared events: flags and --events files when given, otherwise the
 * config's `events`. All are validated together so every problem is listed.
 */
export async function loadEvents(sources: EventSources, cwd: string, parseTime: TimestampParser): Promise<LoadedEvents> {
  /** `placed`: each event's `where` already names its source ("--event #2"), as a file's "line 4" does not. */
  const batches: { raw: RawEvent[]; source: string; placed?: boolean }[] = [];
  for (const file of sources.files) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, file), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? 'events file not found' : `cannot read the events file: ${(err as Error).message}`, { file });
    }
    batches.push({ raw: readEventsText(text, file, eventsFormatOf(file, text)), source: file });
  }
  if (sources.flags.length > 0) batches.push({ raw: readEventFlags(sources.flags), source: '--event', placed: true });

  if (batches.length === 0 && sources.config !== undefined) {
    const { value, dir, source } = sources.config;
    if (typeof value === 'string') {
      const path = resolve(dir, value);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        throw new InputError(`cannot read the events file named by ${source} ("events": "${value}"): ${(err as Error).message}`, { file: path });
      }
      batches.push({ raw: readEventsText(text, value, eventsFormatOf(value, text)), source: value });
    } else {
      batches.push({ raw: value.map((fields, i) => ({ where: `events[${i}]`, fields: { ...fields } })), source });
    }
  }

  const events: EventSpec[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const firstSeen = new Map<string, string>();
  for (const b of batches) {
    try {
      const parsed = validateEvents(b.raw, b.source, parseTime);
      events.push(...parsed.events);
      warnings.push(...parsed.warnings);
      parsed.events.forEach((e, i) => {
        const here = b.placed === true ? parsed.where[i] : `${b.source} ${parsed.where[i]}`;
        const seen = firstSeen.get(e.name);
        if (seen === undefined) firstSeen.set(e.name, here);
        else warnings.push(`event name "${e.name}" appears more than once (${seen} and ${here}); both are used`);
      });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length > 0) {
    throw new InputError(problems.join('\n'), undefined, 'Each event needs a name and a start (YYYY-MM-DD or an ISO timestamp); end, kind, before and after are optional.');
  }
  const declared = batches.some((b) => b.raw.length > 0);
  if (batches.length > 0 && !declared) {
    throw new InputError(`the events source (${batches.map((b) => b.source).join(', ')}) holds no events`, undefined, 'Add at least one event, or leave out --events to detect campaigns from the data.');
  }
  return { events, warnings, declared };
}
