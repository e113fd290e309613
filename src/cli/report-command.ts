import { Option, type Command } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../render/registry.js';
import type { CliIo } from './io.js';
import { addAnalysisOptions, parsePositiveInteger, type AnalysisFlags } from './shared-options.js';

export interface ReportFlags extends AnalysisFlags {
  format: OutputFormat;
  out?: string;
  top: number;
  emitEvents?: string;
}

const EXAMPLES = `
Examples:
  $ engage-audit report fixtures/demo/interactions.csv --events fixtures/demo/events.csv
  $ engage-audit report crm-export.csv.gz --events congresses.yaml --tz Europe/London --by stakeholder_type
  $ cat logs.ndjson | engage-audit report - --input-format ndjson --events events.csv --format json > report.json
  $ engage-audit report calls.csv --timestamp-col Call_Date_vod__c --event "ESMO=2025-10-17..2025-10-21"

Without --events (or an "events" key in the config), campaign bursts are detected from weekly interaction counts.
Exit codes: 0 report written, 2 usage, configuration or input error.`;

export function defineReportCommand(program: Command, io: CliIo, exec: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('report')
    .description('analyse interaction logs and print the spikiness report')
    .argument('[files...]', 'interaction logs (CSV, TSV, JSON, NDJSON, optionally .gz); - reads standard input');
  addAnalysisOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option('--top <n>', 'rows in the "most spiky" and gap tables', parsePositiveInteger, 10)
    .option('--emit-events <file>', 'also write the events used (declared or detected) as an events CSV')
    .addHelpText('after', EXAMPLES)
    .action((files: string[], flags: ReportFlags) =>
      // The pipeline is loaded only when the command runs, so --help and --version stay instant.
      exec(async () => (await import('./run-report.js')).runReport(files, flags, io)),
    );
}
