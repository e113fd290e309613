import { lstatSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { CliIo } from './io.js';

/** What is at a path (through symlinks), or undefined when nothing is, or nothing can be known (EACCES, ELOOP …: the read or write reports those). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** A regular file's identity (device and inode): a link or another spelling of it has the same. */
export function fileIdentity(st: Stats | undefined): string | null {
  return st !== undefined && st.isFile() ? `${st.dev}:${st.ino}` : null;
}

/**
 * Where a file not written yet will be: its folder's real path, so a symlinked
 * folder is no other place, and a dangling symlink is where it points.
 */
function futurePath(path: string): string {
  let p = path;
  // A few hops of dangling links at most; a loop is left to the write to report.
  for (let hops = 0; hops < 8; hops++) {
    try {
      if (!lstatSync(p).isSymbolicLink()) break;
      p = resolve(dirname(p), readlinkSync(p));
    } catch {
      break;
    }
  }
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

/** The names of standard output as a path: writing through one reopens it at offset 0, over what the shell has written. */
const STDOUT_PATHS = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);

/** What standard input and output are when they are regular files (`< log.csv`, `> report.txt`). */
export interface StandardFiles {
  stdin: string | null;
  stdout: string | null;
}

/**
 * Refuses, before anything is read, an output (--out, --rejects, --junit,
 * --emit-events, and standard output when --out is absent or -) that is an
 * input (a log, an events file, the config, or standard input's file) or
 * another output. Regular files are compared by what they are, not how they
 * are spelled: a symlink or a hard link to an input is that input, and a
 * truncated rejects file would be read as an empty log.
 */
export function assertOutputsAreNotInputs(
  outputs: Record<string, string | undefined>,
  inputs: readonly string[],
  cwd: string,
  std: StandardFiles = { stdin: null, stdout: null },
): void {
  const inputPaths = new Set<string>();
  const inputIds = new Set<string>();
  for (const f of inputs) {
    if (f === '-') {
      if (std.stdin !== null) inputIds.add(std.stdin);
      continue;
    }
    const path = resolve(cwd, f);
    inputPaths.add(path);
    const id = fileIdentity(statOf(path));
    if (id !== null) inputIds.add(id);
  }
  /** Each output so far, by identity or future path: its flag and how it was spelled. */
  const written = new Map<string, { flag: string; spelled: string }>();
  const claim = (key: string, flag: string, spelled: string): void => {
    const other = written.get(key);
    if (other !== undefined) {
      throw new UsageError(`${other.flag} ${other.spelled} and ${flag} ${spelled} are the same file; one would replace the other`, 'Give each output a file of its own.');
    }
    written.set(key, { flag, spelled });
  };
  for (const [flag, out] of Object.entries(outputs)) {
    if (flag === '--out' && (out === undefined || out === '-')) {
      // The report goes to standard output: redirected to a file, that file is an output too.
      if (std.stdout !== null) {
        if (inputIds.has(std.stdout)) throw new UsageError('standard output is redirected to one of the inputs; refusing to overwrite it', 'Redirect it to another file, or use --out.');
        claim(std.stdout, 'standard output', '(redirected)');
      }
      continue;
    }
    if (out === undefined || out === '-') continue;
    const path = resolve(cwd, out);
    const st = statOf(path);
    const id = fileIdentity(st);
    if (inputPaths.has(path) || (id !== null && inputIds.has(id))) {
      throw new UsageError(`${flag} ${out} is one of the inputs; refusing to overwrite it`, `Choose another path for ${flag}.`);
    }
    // Outputs may share a device (/dev/null) or a pipe, but not a file: the second would replace the first.
    if (st !== undefined && id === null) continue;
    claim(id ?? futurePath(path), flag, out);
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
  if (out === undefined || out === '-' || STDOUT_PATHS.has(out)) {
    for (const chunk of batched(text)) io.stdout.write(chunk);
    return;
  }
  if (out === '') throw new UsageError(`${flag} needs a file name`, `Name a file to write to, or - for standard output.`);
  assertOutputsAreNotInputs({ [flag]: out }, inputs, io.cwd);
  // A symlink is written where it points, atomically there: a rename over the link would replace it.
  const target = await realpath(resolve(io.cwd, out)).catch(() => futurePath(resolve(io.cwd, out)));
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
    // Node's own words, without the path it names (the temporary file's, for a rename).
    return text === undefined ? e.message.replace(/, \w+ '[^']*'( -> '[^']*')?$/, '') : `${text} (${e.code})`;
  }
  return e.message;
}
