import { statSync, type Stats } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from './io.js';

/** What is at a path (through symlinks), or undefined when nothing can be (ENOENT, or a file where a folder should be). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** A file's identity (device and inode, through symlinks), or null when there is nothing there yet. */
function identity(path: string): string | null {
  const st = statOf(path);
  return st === undefined ? null : `${st.dev}:${st.ino}`;
}

/**
 * Refuses, before anything is read, an output path (--out, --rejects, --junit,
 * --emit-events) that names an input (a log, an events file or the config) or
 * another output. Files are compared by what they are, not how they are
 * spelled: a symlink or a hard link to an input is that input, and the
 * truncated rejects file would be read as an empty log.
 */
export function assertOutputsAreNotInputs(outputs: Record<string, string | undefined>, inputs: readonly string[], cwd: string): void {
  const inputPaths = new Set<string>();
  const inputIds = new Set<string>();
  for (const f of inputs) {
    if (f === '-') continue;
    const path = resolve(cwd, f);
    inputPaths.add(path);
    const id = identity(path);
    if (id !== null) inputIds.add(id);
  }
  const written = new Map<string, string>();
  for (const [flag, out] of Object.entries(outputs)) {
    if (out === undefined || out === '-') continue;
    const path = resolve(cwd, out);
    const st = statOf(path);
    const id = st === undefined ? null : `${st.dev}:${st.ino}`;
    if (inputPaths.has(path) || (id !== null && inputIds.has(id))) {
      throw new UsageError(`${flag} ${out} is one of the inputs; refusing to overwrite it`, `Choose another path for ${flag}.`);
    }
    // Two outputs may share a device (/dev/null) but not a file: the second would replace the first.
    if (st !== undefined && !st.isFile()) continue;
    const key = id ?? path;
    const other = written.get(key);
    if (other !== undefined) {
      throw new UsageError(`${other} and ${flag} both name ${out}; one would replace the other`, `Give ${flag} a path of its own.`);
    }
    written.set(key, flag);
    if (id !== null) written.set(path, flag);
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
 * `flag` names the option the path came from, for the messages.
 */
export async function writeOutput(text: string | Iterable<string>, out: string | undefined, inputs: readonly string[], io: CliIo, flag = '--out'): Promise<void> {
  if (out === undefined || out === '-') {
    for (const chunk of batched(text)) io.stdout.write(chunk);
    return;
  }
  if (out === '') throw new UsageError(`${flag} needs a file name`, `Name a file to write to, or - for standard output.`);
  assertOutputsAreNotInputs({ [flag]: out }, inputs, io.cwd);
  const target = resolve(io.cwd, out);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`${flag} ${out} is a directory`, 'Name a file to write to.');
  if (existing && !existing.isFile()) {
    // A device or pipe (/dev/null, a FIFO) cannot be replaced by a rename: write through it.
    try {
      await writeFile(target, batched(text));
    } catch (err) {
      throw new InputError(`cannot write the ${flag} file: ${writeErrorText(err)}`, { file: out });
    }
    return;
  }
  const folder = dirname(target);
  const parent = await stat(folder).catch(() => null);
  if (parent === null) throw new UsageError(`${flag} ${out}: the folder ${dirname(out)} does not exist`, 'Create it first, or choose another path.');
  if (!parent.isDirectory()) throw new UsageError(`${flag} ${out}: ${dirname(out)} is not a folder`, 'Choose another path.');
  const tmp = join(folder, `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, batched(text));
    await rename(tmp, target);
  } catch (err) {
    // Cleaning up may fail for the same reason (a file where a folder should be): the write error is the news.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new InputError(`cannot write the ${flag} file: ${writeErrorText(err)}`, { file: out });
  }
}

/** A write error without the temporary file's name, which would only puzzle: `EACCES (permission denied)`. */
export function writeErrorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && typeof e.syscall === 'string') {
    const text = { EACCES: 'permission denied', EPERM: 'operation not permitted', ENOSPC: 'no space left on the device', EROFS: 'read-only file system', EISDIR: 'is a directory', ENOENT: 'no such file or folder', EDQUOT: 'disk quota exceeded' }[e.code];
    return text === undefined ? `${e.code}` : `${text} (${e.code})`;
  }
  return e.message;
}
