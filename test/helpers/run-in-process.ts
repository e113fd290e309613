import { Readable } from 'node:stream';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

/** Runs the CLI in this process with a fake terminal-less io; faster than spawning for property tests. */
export async function runInProcess(args: string[], opts: { cwd: string; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (s: string) => ((stdout += s), true), isTTY: false },
    stderr: { write: (s: string) => ((stderr += s), true), isTTY: false },
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    env: { NO_COLOR: '1' },
    cwd: opts.cwd,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}
