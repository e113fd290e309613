import { Option, type Command } from 'commander';
import { renderEventsCsv } from '../render/render-events-csv.js';
import { OUTPUT_FORMATS, RENDERERS, type OutputFormat } from '../render/registry.js';
import type { CliIo } from './io.js';
import { makePaint, wantsColor } from './paint.js';
import { runAnalysis } from './run-analysis.js';
import { addAnalysisOptions, parseInteger, type AnalysisFlags } from './shared-options.js';
import { writeOutput } from './write-output.js';

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

Without --events (or an "events" key in the config), campaign bursts are detected from weekly volume.
Exit codes: 0 report written, 2 usage, configuration or input error.`;

export function defineReportCommand(program: Command, io: CliIo, exec: (fn: () => Promise<void>) => Promise<void>): void {
  const cmd = program
    .command('report')
    .description('analyse interaction logs and print the spikiness report')
    .argument('[files...]', 'interaction logs (CSV, TSV, JSON, NDJSON, optionally .gz); - reads standard input');
  addAnalysisOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option('--top <n>', 'rows in the "most spiky" and gap tables', parseInteger, 10)
    .option('--emit-events <file>', 'also write the events used (declared or detected) as an events CSV')
    .addHelpText('after', EXAMPLES)
    .action((files: string[], flags: ReportFlags) => exec(() => runReport(files, flags, io)));
}

export async function runReport(files: string[], flags: ReportFlags, io: CliIo): Promise<void> {
  const { report, warnings, notices } = await runAnalysis(files, flags, io);
  if (!flags.quiet) {
    for (const n of notices) io.stderr.write(`engage-audit: notice: ${n}\n`);
    for (const w of warnings) io.stderr.write(`engage-audit: warning: ${w}\n`);
  }
  if (flags.emitEvents !== undefined) await writeOutput(renderEventsCsv(report), flags.emitEvents, files, io);
  const render = await RENDERERS[flags.format]();
  const toFile = flags.out !== undefined && flags.out !== '-';
  const text = render(report, {
    paint: makePaint(wantsColor(io, flags.color, flags.format, toFile)),
    top: Math.max(1, flags.top),
    width: io.stdout.columns ?? 100,
  });
  await writeOutput(text, flags.out, files, io);
}
