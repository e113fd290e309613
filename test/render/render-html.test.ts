import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainPaint } from '../../src/render/paint.js';
import type { RenderOptions } from '../../src/render/registry.js';
import { escapeHtml } from '../../src/render/html-escape.js';
import { CONTENT_SECURITY_POLICY, MAX_STAKEHOLDER_ROWS, renderHtml } from '../../src/render/render-html.js';
import { eventsNotice, headlineSentences } from '../../src/render/summary-sentences.js';
import type { Report } from '../../src/report/report-types.js';
import { XSS, XSS_ESCAPED, demoReport, detectedDemoReport, flatReport, hostileReport } from './report-fixtures.js';

const OPTIONS: RenderOptions = { paint: plainPaint, top: 10, width: 100 };

/** Opening tags with their attributes; every attribute value the renderer writes is double-quoted. */
function tags(html: string): { name: string; attrs: { name: string; value: string | null }[] }[] {
  const out: { name: string; attrs: { name: string; value: string | null }[] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=>"'/]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attrs = [...m[2].matchAll(/\s+([^\s=>"'/]+)(?:="([^"]*)")?/g)].map((a) => ({ name: a[1], value: a[2] ?? null }));
    out.push({ name: m[1].toLowerCase(), attrs });
  }
  return out;
}

function between(html: string, open: string, close: string): string {
  const i = html.indexOf(open);
  expect(i, open).toBeGreaterThanOrEqual(0);
  const j = html.indexOf(close, i);
  return html.slice(i, j + close.length);
}

const count = (s: string, sub: string | RegExp): number => (typeof sub === 'string' ? s.split(sub).length - 1 : (s.match(sub) ?? []).length);

/** The HTML tags the renderer may write; anything else would have come from the data. */
const ALLOWED_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'footer', 'section', 'h1', 'h2', 'h3', 'p', 'dl', 'dt', 'dd', 'div', 'span',
  'figure', 'figcaption', 'svg', 'desc', 'rect', 'line', 'text', 'g', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'button', 'code', 'ul', 'li',
  'details', 'summary', 'script',
]);

describe('renderHtml on the demo report', () => {
  let report: Report;
  let html: string;
  beforeAll(async () => {
    report = await demoReport();
    html = renderHtml(report, OPTIONS);
  });

  it('is one HTML5 document', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(count(html, /<html[\s>]/g)).toBe(1);
    expect(count(html, /<head>/g)).toBe(1);
    expect(count(html, /<body>/g)).toBe(1);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<title>engage-audit report · ${report.period.from} → ${report.period.to}</title>`);
    for (const t of tags(html)) expect(ALLOWED_TAGS.has(t.name), `<${t.name}>`).toBe(true);
  });

  it('has the charts and tables under stable ids, the charts labelled for assistive technology', () => {
    for (const id of ['profile-chart', 'timeline-chart', 'spikiness-histogram']) {
      const svg = between(html, `<svg id="${id}"`, '</svg>');
      expect(svg).toContain('role="img"');
      expect(svg).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
      expect(svg).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title><desc id="${id}-desc">[^<]+</desc>`));
    }
    for (const id of ['stakeholder-table', 'segments-table', 'events-table', 'gaps-table', 'rejects-table']) expect(html).toContain(`<table id="${id}"`);
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('needs no network: no external src/href, no stylesheet links, no imports; a strict CSP by hash', () => {
    expect(html).not.toMatch(/\b(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|<object\b|<embed\b|@import|url\(/i);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
    const hash = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
    expect(CONTENT_SECURITY_POLICY).toBe(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)}; img-src 'none'; base-uri 'none'; form-action 'none'`);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`);
    // The CSP allows no inline style attributes and no inline handlers: there must be none.
    for (const t of tags(html)) {
      for (const a of t.attrs) {
        expect(a.name, `<${t.name} ${a.name}>`).not.toBe('style');
        expect(a.name, `<${t.name} ${a.name}>`).not.toMatch(/^on/i);
      }
    }
    expect(count(html, '<script')).toBe(1);
  });

  it('shows the title, the period, the summary sentences and the key figures', () => {
    expect(html).toContain('<h1>Campaign spikiness audit</h1>');
    expect(html).toContain('2024-01-01 → 2025-12-31 (731 days) · 8 events · time zone UTC');
    for (const sentence of headlineSentences(report)) expect(html).toContain(escapeHtml(sentence));
    expect(html).not.toContain('class="notice"');
    const figures = between(html, '<dl class="figures">', '</dl>');
    expect(figures).toContain('<dd>4.26</dd><dd class="sub">95% CI 4.12–4.40</dd>');
    expect(figures).toContain('<dd>236 / 352</dd>');
    expect(figures).toContain('<dd>19 days</dd>');
  });

  it('draws the profile with a dashed baseline at lift 1, axis labels and one bar per defined offset', () => {
    const svg = between(html, '<svg id="profile-chart"', '</svg>');
    expect(count(svg, /<rect class="bar[^"]*"/g)).toBe(report.profile.filter((p) => p.lift !== null).length);
    expect(count(svg, '<line class="baseline"')).toBe(1);
    expect(svg).toContain('>−30</text>');
    expect(svg).toContain('>+30</text>');
    expect(svg).toContain('lift (× baseline rate)');
    expect(svg).toContain('days from the event');
    expect(svg).toContain('back to baseline: day +19');
  });

  it('draws the timeline with one bar per week and the weeks holding window days shaded', () => {
    const svg = between(html, '<svg id="timeline-chart"', '</svg>');
    expect(count(svg, /<rect class="bar[^"]*"/g)).toBe(report.timeline.length);
    expect(count(svg, '<rect class="bar in-window"')).toBe(report.timeline.filter((p) => p.windowDays > 0).length);
    // Adjacent shaded weeks merge into one band: as many bands as runs of window weeks.
    let runs = 0;
    report.timeline.forEach((p, i) => {
      if (p.windowDays > 0 && (i === 0 || report.timeline[i - 1].windowDays === 0)) runs++;
    });
    expect(count(svg, '<rect class="window-shade"')).toBe(runs);
    expect(svg).toContain('>2024</text>');
    expect(svg).toContain('interactions per week');
  });

  it('bins every scored stakeholder in the histogram, the flagged ones exactly those above the threshold', () => {
    const svg = between(html, '<svg id="spikiness-histogram"', '</svg>');
    const bars = [...svg.matchAll(/<rect class="(bar(?: flagged)?)"[^>]*data-low="([^"]+)" data-high="([^"]+)" data-count="(\d+)"/g)];
    const scored = report.stakeholders.filter((s) => s.status === 'scored' && s.spikiness !== null);
    expect(bars.reduce((n, m) => n + Number(m[4]), 0)).toBe(scored.length);
    const flaggedInBars = bars.filter((m) => m[1] === 'bar flagged').reduce((n, m) => n + Number(m[4]), 0);
    expect(flaggedInBars).toBe(report.overall.flaggedStakeholders);
    expect(count(svg, '<line class="threshold"')).toBe(1);
    expect(svg).toContain('flagged above 3: 236 of 352');
  });

  it('lists every stakeholder in a sortable table, numeric cells carrying their sort key', () => {
    const table = between(html, '<table id="stakeholder-table"', '</table>');
    expect(table).toContain('class="sortable"');
    expect(count(table, '<tr')).toBe(report.stakeholders.length + 1);
    expect(table).toMatch(/<th scope="col" class="num" data-type="num" aria-sort="descending"[^>]*><button type="button">spikiness<\/button><\/th>/);
    const first = report.stakeholders[0];
    expect(table).toContain(`<td class="id">${first.id}</td>`);
    expect(table).toContain(`<td class="num spikiness" data-v="${first.spikiness}">149</td>`);
    // Unbounded upper limit and missing values.
    expect(table).toContain(`data-v="${first.ciLow}">25.1–∞</td>`);
    expect(html).toContain('<td class="wrap" data-v="">–</td>');
  });

  it('has the events, gaps and data-quality sections', () => {
    const events = between(html, '<table id="events-table"', '</table>');
    expect(count(events, '<tr')).toBe(report.events.length + 1);
    expect(events).toContain('Oncology Spring Summit 2024');
    expect(count(between(html, '<table id="gaps-table"', '</table>'), '<tr')).toBe(report.gaps.length + 1);
    const dq = between(html, '<section id="data-quality"', '</section>');
    expect(dq).toContain('<dt>Rows read</dt><dd>17,263</dd>');
    expect(dq).toContain('empty stakeholder id');
    expect(dq).toContain(escapeHtml('"n/a": not an ISO 8601 date/time'));
  });

  it('is deterministic and leaves the report untouched', async () => {
    const before = structuredClone(report);
    expect(renderHtml(report, OPTIONS)).toBe(html);
    expect(renderHtml(structuredClone(report), { ...OPTIONS, top: 3, width: 40 })).toBe(html);
    expect(report).toEqual(before);
  });

  it(`shows at most ${MAX_STAKEHOLDER_ROWS} stakeholders, with a note`, () => {
    const big = structuredClone(report);
    big.stakeholders = [...report.stakeholders, ...report.stakeholders].map((s, i) => ({ ...s, id: `S-${String(i).padStart(4, '0')}` }));
    const out = renderHtml(big, OPTIONS);
    expect(count(between(out, '<table id="stakeholder-table"', '</table>'), '<tr')).toBe(MAX_STAKEHOLDER_ROWS + 1);
    expect(out).toContain(`Showing the ${MAX_STAKEHOLDER_ROWS} most spiky of 710 stakeholders`);
  });
});

describe('renderHtml escapes every piece of text from the data', () => {
  let report: Report;
  let html: string;
  beforeAll(async () => {
    report = hostileReport(await demoReport(), () => XSS);
    html = renderHtml(report, OPTIONS);
  });

  it('writes the payload only in its escaped form', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain(XSS);
    expect(html).not.toContain(`"'&`);
    expect(html).toContain(`<td class="id">${XSS_ESCAPED}</td>`);
    expect(count(html, XSS_ESCAPED)).toBeGreaterThan(20);
    for (const t of tags(html)) {
      expect(ALLOWED_TAGS.has(t.name), `<${t.name}>`).toBe(true);
      for (const a of t.attrs) expect(a.name, `<${t.name} ${a.name}>`).not.toMatch(/^on|^src$|^style$/i);
    }
    expect(count(html, '<script')).toBe(1);
  });

  it('escapes in every place the data reaches: tables, headers, attributes, SVG titles, the page title', () => {
    const marked = hostileReport(report, (where) => `<b>${where}</b>"'&`);
    const out = renderHtml(marked, OPTIONS);
    expect(out).not.toMatch(/<b>/);
    const places = [
      'stakeholder-id',
      'stakeholder-id-2',
      'dimension-name',
      'dimension-value',
      'stakeholder-type',
      'segment-value',
      'event-name',
      'event-kind',
      'gap-before',
      'gap-after',
      'file-name',
      'event-outside',
      'reject-file',
      'reject-field',
      'reject-message',
      'tz',
      'stakeholder-col',
    ];
    for (const where of places) expect(out, where).toContain(`&lt;b&gt;${where}&lt;/b&gt;&quot;&#39;&amp;`);
    // The event name is also in the timeline tooltips (SVG <title>) and in the gaps table.
    const timeline = between(out, '<svg id="timeline-chart"', '</svg>');
    expect(timeline).toContain('&lt;b&gt;event-name&lt;/b&gt;');
    // A dimension name is a table header.
    expect(out).toContain('<button type="button">&lt;b&gt;dimension-name&lt;/b&gt;&quot;&#39;&amp;</button>');
    // In the page's <title> and <meta> too.
    expect(between(out, '<p class="meta">', '</p>')).toContain('time zone &lt;b&gt;tz&lt;/b&gt;');
  });

  it('escapes quotes inside attribute values', () => {
    // Dates are sort keys in data-v attributes of the events table.
    const r = structuredClone(report);
    r.events[0].start = `x" onmouseover="alert(1)`;
    r.events[0].windowStart = `y' onfocus='alert(2)`;
    const out = renderHtml(r, OPTIONS);
    expect(out).not.toContain('" onmouseover="');
    expect(out).not.toContain("' onfocus='");
    expect(out).toContain('data-v="x&quot; onmouseover=&quot;alert(1)"');
    expect(out).toContain('data-v="y&#39; onfocus=&#39;alert(2)"');
  });
});

describe('renderHtml without a declared calendar', () => {
  it('says that the campaigns were detected, above the summary', async () => {
    const report = await detectedDemoReport();
    expect(report.eventsSource).toBe('detected');
    const html = renderHtml(report, OPTIONS);
    const notice = eventsNotice(report)!;
    expect(html).toContain(`<p class="notice" role="note">${escapeHtml(notice)}</p>`);
    expect(html.indexOf('class="notice"')).toBeLessThan(html.indexOf('id="summary"'));
    expect(html).toContain('<h2 id="events-heading">Detected campaign bursts</h2>');
  });

  it('renders a log with no campaign pattern: the charts say why they are empty, nulls are en dashes', async () => {
    const report = await flatReport();
    expect(report.events).toEqual([]);
    const html = renderHtml(report, OPTIONS);
    expect(html).toContain(escapeHtml(eventsNotice(report)!));
    for (const id of ['profile-chart', 'timeline-chart', 'spikiness-histogram']) expect(html).toContain(`<svg id="${id}"`);
    expect(between(html, '<svg id="profile-chart"', '</svg>')).toContain('No events: no peri-event profile');
    expect(between(html, '<svg id="spikiness-histogram"', '</svg>')).toContain('No events: no spikiness to plot');
    expect(count(between(html, '<svg id="timeline-chart"', '</svg>'), /<rect class="bar"/g)).toBe(report.timeline.length);
    expect(html).toContain('<dt>Spikiness, overall</dt><dd>–</dd>');
    expect(html.replace(/<script>[\s\S]*<\/script>/, '')).not.toMatch(/NaN|undefined|null|Infinity/);
  });
});
