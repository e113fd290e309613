import { Option, type Command } from 'commander';
import type { CliIo } from './io.js';
import { addAnalysisOptions, parseNumber, type AnalysisFlags, type ThresholdFlags } from './shared-options.js';

export const CHECK_FORMATS = ['text', 'json', 'markdown'] as const;
export const CHECK_REPORTERS = ['text', 'github'] as const;

export interface CheckFlags extends AnalysisFlags, ThresholdFlags {
  exitCode: boolean;
  reporter?: (typeof CHECK_REPORTERS)[number];
  junit?: string;
  format: (typeof CHECK_FORMATS)[number];
  out?: string;
}

const EXAMPLES = `
Examples:
  $ engage-audit check logs.csv --events events.csv --max-spikiness 3
  $ engage-audit check logs.csv --events events.csv --max-stakeholder-spikiness 5 --max-flagged-share 0.1 --significant
  $ engage-audit check --config engage-audit.config.json logs.csv
  $ engage-audit check logs.csv --by stakeholder_type --max-segment-spikiness 4 --junit engage-audit.xml

Exit codes: 0 every threshold passed, 1 a threshold failed, 2 usage, configuration or input error.
On GitHub Actions (GITHUB_ACTIONS=true) failures become annotations, and a summary is appended to
the job summary when GITHUB_STEP_SUMMARY is set.`;

export function defineCheckCommand(program: Command, io: CliIo, exec: (fn: () => Promise<number | void>) => Promise<void>): void {
  const cmd = program
    .command('check')
    .description('fail (exit 1) when engagement is more campaign-driven than the thresholds allow')
    .argument('[files...]', 'interaction logs (CSV, TSV, JSON, NDJSON, optionally .gz); - reads standard input');
  addAnalysisOptions(cmd)
    .option('--max-spikiness <x>', 'limit for the overall spikiness', parseNumber)
    .option('--max-stakeholder-spikiness <x>', 'limit for each scored stakeholder', parseNumber)
    .option('--max-flagged-share <share>', 'share of scored stakeholders allowed over that limit (default: 0)', parseNumber)
    .option('--max-segment-spikiness <x>', 'limit for each segment (needs --by)', parseNumber)
    .option('--max-dark-share <share>', 'limit for the largest dark share of a gap', parseNumber)
    .option('--significant', 'compare the lower bound of the confidence interval, not the point estimate')
    .option('--no-exit-code', 'exit 0 even when a threshold fails (for dashboards)')
    .addOption(new Option('--reporter <name>', 'text, or github for annotations (default: github on GitHub Actions)').choices(CHECK_REPORTERS))
    .option('--junit <file>', 'also write JUnit XML, one testcase per threshold')
    .addOption(new Option('-f, --format <format>', 'text: the verdict; json: the whole report with "gate"; markdown: the gate and the report').choices(CHECK_FORMATS).default('text'))
    .option('-o, --out <file>', 'write the output to a file instead of standard output')
    .addHelpText('after', EXAMPLES)
    .action((files: string[], flags: CheckFlags) => exec(async () => (await import('./run-check.js')).runCheck(files, flags, io)));
}
