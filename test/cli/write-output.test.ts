import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { assertOutputsAreNotInputs, writeOutput } from '../../src/cli/write-output.js';
import type { CliIo } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'engage-audit-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeIo(): { io: CliIo; out: string[] } {
  const out: string[] = [];
  const io = { cwd: dir, env: {}, stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } } as unknown as CliIo;
  return { io, out };
}

describe('writeOutput', () => {
  it('writes pieces to stdout in order, batched', async () => {
    const { io, out } = fakeIo();
    await writeOutput(['a', 'b', 'c'], undefined, [], io);
    expect(out.join('')).toBe('abc');
  });

  it('replaces a file atomically and leaves no temporary file', async () => {
    const { io } = fakeIo();
    const target = join(dir, 'report.json');
    writeFileSync(target, 'old');
    await writeOutput((function* () {
      yield '{';
      yield '}\n';
    })(), target, [], io);
    expect(readFileSync(target, 'utf8')).toBe('{}\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a failure while writing exits 2 (InputError), keeps the old file and removes the temporary one', async () => {
    const { io } = fakeIo();
    const target = join(dir, 'kept.json');
    writeFileSync(target, 'previous report');
    const failing = (function* () {
      yield 'x'.repeat(5_000_000);
      throw new Error('disk full');
    })();
    const err = await writeOutput(failing, target, [], io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect((err as Error).message).toBe(`${target}: cannot write the --out file: disk full`);
    expect(readFileSync(target, 'utf8')).toBe('previous report');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names an unwritable path and creates nothing', async () => {
    const { io } = fakeIo();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const err = await writeOutput('data', join(file, 'report.json'), [], io, '--junit').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`--junit ${join(file, 'report.json')}: ${file} is not a folder`);
    expect(existsSync(join(file, 'report.json'))).toBe(false);
  });

  it('refuses to overwrite an input', async () => {
    const { io } = fakeIo();
    const input = join(dir, 'log.csv');
    writeFileSync(input, 'timestamp,stakeholder\n');
    await expect(writeOutput('data', input, [input], io)).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(input, 'utf8')).toBe('timestamp,stakeholder\n');
  });

  it('writes /dev/stdout to standard output, not through a reopened file that would start at offset 0', async () => {
    const { io, out } = fakeIo();
    await writeOutput('report', '/dev/stdout', [], io);
    expect(out.join('')).toBe('report');
  });

  it('writes where a symlink points, atomically there, instead of replacing the link', async () => {
    const { io } = fakeIo();
    const real = join(dir, 'pointed-at.txt');
    writeFileSync(real, 'old');
    symlinkSync(real, join(dir, 'pointer.txt'));
    await writeOutput('new', 'pointer.txt', [], io);
    expect(lstatSync(join(dir, 'pointer.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('names the flag and the missing folder, and no temporary file', async () => {
    const { io } = fakeIo();
    const err = await writeOutput('data', 'no-such-folder/events.csv', [], io, '--emit-events').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('--emit-events no-such-folder/events.csv: the folder no-such-folder does not exist');
    expect((err as UsageError).hint).toBe('Create it first, or choose another path.');
  });

  it('names the flag when the path is a directory or empty', async () => {
    const { io } = fakeIo();
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    await expect(writeOutput('data', 'a-folder', [], io, '--emit-events')).rejects.toThrow('--emit-events a-folder is a directory');
    await expect(writeOutput('data', '', [], io)).rejects.toThrow('--out needs a file name');
  });
});

describe('assertOutputsAreNotInputs', () => {
  const input = join(dir, 'victim.csv');
  writeFileSync(input, 'timestamp,stakeholder\n');

  it('refuses an input reached through a symlink or a hard link', () => {
    const soft = join(dir, 'soft.csv');
    const hard = join(dir, 'hard.csv');
    symlinkSync(input, soft);
    linkSync(input, hard);
    // The log is named by its link, the output by its own name, and the other way round.
    expect(() => assertOutputsAreNotInputs({ '--rejects': 'victim.csv' }, ['soft.csv'], dir)).toThrow('--rejects victim.csv is one of the inputs; refusing to overwrite it');
    expect(() => assertOutputsAreNotInputs({ '--out': 'soft.csv' }, ['victim.csv'], dir)).toThrow('--out soft.csv is one of the inputs');
    expect(() => assertOutputsAreNotInputs({ '--out': 'hard.csv' }, ['victim.csv'], dir)).toThrow('--out hard.csv is one of the inputs');
    expect(readFileSync(input, 'utf8')).toBe('timestamp,stakeholder\n');
  });

  it('refuses two outputs naming one file, spelled alike or not, existing or not', () => {
    expect(() => assertOutputsAreNotInputs({ '--out': 'same.txt', '--rejects': './same.txt' }, [input], dir)).toThrow(
      '--out same.txt and --rejects ./same.txt are the same file; one would replace the other',
    );
    writeFileSync(join(dir, 'exists.txt'), '');
    symlinkSync(join(dir, 'exists.txt'), join(dir, 'alias.txt'));
    expect(() => assertOutputsAreNotInputs({ '--out': 'exists.txt', '--emit-events': 'alias.txt' }, [input], dir)).toThrow('--out exists.txt and --emit-events alias.txt are the same file');
    // Not written yet, in one folder reached two ways.
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'linked'));
    expect(() => assertOutputsAreNotInputs({ '--out': 'linked/r.txt', '--rejects': 'real/r.txt' }, [input], dir)).toThrow('--out linked/r.txt and --rejects real/r.txt are the same file');
    // A dangling link is where it points.
    symlinkSync(join(dir, 'not-yet.txt'), join(dir, 'dangling.txt'));
    expect(() => assertOutputsAreNotInputs({ '--out': 'dangling.txt', '--rejects': 'not-yet.txt' }, [input], dir)).toThrow('--out dangling.txt and --rejects not-yet.txt are the same file');
  });

  it('counts standard input and output when they are regular files', () => {
    const id = (p: string): string => {
      const st = statSync(p);
      return `${st.dev}:${st.ino}`;
    };
    // report - --rejects victim.csv < victim.csv
    expect(() => assertOutputsAreNotInputs({ '--rejects': 'victim.csv' }, ['-'], dir, { stdin: id(input), stdout: null })).toThrow('--rejects victim.csv is one of the inputs');
    // report log.csv --rejects /dev/stdout > file: both name the file standard output goes to
    const out = join(dir, 'stdout.txt');
    writeFileSync(out, '');
    expect(() => assertOutputsAreNotInputs({ '--rejects': out, '--out': undefined }, [input], dir, { stdin: null, stdout: id(out) })).toThrow(
      `--rejects ${out} and standard output (redirected) are the same file`,
    );
    // report victim.csv > victim.csv (once the shell has created it)
    expect(() => assertOutputsAreNotInputs({ '--out': '-' }, [input], dir, { stdin: null, stdout: id(input) })).toThrow('standard output is redirected to one of the inputs');
    // --out given: standard output is not written.
    expect(() => assertOutputsAreNotInputs({ '--out': 'elsewhere.txt' }, [input], dir, { stdin: null, stdout: id(input) })).not.toThrow();
  });

  it('a path that cannot be looked at (a symlink loop) is left to the read or the write to report', () => {
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    expect(() => assertOutputsAreNotInputs({ '--out': 'loop-a' }, ['loop-b', 'x'.repeat(300)], dir)).not.toThrow();
  });

  it('lets outputs share a device, and distinct files pass', () => {
    expect(() => assertOutputsAreNotInputs({ '--out': '/dev/null', '--rejects': '/dev/null', '--junit': '-' }, [input], dir)).not.toThrow();
    expect(() => assertOutputsAreNotInputs({ '--out': 'a.txt', '--rejects': 'b.txt', '--emit-events': undefined }, [input, '-'], dir)).not.toThrow();
  });
});
