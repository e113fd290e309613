import type { Command } from 'commander';
import type { CliIo } from './io.js';

export interface InitFlags {
  force?: boolean;
  dir?: string;
}

export function defineInitCommand(program: Command, io: CliIo, exec: (fn: () => Promise<number | void>) => Promise<void>): void {
  program
    .command('init')
    .description('write a starter engage-audit.config.json and an events.csv template')
    .option('--dir <folder>', 'where to write them (default: the current folder)')
    .option('--force', 'overwrite files that already exist')
    .addHelpText(
      'after',
      `
Examples:
  $ engage-audit init
  $ engage-audit init --dir audits/2025 --force

Then edit events.csv and run: engage-audit report your-log.csv`,
    )
    .action((flags: InitFlags) => exec(async () => (await import('./run-init.js')).runInit(flags, io)));
}
