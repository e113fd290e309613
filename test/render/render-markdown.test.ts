/**
 * The markdown renderer on reports made by the built CLI (`--format json`):
 * markdownlint-clean, valid Mermaid xychart blocks, every data cell escaped,
 * and an executive summary that carries the SPEC §7 headline numbers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lint } from 'markdownlint/promise';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { plainPaint } from '../../src/render/paint.js';
import type { RenderOptions } from '../../src/render/registry.js';
import { mdText } from '../../src/render/markdown-escape.js';
import { renderMarkdown } from '../../src/render/render-markdown.js';
import { renderTable } from '../../src/render/render-table.js';
import { eventsNotice } from '../../src/render/summary-sentences.js';
import type { Report } from '../../src/report/report-types.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

// Each report spawns the CLI (the demo takes a second or more on a busy machine).
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const DEMO = ['fixtures/demo/interactions.csv'];
const DEMO_EVENTS = ['--events', 'fixtures/demo/events.csv'];
const BY_TYPE = ['--by', 'stakeholder_type'];
const WORKED = [
  'fixtures/spec/worked-example.csv',
  '--events',
  'fixtures/spec/worked-example-events.csv',
  ...['--before', '2', '--after', '2', '--profile-days', '5', '--settle-days', '2'],
];

const OPTIONS: RenderOptions = { paint: plainPaint, top: 10, width: 100 };

function jsonReport(args: string[]): Report {
  const r = runCli(['report', ...args, '--format', 'json']);
  if (r.code !== 0) throw new Error(`engage-audit exited ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

/*
 * Default rules, with MD013 (line length) off: GFM table rows (event names,
 * date ranges, nine columns) and the Mermaid data lines cannot fit 80
 * columns, and prose paragraphs are left unwrapped so that they paste cleanly
 * into a word processor.
 */
const LINT_CONFIG = { default: true, MD013: false };

async function lintErrors(markdown: string): Promise<string[]> {
  const results = await lint({ strings: { report: markdown }, config: LINT_CONFIG });
  return results.report.map((e) => `line ${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription} ${e.errorDetail ?? ''} [${e.errorContext ?? ''}]`);
}

/** The body of the `## title` section (up to the next `## ` heading). */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const rest = markdown.slice(start + title.length + 5);
  const end = rest.search(/\n## /);
  return end === -1 ? rest : rest.slice(0, end);
}

interface Chart {
  lines: string[];
  labels: string[];
  series: { kind: string; values: number[] }[];
  yMax: number;
}

/** The xychart grammar's number: no exponent, no thousands separator. */
const CHART_NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

function mermaidCharts(markdown: string): Chart[] {
  const blocks = [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]);
  return blocks.map((block) => {
    const lines = block.split('\n').map((l) => l.trim());
    const xAxis = lines.find((l) => l.startsWith('x-axis '));
    const yAxis = lines.find((l) => l.startsWith('y-axis '));
    expect(xAxis, block).toBeDefined();
    expect(yAxis, block).toMatch(/^y-axis "[^"]+" 0 --> \S+$/);
    const yMaxText = /--> (\S+)$/.exec(yAxis!)![1];
    expect(yMaxText).toMatch(CHART_NUMBER);
    expect(xAxis).toMatch(/^x-axis "[^"]+" \[.*\]$/);
    const labelText = /\[(.*)\]$/.exec(xAxis!)![1];
    const labels = labelText.split(', ').map((l) => {
      expect(l, 'every x label is a quoted string').toMatch(/^"[^"]*"$/);
      return l.slice(1, -1);
    });
    const series = lines
      .filter((l) => /^(bar|line) /.test(l))
      .map((l) => {
        const [, kind, data] = /^(bar|line) \[(.*)\]$/.exec(l)!;
        const raw = data.split(', ');
        for (const v of raw) expect(v, l).toMatch(CHART_NUMBER);
        return { kind, values: raw.map(Number) };
      });
    return { lines, labels, series, yMax: Number(yMaxText) };
  });
}

function expectWellFormedCharts(markdown: string, count: number): Chart[] {
  const charts = mermaidCharts(markdown);
  expect(charts).toHaveLength(count);
  for (const c of charts) {
    expect(c.lines[0]).toBe('xychart-beta');
    expect(c.series.length).toBeGreaterThan(0);
    for (const s of c.series) {
      expect(s.values, `${s.kind} series against the x labels`).toHaveLength(c.labels.length);
      for (const v of s.values) expect(v).toBeLessThanOrEqual(c.yMax);
    }
    // A band axis merges equal labels; each must be distinct.
    expect(new Set(c.labels).size).toBe(c.labels.length);
  }
  return charts;
}

/** Cells of a GFM table row, split on unescaped pipes. */
function cells(row: string): string[] {
  return row
    .replace(/^\| /, '')
    .replace(/ \|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('renderMarkdown on the demo, declared events, by stakeholder_type', () => {
  let report: Report;
  let md: string;
  beforeAll(() => {
    report = jsonReport([...DEMO, ...DEMO_EVENTS, ...BY_TYPE]);
    md = renderMarkdown(report, OPTIONS);
  });

  it('passes markdownlint', async () => {
    expect(await lintErrors(md)).toEqual([]);
  });

  it('has the title, period, events, time zone and every section, with no events notice', () => {
    expect(md.startsWith('# Engagement audit\n')).toBe(true);
    expect(md).toContain(`${report.period.from} to ${report.period.to}`);
    expect(md).toContain(`Events: ${report.events.length} declared`);
    expect(md).toContain('Time zone: UTC');
    for (const h of ['Executive summary', 'Segments', 'Stakeholders', 'Events', 'Engagement around events', 'Gaps between events', 'Engagement over time', 'Data quality', 'Methodology']) {
      expect(md).toContain(`\n## ${h}`);
    }
    expect(md).not.toContain('> Note:');
    expect(md).not.toMatch(/\u001b/);
  });

  it('names the most and the least spiky segment in the summary', () => {
    const bySpikiness = [...report.segments].sort((a, b) => b.spikiness! - a.spikiness!);
    const summary = section(md, 'Executive summary');
    expect(summary).toContain(`the most spiky segment is ${mdText(bySpikiness[0].value)} (spikiness`);
    expect(summary).toContain(`the least spiky is ${mdText(bySpikiness[bySpikiness.length - 1].value)} (spikiness`);
  });

  it('names the gap with the highest dark share between two events, with its events and dates', () => {
    const between = report.gaps.filter((g) => g.before !== null && g.after !== null && g.darkShare !== null);
    const worst = between.reduce((a, b) => (b.darkShare! > a.darkShare! ? b : a));
    const summary = section(md, 'Executive summary');
    expect(summary).toContain(
      `The steepest drop-off comes after ${worst.before}: ${worst.silentThrough} of the ${worst.engagedBefore} stakeholders engaged around it (${Math.round(worst.darkShare! * 100)}%)`,
    );
    expect(summary).toContain(`from ${worst.start} to ${worst.end}, until ${worst.after}.`);
  });

  it('lists the top N most spiky and the N least spiky scored stakeholders', () => {
    const top5 = renderMarkdown(report, { ...OPTIONS, top: 5 });
    const scored = report.stakeholders.filter((s) => s.status === 'scored');
    const most = section(top5, 'Stakeholders').split('### Least spiky')[0];
    const mostRows = most.split('\n').filter((l) => /^\| (?!id |---)/.test(l));
    expect(mostRows.map((r) => cells(r)[0])).toEqual(scored.slice(0, 5).map((s) => mdText(s.id)));
    const least = section(top5, 'Stakeholders').split('### Least spiky')[1];
    const leastRows = least.split('\n').filter((l) => /^\| (?!id |---)/.test(l));
    expect(leastRows.map((r) => cells(r)[0])).toEqual(scored.slice(-5).reverse().map((s) => mdText(s.id)));
  });

  it('draws the lift profile and a thinned weekly timeline that loses no interaction', () => {
    const [lift, timeline] = expectWellFormedCharts(md, 2);
    expect(lift.labels).toContain('0');
    expect(lift.labels.length).toBeLessThanOrEqual(21);
    expect(lift.series.map((s) => s.kind)).toEqual(['bar', 'line']);
    expect(timeline.labels.length).toBeLessThanOrEqual(26);
    expect(timeline.labels[0]).toBe(report.timeline[0].start);
    const total = report.timeline.reduce((s, p) => s + p.volume, 0);
    expect(timeline.series[0].values.reduce((s, v) => s + v, 0)).toBe(total);
  });

  it('gives the peak day of the daily profile, as the table and the HTML do, though its bars group days', () => {
    const measured = report.profile.filter((p) => p.lift !== null);
    const top = measured.reduce((best, p) => (p.lift! > best.lift! ? p : best));
    const offset = top.offset === 0 ? '0' : `${top.offset > 0 ? '+' : '−'}${Math.abs(top.offset)}`;
    expect(section(md, 'Engagement around events')).toMatch(new RegExp(`The peak is [0-9.,]+× at day ${offset} \\(one day; a bar averages its days\\);`));
    expect(renderTable(report, OPTIONS)).toContain(`peak lift`);
    expect(renderTable(report, OPTIONS)).toContain(`at offset ${offset}`);
  });

  it('reports data quality: rows read, used, rejected, out of range, reasons with examples', () => {
    const dq = section(md, 'Data quality');
    const inp = report.input;
    expect(dq).toContain(`${inp.rowsRead.toLocaleString('en-US')} rows read from 1 file: ${inp.rowsUsed.toLocaleString('en-US')} used, ${inp.rowsRejected} rejected, ${inp.rowsOutOfRange} outside the period.`);
    for (const r of inp.rejectReasons) {
      expect(dq).toContain(`${r.reason} ${r.count}`);
      for (const ex of r.examples) expect(dq).toContain(mdText(ex.message));
    }
    expect(dq).toContain('No event lies outside the period.');
  });

  it('is deterministic', () => {
    expect(renderMarkdown(structuredClone(report), OPTIONS)).toBe(md);
  });
});

describe('renderMarkdown with two --by dimensions', () => {
  it('speaks of the dimensions in --by order, though the segments are sorted by spikiness across them', () => {
    for (const by of ['stakeholder_type,channel', 'channel,stakeholder_type']) {
      const report = jsonReport([...DEMO, ...DEMO_EVENTS, '--by', by]);
      // channel's congress_booth (3,642) outranks every stakeholder_type: the segments interleave.
      expect(report.segments[0].dimension).toBe('channel');
      const summary = section(renderMarkdown(report, OPTIONS), 'Executive summary');
      const [first, second] = by.split(',');
      expect(summary.indexOf(`By ${first}, `)).toBeGreaterThan(-1);
      expect(summary.indexOf(`By ${first}, `)).toBeLessThan(summary.indexOf(`By ${second}, `));
    }
  });
});

describe('renderMarkdown on the demo without --events (detected campaigns)', () => {
  let report: Report;
  let md: string;
  beforeAll(() => {
    report = jsonReport([...DEMO]);
    md = renderMarkdown(report, OPTIONS);
  });

  it('puts the detected-events notice near the top', () => {
    expect(report.eventsSource).toBe('detected');
    const notice = eventsNotice(report);
    expect(notice).not.toBeNull();
    const at = md.indexOf(`> Note: ${mdText(notice!)}`);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('## Executive summary'));
    expect(md).toContain('detected from the data');
  });

  it('passes markdownlint and draws well-formed charts, without ANSI codes', async () => {
    expect(await lintErrors(md)).toEqual([]);
    expectWellFormedCharts(md, 2);
    expect(md).not.toMatch(/\u001b/);
  });

  it('still passes markdownlint when nothing is detected at all', async () => {
    const none: Report = structuredClone(report);
    none.events = [];
    none.gaps = [];
    none.profile = [];
    none.profileDaysToBaseline = null;
    const out = renderMarkdown(none, OPTIONS);
    expect(await lintErrors(out)).toEqual([]);
    expect(out).toContain(`> Note: ${mdText(eventsNotice(none)!)}`);
    expect(out).toContain('### Most bursty stakeholders');
    expectWellFormedCharts(out, 1);
  });
});

describe('renderMarkdown on the SPEC §7 worked example', () => {
  let report: Report;
  let md: string;
  beforeAll(() => {
    report = jsonReport(WORKED);
    md = renderMarkdown(report, OPTIONS);
  });

  it('passes markdownlint', async () => {
    expect(await lintErrors(md)).toEqual([]);
  });

  it('carries the headline numbers of SPEC §7 in the executive summary', () => {
    // Period 01-01…01-20 (20 days), window 01-08…01-12: D_W = 5, D_B = 15.
    // Window interactions: A on 01-09, 01-10 (twice); B on 01-11 → 4 of 7.
    const windowShare = 4 / 7; // 57%
    const expectedShare = 5 / 20; // π = 25%
    const rateRatio = 4 / 5 / (3 / 15); // r_W / r_B = 0.8 / 0.2 = 4
    const spikiness = 4.25 / 5 / (3.75 / 15); // 3.4
    const pct = (v: number): string => `${Math.round(v * 100)}%`;
    const summary = section(md, 'Executive summary');
    expect(summary).toContain(`${pct(windowShare)} of engagement falls in the ${pct(expectedShare)} of days around events`);
    expect(pct(windowShare)).toBe('57%');
    expect(pct(expectedShare)).toBe('25%');
    expect(summary).toContain(`${rateRatio.toFixed(2)}× the baseline rate (95% CI 0.68–27.3)`); // SPEC: 0.6767… to 27.3066…
    expect(summary).toContain('back to baseline in 2 days'); // E1 / profile daysToBaseline 2
    expect(summary).toContain(`Spikiness ${spikiness.toFixed(2)} overall; 1 of 1 scored stakeholders exceed 3`); // only A is scored (3.545…)
    // The one gap with a dark share: 01-13…01-20 after E1, 2 engaged, 1 silent.
    expect(summary).toContain('after E1: 1 of the 2 stakeholders engaged around it (50%) heard nothing in the 8 days from 2024-01-13 to 2024-01-20, until the end of the period.');
  });

  it('draws the SPEC §7 profile lifts by offset −5…5', () => {
    const [lift, timeline] = expectWellFormedCharts(md, 2);
    expect(lift.labels).toEqual(['−5', '−4', '−3', '−2', '−1', '0', '+1', '+2', '+3', '+4', '+5']);
    expect(lift.series[0]).toEqual({ kind: 'bar', values: [5, 0, 0, 0, 5, 10, 5, 0, 0, 0, 0] });
    expect(lift.series[1].values.every((v) => v === 1)).toBe(true);
    // ISO weeks from Monday 2024-01-01: 2, 4 and 1 interactions.
    expect(timeline.labels).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
    expect(timeline.series[0].values).toEqual([2, 4, 1]);
  });

  it('explains the method in plain words, with the settings used', () => {
    const m = section(md, 'Methodology');
    expect(m).toContain('2 days before its start to 2 days after its end');
    expect(m).toContain('**Spikiness**');
    expect(m).toContain('**Confidence interval.** The 95% interval');
    expect(m).toContain('within 20% of the baseline rate for 2 days in a row, looking up to 5 days ahead');
    expect(m).not.toContain('heavy interactions');
  });

  it('warns, with weights, that spikiness can lie below the interval', () => {
    const weighted = structuredClone(report);
    weighted.settings.weightCol = 'minutes';
    const m = section(renderMarkdown(weighted, OPTIONS), 'Methodology');
    expect(m).toContain('the sum of the minutes column');
    expect(m).toContain('a stakeholder with few heavy interactions can have a spikiness below the interval');
  });
});

describe('escaping data text', () => {
  const NASTY = "#1 | `rm -rf` <script>alert('x')</script> & co\nline\u001b[31m two_ *b* [l](u)";
  const ESCAPED = "\\#1 \\| \\`rm -rf\\` &lt;script&gt;alert('x')&lt;/script&gt; &amp; co line \\[31m two\\_ \\*b\\* \\[l\\](u)";

  let md: string;
  let hostile: Report;
  beforeAll(() => {
    hostile = jsonReport(WORKED);
    const a = hostile.stakeholders.find((s) => s.id === 'A')!;
    a.id = `${NASTY} id`;
    a.team = `${NASTY} team`;
    hostile.settings.by = ['team'];
    hostile.events[0].name = `${NASTY} event`;
    for (const g of hostile.gaps) {
      if (g.before === 'E1') g.before = `${NASTY} event`;
      if (g.after === 'E1') g.after = `${NASTY} event`;
    }
    hostile.segments = [
      { dimension: 'team', value: `${NASTY} segment`, ...hostile.overall },
      { dimension: 'team', value: 'plain', ...hostile.overall, spikiness: 1 },
    ];
    hostile.eventsOutsidePeriod = [`${NASTY} outside`];
    md = renderMarkdown(hostile, OPTIONS);
  });

  it('escapes every table cell and every name in the text', () => {
    for (const suffix of ['id', 'team', 'event', 'segment', 'outside']) {
      expect(md).toContain(`${ESCAPED} ${suffix}`);
    }
    expect(md).toContain(`the most spiky segment is ${ESCAPED} segment (`);
    expect(md).toContain(`comes after ${ESCAPED} event: 1 of the 2`);
  });

  it('lets no raw HTML, ANSI code or stray heading through', () => {
    expect(md).not.toContain('<');
    expect(md).not.toMatch(/\u001b/);
    expect(md).not.toMatch(/&(?!amp;|lt;|gt;)/);
    for (const line of md.split('\n')) {
      if (line.startsWith('#')) expect(line).toMatch(/^#{1,3} [A-Z]/);
    }
  });

  it('keeps every table row at its header width (no pipe splits a cell) and passes markdownlint', async () => {
    const tables = md.split('\n\n').filter((b) => b.startsWith('| '));
    expect(tables.length).toBe(4); // segments, stakeholders, events, gaps
    for (const t of tables) {
      const rows = t.split('\n');
      const width = cells(rows[0]).length;
      for (const r of rows) expect(cells(r), r).toHaveLength(width);
    }
    expect(await lintErrors(md)).toEqual([]);
  });

  it('breaks URL and e-mail autolinks and emphasis, keeps intraword underscores', async () => {
    expect(mdText('see https://x.org or www.y.org, mail a@b.org')).toBe('see https\\://x.org or www\\.y.org, mail a\\@b.org');
    expect(mdText('patient_org _x_ a\\b ~~s~~')).toBe('patient_org \\_x\\_ a\\\\b \\~\\~s\\~\\~');
    const id = 'https://crm.example.com/a_b?x=1 mail@example.com';
    const r: Report = structuredClone(hostile);
    r.stakeholders[0].id = id;
    expect(await lintErrors(renderMarkdown(r, OPTIONS))).toEqual([]);
  });
});

describe('render-markdown.ts', () => {
  it('is a pure renderer: no fs, process, chalk or clock', () => {
    const source = readFileSync(join(ROOT, 'src/render/render-markdown.ts'), 'utf8');
    expect(source).not.toMatch(/from ['"](node:|fs|chalk|path|os)/);
    expect(source).not.toMatch(/\bprocess\.|\bDate\b|\bconsole\./);
  });
});
