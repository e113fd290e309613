import { appendFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { evaluateGate, hasThreshold } from '../report/evaluate-gate.js';
import { renderGateMarkdown } from '../render/render-gate-markdown.js';
import { renderGateText } from '../render/render-gate-text.js';
import { renderGithub } from '../render/render-github.js';
import { renderJsonParts } from '../render/render-json.js';
import { renderJunit } from '../render/render-junit.js';
import { renderMarkdown } from '../render/render-markdown.js';
import { plainPaint } from '../render/paint.js';
import type { CheckFlags } from './check-command.js';
import type { CliIo } from './io.js';
import { makePaint, wantsColor } from './paint.js';
import { runAnalysis } from './run-analysis.js';
import { writeOutput } from './write-output.js';
import { terminalSafe } from './terminal-text.js';

/** GitHub refuses job summaries over 1 MiB. */
const STEP_SUMMARY_LIMIT = 1024 * 1024 - 1024;

export async function runCheck(files: string[], flags: CheckFlags, io: CliIo): Promise<number> {
  const { report, settings, warnings, notices } = await runAnalysis(files, flags, io, (s) => {
    if (!hasThreshold(s)) {
      if (flags.maxFlaggedShare !== undefined) {
        throw new UsageError('--max-flagged-share needs --max-stakeholder-spikiness', 'It is the share of scored stakeholders allowed over that limit: add --max-stakeholder-spikiness X.');
      }
      throw new UsageError(
        'check needs at least one threshold',
        'Set --max-spikiness, --max-stakeholder-spikiness, --max-segment-spikiness or --max-dark-share (or the same keys in the config).',
      );
    }
    if (s.maxSegmentSpikiness !== undefined && s.by.length === 0) {
      throw new UsageError('--max-segment-spikiness needs segments', 'Add --by DIMENSION (e.g. --by stakeholder_type).');
    }
  }, { '--out': flags.out, '--junit': flags.junit });
  report.gate = evaluateGate(report, settings);
  if (!flags.quiet) {
    for (const n of notices) io.stderr.write(`engage-audit: notice: ${n}\n`);
    for (const w of warnings) io.stderr.write(`engage-audit: warning: ${terminalSafe(w)}\n`);
  }

  const reporter = flags.reporter ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
  const toFile = flags.out !== undefined && flags.out !== '-';
  const text =
    flags.format === 'json'
      ? renderJsonParts(report)
      : flags.format === 'markdown'
        ? `${renderGateMarkdown(report)}\n${renderMarkdown(report, { paint: plainPaint, top: 10, width: 100 })}`
        : reporter === 'github'
        ? renderGithub(report)
        : renderGateText(report, { paint: makePaint(wantsColor(io, flags.color, 'table', toFile)), top: 10, width: io.stdout.columns ?? 100 });
  await writeOutput(text, flags.out, files, io);
  if (flags.junit !== undefined) await writeOutput(renderJunit(report), flags.junit, files, io, '--junit');

  const summaryPath = io.env.GITHUB_STEP_SUMMARY;
  if (summaryPath) {
    // The gate first; the full report only while the whole stays under GitHub's limit.
    const gateSection = renderGateMarkdown(report);
    const full = `${gateSection}\n${renderMarkdown(report, { paint: plainPaint, top: 10, width: 100 })}`;
    let summary = Buffer.byteLength(full) <= STEP_SUMMARY_LIMIT ? full : gateSection;
    if (Buffer.byteLength(summary) > STEP_SUMMARY_LIMIT) summary = `${summary.slice(0, STEP_SUMMARY_LIMIT / 4)}\n\n(truncated to stay under GitHub's 1 MiB summary limit)\n`;
    try {
      await appendFile(summaryPath, `${summary}\n`);
    } catch (err) {
      io.stderr.write(`engage-audit: warning: cannot append to GITHUB_STEP_SUMMARY (${summaryPath}): ${(err as Error).message}\n`);
    }
  }
  const failed = report.gate.some((r) => !r.passed);
  return failed && flags.exitCode ? 1 : 0;
}
