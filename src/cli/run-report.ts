import { renderEventsCsv } from '../render/render-events-csv.js';
import { RENDERERS } from '../render/registry.js';
import type { CliIo } from './io.js';
import { makePaint, wantsColor } from './paint.js';
import type { ReportFlags } from './report-command.js';
import { runAnalysis } from './run-analysis.js';
import { writeOutput } from './write-output.js';
import { terminalSafe } from './terminal-text.js';

export async function runReport(files: string[], flags: ReportFlags, io: CliIo): Promise<void> {
  const { report, warnings, notices } = await runAnalysis(files, flags, io, undefined, { '--out': flags.out, '--emit-events': flags.emitEvents });
  if (!flags.quiet) {
    for (const n of notices) io.stderr.write(`engage-audit: notice: ${n}\n`);
    for (const w of warnings) io.stderr.write(`engage-audit: warning: ${terminalSafe(w)}\n`);
  }
  if (flags.emitEvents !== undefined) await writeOutput(renderEventsCsv(report), flags.emitEvents, files, io, '--emit-events');
  const render = await RENDERERS[flags.format]();
  const toFile = flags.out !== undefined && flags.out !== '-';
  const text = render(report, {
    paint: makePaint(wantsColor(io, flags.color, flags.format, toFile)),
    top: flags.top,
    width: io.stdout.columns ?? 100,
  });
  await writeOutput(text, flags.out, files, io);
}
