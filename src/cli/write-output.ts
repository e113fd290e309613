import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from './io.js';

/**
 * Refuses, before anything is read, an output path (--out, --rejects, --junit,
 * --emit-events) that names an input: a log, an events file or the config.
 */
export function assertOutputsAreNotInputs(outputs: Record<string, string | undefined>, inputs: readonly string[], cwd: string): void {
  const inputPaths = new Set(inputs.filter((f) => f !== '-').map((f) => resolve(cwd, f)));
  for (const [flag, out] of Object.entries(outputs)) {
    if (out === undefined || out === '-') continue;
    if (inputPaths.has(resolve(cwd, out))) {
      throw new UsageError(`${flag} ${out} is one of the inputs; refusing to overwrite it`, `Choose another path for ${flag}.`);
    }
  }
}

/** Pieces gathered into writes of a few megabytes: one write per JSON array element would crawl. */
function* batched(output: string | Iterable<string>): Generator<string> {
  if (typeof output === 'string') {
    yield output;
    return;
  }
  let buffer = '';
  for (const piece of output) {
    buffer += piece;
    if (buffer.length >= 4_000_000) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

/**
 * Data goes to stdout, or with --out to a file written atomically (a temporary
 * file renamed into place), so a failed run never leaves half a report.
 */
export async function writeOutput(text: string | Iterable<string>, out: string | undefined, inputs: readonly string[], io: CliIo): Promise<void> {
  if (out === undefined || out === '-') {
    for (const chunk of batched(text)) io.stdout.write(chunk);
    return;
  }
  const target = resolve(io.cwd, out);
  if (inputs.some((f) => f !== '-' && resolve(io.cwd, f) === target)) {
    throw new UsageError(`${out} is one of the input files; refusing to overwrite it`, 'Choose another output path.');
  }
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`--out ${out} is a directory`, 'Name a file to write the report to.');
  if (existing && !existing.isFile()) {
    // A device or pipe (/dev/null, a FIFO) cannot be replaced by a rename: write through it.
    try {
      await writeFile(target, batched(text));
    } catch (err) {
      throw new InputError(`cannot write the output: ${(err as Error).message}`, { file: out });
    }
    return;
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, batched(text));
    await rename(tmp, target);
  } catch (err) {
    // Cleaning up may fail for the same reason (a file where a folder should be): the write error is the news.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new InputError(`cannot write the output: ${(err as Error).message}`, { file: out });
  }
}
