import { Command, CommanderError } from 'commander';
import { EngageAuditError } from '../errors.js';
import { processIo, type CliIo } from './io.js';
import { terminalSafe } from './terminal-text.js';
import { TOOL } from './tool-info.js';

/** Internal errors exit 2 too, with one line unless --debug. */
function reportError(err: unknown, io: CliIo, debug: boolean): number {
  if (err instanceof EngageAuditError) {
    io.stderr.write(`engage-audit: error: ${terminalSafe(err.message)}\n`);
    if (err.hint) io.stderr.write(`  ${terminalSafe(err.hint)}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  io.stderr.write(`engage-audit: internal error: ${terminalSafe(e?.message ?? String(err))}\n`);
  io.stderr.write(debug && e?.stack ? `${e.stack}\n` : '  Re-run with --debug for a stack trace, and please report it.\n');
  return 2;
}

/**
 * Runs the CLI against any process-like `io` and resolves to the exit code:
 * 0 success, 1 a failed `check` threshold, 2 usage, configuration or input error.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const debug = argv.includes('--debug');
  const exec = async (fn: () => Promise<void | number>): Promise<void> => {
    try {
      const code = await fn();
      if (typeof code === 'number') exitCode = code;
    } catch (err) {
      exitCode = reportError(err, io, debug);
    }
  };

  const program = new Command()
    .name('engage-audit')
    .description('Measure campaign spikiness in stakeholder engagement logs.')
    .version(TOOL.version, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's usage errors read like the tool's own: "engage-audit: error: …".
      outputError: (s, write) => write(s.startsWith('error: ') ? `engage-audit: ${s}` : s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ engage-audit report fixtures/demo/interactions.csv --events fixtures/demo/events.csv
  $ engage-audit report logs.csv --format json --out report.json
  $ engage-audit check logs.csv --events events.csv --max-spikiness 3

Run "engage-audit <command> --help" for the options of each command.`,
    );

  const { defineReportCommand } = await import('./report-command.js');
  const { defineCheckCommand } = await import('./check-command.js');
  const { defineInitCommand } = await import('./init-command.js');
  const { defineSqlCommand } = await import('./sql-command.js');
  defineReportCommand(program, io, exec);
  defineCheckCommand(program, io, exec);
  defineInitCommand(program, io, exec);
  defineSqlCommand(program, io, exec);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every commander usage error is a usage error (2).
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportError(err, io, debug);
  }
  return exitCode;
}

/** Entry point for bin/: sets the exit code, never calls process.exit(). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await run(argv);
}
