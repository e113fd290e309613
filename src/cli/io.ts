import { fstatSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileIdentity, type StandardFiles } from './write-output.js';

/** Everything the CLI touches of its process, so tests can run it with a fake one. */
export interface CliIo {
  stdout: { write(chunk: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Identities of standard input and output when they are regular files, so that no output overwrites an input. */
  standardFiles?: () => StandardFiles;
}

function fdIdentity(fd: number): string | null {
  try {
    return fileIdentity(fstatSync(fd));
  } catch {
    return null;
  }
}

let epipeHandled = false;

/**
 * A reader that stops early (`| head`) closes the pipe; that is not an error
 * of ours, so the run ends quietly instead of with an unhandled EPIPE.
 */
function ignoreClosedPipes(): void {
  if (epipeHandled) return;
  epipeHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') return;
      // Throwing from a listener would bypass the one-line error handler.
      if (stream !== process.stderr) process.stderr.write(`engage-audit: error: cannot write the output: ${err.message}\n`);
      process.exitCode = 2;
    });
  }
}

export function processIo(): CliIo {
  ignoreClosedPipes();
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    standardFiles: () => ({ stdin: fdIdentity(0), stdout: fdIdentity(1) }),
  };
}
