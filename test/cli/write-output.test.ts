import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { writeOutput } from '../../src/cli/write-output.js';
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
    expect((err as Error).message).toContain('cannot write the output: disk full');
    expect(readFileSync(target, 'utf8')).toBe('previous report');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names an unwritable path and creates nothing', async () => {
    const { io } = fakeIo();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const err = await writeOutput('data', join(file, 'report.json'), [], io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('cannot write the output');
    expect(existsSync(join(file, 'report.json'))).toBe(false);
  });

  it('refuses to overwrite an input', async () => {
    const { io } = fakeIo();
    const input = join(dir, 'log.csv');
    writeFileSync(input, 'timestamp,stakeholder\n');
    await expect(writeOutput('data', input, [input], io)).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(input, 'utf8')).toBe('timestamp,stakeholder\n');
  });
});
