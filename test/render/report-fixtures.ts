/**
 * Reports for the HTML renderer's tests: the demo report (produced by the CLI,
 * in-process, exactly as `--format json` prints it) and hostile variants of it
 * whose every piece of text from the data is an injection attempt.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/report-types.js';
import { ROOT } from '../helpers/run-cli.js';
import { runInProcess } from '../helpers/run-in-process.js';

export const DEMO_ARGS = ['fixtures/demo/interactions.csv', '--events', 'fixtures/demo/events.csv', '--by', 'stakeholder_type'];

async function reportOf(args: string[], cwd = ROOT): Promise<Report> {
  const r = await runInProcess(['report', ...args, '--format', 'json'], { cwd });
  if (r.code !== 0) throw new Error(`engage-audit exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

let demo: Promise<Report> | undefined;

/** The demo log against its declared events, one segment per stakeholder type (a fresh copy each call). */
export async function demoReport(): Promise<Report> {
  demo ??= reportOf(DEMO_ARGS);
  return structuredClone(await demo);
}

/** The demo log without a calendar: campaigns detected from weekly interaction counts. */
export function detectedDemoReport(): Promise<Report> {
  return reportOf(['fixtures/demo/interactions.csv', '--by', 'stakeholder_type']);
}

/** A perfectly even log (every stakeholder, every day): no campaign burst is detected. */
export async function flatReport(): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'engage-audit-html-'));
  try {
    const lines = ['timestamp,stakeholder_id,stakeholder_type'];
    for (let d = 0; d < 70; d++) {
      const day = new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);
      for (const id of ['A', 'B', 'C']) lines.push(`${day}T10:00:00Z,${id},hcp`);
    }
    writeFileSync(join(dir, 'flat.csv'), `${lines.join('\n')}\n`);
    return await reportOf([join(dir, 'flat.csv')], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The payload the unit test looks for, escaped and unescaped. */
export const XSS = `<img src=x onerror=alert(1)>"'&`;
export const XSS_ESCAPED = '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;';

/**
 * A copy of `report` with injection attempts in every kind of text that comes
 * from the data: stakeholder ids, a dimension's name and values, segment
 * values, event names and kinds, gap neighbours, file names, reject examples,
 * settings. `payload(where)` gives the text to plant at each place.
 */
export function hostileReport(report: Report, payload: (where: string) => string): Report {
  const r = structuredClone(report);
  const dimKey = payload('dimension-name');
  r.stakeholders = r.stakeholders.map((s, i) => {
    const row = { ...s, [dimKey]: payload('dimension-value') };
    if (i === 0) row.id = payload('stakeholder-id');
    if (i === 1) row.id = `${payload('stakeholder-id-2')}`;
    if (i === 2) row.stakeholder_type = payload('stakeholder-type');
    return row;
  });
  if (r.segments.length > 0) r.segments[0].value = payload('segment-value');
  if (r.events.length > 0) {
    r.events[0].name = payload('event-name');
    r.events[0].kind = payload('event-kind');
  }
  if (r.gaps.length > 1) {
    r.gaps[1].before = payload('gap-before');
    r.gaps[1].after = payload('gap-after');
  }
  r.input.files = [payload('file-name')];
  r.eventsOutsidePeriod = [payload('event-outside')];
  for (const reason of r.input.rejectReasons) {
    for (const ex of reason.examples) {
      ex.file = payload('reject-file');
      ex.field = payload('reject-field');
      ex.message = payload('reject-message');
    }
  }
  r.settings.tz = payload('tz');
  r.settings.stakeholderCol = payload('stakeholder-col');
  return r;
}
