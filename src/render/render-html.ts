/**
 * `--format html`: the whole report as ONE self-contained HTML5 page — inline
 * CSS, inline SVG charts, a few lines of inline script for sorting tables, no
 * network access. The page's Content-Security-Policy allows exactly that style
 * sheet and that script (by hash) and nothing else, so that even text that
 * slipped through unescaped could neither run nor load anything.
 *
 * Pure: (report, options) → string; no fs, no process, no clock.
 */
import { createHash } from 'node:crypto';
import { stakeholderDimensionNames, type Report, type ReportStakeholder } from '../report/report-types.js';
import { isFlagged } from '../analysis/stakeholder-metrics.js';
import { amount, bucketAdjective, commonWindow, fixed, integer, interval, percent, plural, ratio, segmentValueLabel, signedOffset, DASH } from './format-number.js';
import { profileChart, spikinessHistogram, timelineChart } from './html-charts.js';
import { attr, escapeHtml } from './html-escape.js';
import type { RenderOptions } from './registry.js';
import { betweenEventsDarkShare, duplicatesSentence, eventsNotice, headlineSentences } from './summary-sentences.js';

/** The stakeholder table shows at most this many rows (the most spiky, in report order). */
export const MAX_STAKEHOLDER_ROWS = 500;

const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1f24; --muted: #5b6470; --line: #d8dde3; --grid: #e6e9ed; --plot-bg: #fbfcfd;
  --card: #f5f7f9; --accent: #3b82f6; --event: #1e40af; --bar: #a3adb9; --shade: #fdecc8;
  --flag: #c2410c; --flag-bg: #fff1e8; --notice-bg: #fff7e0; --notice-line: #e8b43a;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #15181c; --fg: #e4e7eb; --muted: #9aa4af; --line: #343a42; --grid: #2a3037; --plot-bg: #1a1e23;
    --card: #1f242a; --accent: #5b9bf8; --event: #a9c8ff; --bar: #6b7582; --shade: #4a3b1c;
    --flag: #fb8c4c; --flag-bg: #3a2418; --notice-bg: #3a3118; --notice-line: #b8902a;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1240px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 28px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 20px 0 8px; }
p { margin: 8px 0; }
.meta, .note, figcaption, footer { color: var(--muted); font-size: 0.875rem; }
.notice { background: var(--notice-bg); border-left: 4px solid var(--notice-line); padding: 10px 14px; margin: 16px 0; }
.headline { font-size: 1.06rem; max-width: 70em; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 12px; margin: 0; }
.figures > div { background: var(--card); border-radius: 8px; padding: 12px 14px; }
.figures dt { color: var(--muted); font-size: 0.8rem; }
.figures dd { margin: 2px 0 0; font-size: 1.5rem; font-weight: 600; font-variant-numeric: tabular-nums; }
.figures dd.sub { font-size: 0.8rem; font-weight: 400; color: var(--muted); }
figure { margin: 8px 0 0; }
.chart { display: block; width: 100%; max-width: 960px; height: auto; }
.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: var(--fg); }
.chart .tick { fill: var(--muted); }
.chart .axis-title { font-size: 12px; fill: var(--muted); }
.chart .plot-bg { fill: var(--plot-bg); }
.chart .grid { stroke: var(--grid); stroke-width: 1; }
.chart .axis, .chart .tick-mark { stroke: var(--muted); stroke-width: 1; }
.chart .bar { fill: var(--bar); }
.chart .bar.in-window { fill: var(--accent); }
.chart .bar.event-day { fill: var(--event); }
.chart .bar.flagged { fill: var(--flag); }
.chart .bar:hover { opacity: 0.75; }
.chart .window-shade { fill: var(--shade); }
.chart .baseline { stroke: var(--fg); stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .marker, .chart .reference { stroke: var(--muted); stroke-width: 1.2; stroke-dasharray: 2 3; }
.chart .threshold { stroke: var(--flag); stroke-width: 1.5; stroke-dasharray: 6 4; }
.chart .threshold-label { fill: var(--flag); font-weight: 600; }
.chart .muted { fill: var(--muted); }
.chart .halo { paint-order: stroke; stroke: var(--plot-bg); stroke-width: 3px; stroke-linejoin: round; }
.chart .empty-note { fill: var(--muted); font-size: 14px; }
.legend { display: inline-flex; align-items: center; gap: 5px; margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; background: var(--bar); }
.swatch.in-window { background: var(--accent); }
.swatch.event-day { background: var(--event); }
.swatch.flagged { background: var(--flag); }
.swatch.shade { background: var(--shade); border: 1px solid var(--line); }
.swatch.dashed { height: 0; border-top: 2px dashed var(--fg); border-radius: 0; background: none; }
.swatch.dashed.threshold { border-top-color: var(--flag); }
.table-scroll { overflow: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; }
.table-scroll.tall { max-height: 36rem; }
table { border-collapse: collapse; font-size: 0.8rem; font-variant-numeric: tabular-nums; width: 100%; }
.table-scroll.narrow { display: inline-block; min-width: 16rem; }
th, td { padding: 4px 6px; border-bottom: 1px solid var(--grid); text-align: left; white-space: nowrap; vertical-align: top; }
th.num, td.num { text-align: right; }
thead th { position: sticky; top: 0; background: var(--card); z-index: 1; font-weight: 600; border-bottom: 1px solid var(--line); }
th button { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: inherit; }
th button::after { content: "\\2195"; color: var(--muted); opacity: 0.5; margin-left: 3px; font-size: 0.85em; }
th[aria-sort="ascending"] button::after { content: "\\25B2"; opacity: 1; }
th[aria-sort="descending"] button::after { content: "\\25BC"; opacity: 1; }
th button:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
tbody tr:hover td { background: var(--card); }
tr.flagged td.spikiness { color: var(--flag); font-weight: 600; }
tr.insufficient td { color: var(--muted); }
td.wrap { white-space: normal; min-width: 16em; }
.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.95em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ul.examples { margin: 4px 0 0; padding-left: 18px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85em; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: var(--muted); }
footer { padding-top: 32px; padding-bottom: 32px; }
@media print {
  :root {
    --bg: #ffffff; --fg: #000000; --muted: #444b53; --line: #c4cad1; --grid: #dde1e5; --plot-bg: #ffffff;
    --card: #f3f5f7; --accent: #3b82f6; --event: #1e40af; --bar: #a3adb9; --shade: #fdecc8;
    --flag: #c2410c; --flag-bg: #fff1e8; --notice-bg: #fff7e0; --notice-line: #e8b43a;
  }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; }
  .table-scroll, .table-scroll.tall { max-height: none; overflow: visible; border: 0; }
  thead { display: table-header-group; }
  thead th { position: static; }
  th button::after { content: none; }
  tr, figure, .figures > div { break-inside: avoid; }
  h2 { break-after: avoid; }
  .chart { max-width: 100%; }
}
`;

/** Click a header to sort its table; numeric columns compare as numbers, empty cells stay last. */
const SCRIPT = `
(function () {
  'use strict';
  var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  function key(cell, numeric) {
    var raw = cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent;
    if (raw === null || raw.trim() === '') return null;
    if (!numeric) return raw.trim();
    var x = Number(raw);
    return isNaN(x) ? null : x;
  }
  function sortBy(table, th, col) {
    var numeric = th.getAttribute('data-type') === 'num';
    var current = th.getAttribute('aria-sort');
    var dir = current === 'descending' ? 'ascending' : current === 'ascending' ? 'descending' : numeric ? 'descending' : 'ascending';
    var sign = dir === 'ascending' ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row, i) {
      return { row: row, key: key(row.cells[col], numeric), i: i };
    });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) return a.i - b.i;
        return a.key === null ? 1 : -1;
      }
      var d = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      return d !== 0 ? sign * d : a.i - b.i;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (r) { fragment.appendChild(r.row); });
    body.appendChild(fragment);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
      if (other !== th) other.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', dir);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var button = th.querySelector('button');
      if (button) button.addEventListener('click', function () { sortBy(table, th, col); });
    });
  });
})();
`;

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Only the page's own style sheet and script may apply; nothing may load or connect. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// ---------------------------------------------------------------------------
// Tables

interface Cell {
  text: string;
  /** Sort key: a number for numeric columns; null sorts last. Omitted: the text. */
  value?: string | number | null;
  className?: string;
  title?: string;
}

interface Column<T> {
  head: string;
  title?: string;
  numeric?: boolean;
  cell: (row: T) => Cell;
}

function sortKey(cell: Cell): string | undefined {
  if (cell.value === undefined) return cell.text === DASH ? '' : undefined;
  if (cell.value === null) return '';
  if (typeof cell.value === 'number') return Number.isFinite(cell.value) ? String(cell.value) : '';
  return cell.value;
}

function dataTable<T>(
  id: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  opts: { sortable?: boolean; narrow?: boolean; sortedBy?: { column: number; dir: 'ascending' | 'descending' }; rowClass?: (row: T) => string | null; tall?: boolean; label: string },
): string {
  const sortable = opts.sortable ?? true;
  const head = columns
    .map((col, i) => {
      const cls = col.numeric ? ' class="num"' : '';
      const type = sortable ? attr('data-type', col.numeric ? 'num' : 'text') : '';
      const sorted = opts.sortedBy && opts.sortedBy.column === i ? attr('aria-sort', opts.sortedBy.dir) : '';
      const label = escapeHtml(col.head);
      return `<th scope="col"${cls}${type}${sorted}${attr('title', col.title)}>${sortable ? `<button type="button">${label}</button>` : label}</th>`;
    })
    .join('');
  const body = rows
    .map((row) => {
      const rc = opts.rowClass?.(row) ?? null;
      const cells = columns
        .map((col) => {
          const cell = col.cell(row);
          const classes = [col.numeric ? 'num' : '', cell.className ?? ''].filter((k) => k !== '').join(' ');
          const key = sortable ? sortKey(cell) : undefined;
          return `<td${classes ? ` class="${classes}"` : ''}${attr('data-v', key)}${attr('title', cell.title)}>${escapeHtml(cell.text)}</td>`;
        })
        .join('');
      return `<tr${attr('class', rc)}>${cells}</tr>`;
    })
    .join('\n');
  return (
    `<div class="table-scroll${opts.tall ? ' tall' : ''}${opts.narrow ? ' narrow' : ''}"><table id="${id}"${sortable ? ' class="sortable"' : ''}${attr('aria-label', opts.label)}>` +
    `<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`
  );
}

const num = (text: string, value: number | null): Cell => ({ text, value });
const txt = (value: string | null | undefined): Cell => ({ text: value === null || value === undefined || value === '' ? DASH : value });
const days = (v: number | null): string => (v === null ? DASH : `${integer(v)} d`);
const lift = (v: number | null): string => (v === null ? DASH : `${ratio(v)}×`);


/** The profile legend's window entry: the shared window, or a note that it varies. */
function windowLegend(report: Report): string {
  const w = commonWindow(report.events);
  return w === null ? 'window (varies by event; not coloured)' : `window (${signedOffset(-w.before)} … ${signedOffset(w.after)} days)`;
}

// ---------------------------------------------------------------------------
// Sections

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-heading">\n<h2 id="${id}-heading">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function figure(chart: string, caption: string): string {
  return `<figure>${chart}<figcaption>${caption}</figcaption></figure>`;
}

function legend(swatch: string, text: string): string {
  return `<span class="legend"><span class="${swatch === '' ? 'swatch' : `swatch ${swatch}`}"></span>${escapeHtml(text)}</span>`;
}

function keyFigures(report: Report): string {
  const o = report.overall;
  const s = report.settings;
  const dark = betweenEventsDarkShare(report);
  const items: [string, string, string][] = [
    ['Spikiness, overall', ratio(o.spikiness), `${percent(s.confidence)} CI ${interval(o.ciLow, o.ciHigh)}`],
    ['Engagement in event windows', percent(o.windowShare), `in ${percent(o.expectedShare)} of the days (${integer(report.period.windowDays)} of ${integer(report.period.days)})`],
    ['Flagged stakeholders', `${integer(o.flaggedStakeholders)} / ${integer(o.scoredStakeholders)}`, `scored stakeholders with spikiness above ${s.flagAbove}`],
    ['Median spikiness', ratio(o.medianSpikiness), `p90 ${ratio(o.p90Spikiness)}, over scored stakeholders`],
    [
      'Back to baseline after events',
      report.profileDaysToBaseline === null ? DASH : plural(report.profileDaysToBaseline, 'day'),
      report.profileDaysToBaseline === null ? (report.events.length === 0 ? 'no events' : `not within ${plural(s.profileDays, 'day')}`) : `within ${Math.round(s.tolerance * 100)}% of the baseline rate for ${plural(s.settleDays, 'day')}`,
    ],
    ['Dark between events', percent(dark.share), `${integer(dark.silent)} of ${integer(dark.engaged)} engaged at an event hear nothing until the next`],
    ['Interactions', integer(o.interactions), `from ${plural(o.stakeholders, 'stakeholder')}${s.weightCol !== null ? `, volume ${amount(o.volume)}` : ''}`],
    [
      report.eventsSource === 'detected' ? 'Detected campaign bursts' : 'Events',
      integer(report.events.length),
      `baseline rate ${report.period.baselineRate === null ? DASH : ratio(report.period.baselineRate)} per day`,
    ],
  ];
  return `<dl class="figures">\n${items.map(([dt, dd, sub]) => `<div><dt>${escapeHtml(dt)}</dt><dd>${escapeHtml(dd)}</dd><dd class="sub">${escapeHtml(sub)}</dd></div>`).join('\n')}\n</dl>`;
}

function stakeholderSection(report: Report): string {
  const all = report.stakeholders;
  const rows = all.slice(0, MAX_STAKEHOLDER_ROWS);
  const s = report.settings;
  const dims = stakeholderDimensionNames(rows);
  const weighted = s.weightCol !== null;
  const columns: Column<ReportStakeholder>[] = [
    { head: 'id', cell: (r) => ({ text: r.id, className: 'id' }) },
    ...dims.map((d): Column<ReportStakeholder> => ({ head: d, cell: (r) => txt(r[d] === null || r[d] === undefined ? null : String(r[d])) })),
    { head: 'status', title: `scored: at least ${s.minInteractions} interactions`, cell: (r) => txt(r.status) },
    { head: 'n', numeric: true, title: 'interactions in the period', cell: (r) => num(integer(r.interactions), r.interactions) },
    ...(weighted ? [{ head: 'volume', numeric: true, cell: (r: ReportStakeholder) => num(amount(r.volume), r.volume) }] : []),
    { head: 'window', numeric: true, title: 'share of the volume on event-window days', cell: (r) => num(percent(r.windowShare), r.windowShare) },
    {
      head: 'spikiness',
      numeric: true,
      title: `window-to-baseline rate ratio, shrunk towards 1; flagged above ${s.flagAbove}`,
      cell: (r) => ({ ...num(ratio(r.spikiness), r.spikiness), className: 'spikiness' }),
    },
    { head: `${percent(s.confidence)} CI`, numeric: true, title: 'exact confidence interval of the rate ratio (sorts by its lower bound)', cell: (r) => num(interval(r.ciLow, r.ciHigh), r.ciLow) },
    { head: 'bursty', numeric: true, title: 'burstiness of the gaps between interactions, −1 regular … 1 bursty', cell: (r) => num(fixed(r.burstiness), r.burstiness) },
    { head: 'silence', numeric: true, title: 'longest run of days without interaction', cell: (r) => num(days(r.longestSilenceDays), r.longestSilenceDays) },
    { head: 'dark', numeric: true, title: `silences of ${s.silenceDays} days or more`, cell: (r) => num(integer(r.darkPeriods), r.darkPeriods) },
    { head: 'dark baseline', numeric: true, title: 'share of the baseline days spent in dark periods', cell: (r) => num(percent(r.darkBaselineShare), r.darkBaselineShare) },
    { head: 'active', title: 'first and last day with an interaction (sorts by the first)', cell: (r) => ({ text: `${r.firstDay} – ${r.lastDay}`, value: r.firstDay }) },
  ];
  const spikinessColumn = columns.findIndex((c) => c.head === 'spikiness');
  const notes: string[] = [];
  if (all.length > rows.length) {
    notes.push(`Showing the ${integer(rows.length)} most spiky of ${integer(all.length)} stakeholders; sorting applies to these rows. The JSON and CSV formats list them all.`);
  } else {
    notes.push(`All ${plural(all.length, 'stakeholder')}, most spiky first.`);
  }
  notes.push(`Click a column header to sort. Highlighted: flagged (scored, spikiness above ${s.flagAbove}); greyed: fewer than ${s.minInteractions} interactions, not scored.`);
  return (
    `<p class="note">${escapeHtml(notes.join(' '))}</p>\n` +
    dataTable('stakeholder-table', columns, rows, {
      label: 'Stakeholders',
      tall: true,
      sortedBy: { column: spikinessColumn, dir: 'descending' },
      rowClass: (r) => (r.status === 'insufficient' ? 'insufficient' : isFlagged(r, s.flagAbove) ? 'flagged' : null),
    })
  );
}

function segmentsSection(report: Report): string {
  const s = report.settings;
  type Seg = Report['segments'][number];
  const columns: Column<Seg>[] = [
    { head: 'dimension', cell: (r) => txt(r.dimension) },
    { head: 'value', cell: (r) => ({ text: segmentValueLabel(r.value) }) },
    { head: 'members', numeric: true, cell: (r) => num(integer(r.stakeholders), r.stakeholders) },
    { head: 'n', numeric: true, cell: (r) => num(integer(r.interactions), r.interactions) },
    { head: 'window', numeric: true, cell: (r) => num(percent(r.windowShare), r.windowShare) },
    { head: 'spikiness', numeric: true, cell: (r) => ({ ...num(ratio(r.spikiness), r.spikiness), className: 'spikiness' }) },
    { head: `${percent(s.confidence)} CI`, numeric: true, cell: (r) => num(interval(r.ciLow, r.ciHigh), r.ciLow) },
    { head: 'flagged', numeric: true, title: 'flagged / scored stakeholders', cell: (r) => num(`${integer(r.flaggedStakeholders)}/${integer(r.scoredStakeholders)}`, r.flaggedStakeholders) },
    { head: 'median', numeric: true, cell: (r) => num(ratio(r.medianSpikiness), r.medianSpikiness) },
    { head: 'p90', numeric: true, cell: (r) => num(ratio(r.p90Spikiness), r.p90Spikiness) },
  ];
  return dataTable('segments-table', columns, report.segments, {
    label: 'Segments',
    sortedBy: { column: 5, dir: 'descending' },
    rowClass: (r) => (r.spikiness !== null && r.spikiness > s.flagAbove ? 'flagged' : null),
  });
}

function eventsSection(report: Report): string {
  const P = report.settings.profileDays;
  const weighted = report.settings.weightCol !== null;
  type Ev = Report['events'][number];
  const columns: Column<Ev>[] = [
    { head: 'event', cell: (r) => ({ text: r.name, className: 'wrap' }) },
    { head: 'kind', cell: (r) => txt(r.kind) },
    { head: 'dates', cell: (r) => ({ text: r.start === r.end ? r.start : `${r.start} – ${r.end}`, value: r.start }) },
    { head: 'window', cell: (r) => ({ text: `${r.windowStart} – ${r.windowEnd}`, value: r.windowStart }) },
    { head: 'days', numeric: true, cell: (r) => num(integer(r.windowDays), r.windowDays) },
    { head: 'n', numeric: true, title: 'interactions in the window', cell: (r) => num(integer(r.interactions), r.interactions) },
    ...(weighted ? [{ head: 'volume', numeric: true, cell: (r: Ev) => num(amount(r.volume), r.volume) }] : []),
    { head: 'active', numeric: true, title: 'stakeholders with an interaction in the window', cell: (r) => num(integer(r.activeStakeholders), r.activeStakeholders) },
    { head: 'lift', numeric: true, title: 'window rate / baseline rate', cell: (r) => num(lift(r.lift), r.lift) },
    { head: 'peak', numeric: true, title: 'day of the highest volume, relative to the event', cell: (r) => num(r.peakOffset === null ? DASH : signedOffset(r.peakOffset), r.peakOffset) },
    {
      head: 'to baseline',
      numeric: true,
      title: 'days after the event until engagement is back to baseline',
      cell: (r) => ({ ...num(days(r.daysToBaseline), r.daysToBaseline), title: r.daysToBaseline === null ? `not back to baseline within ${P} days` : undefined }),
    },
  ];
  return dataTable('events-table', columns, report.events, { label: 'Events' });
}

function gapsSection(report: Report): string {
  type Gap = Report['gaps'][number];
  const columns: Column<Gap>[] = [
    { head: 'from', cell: (r) => txt(r.start) },
    { head: 'to', cell: (r) => txt(r.end) },
    { head: 'days', numeric: true, cell: (r) => num(integer(r.days), r.days) },
    { head: 'after event', title: '– at the start of the period', cell: (r) => ({ ...txt(r.before), className: 'wrap' }) },
    { head: 'before event', title: '– at the end of the period', cell: (r) => ({ ...txt(r.after), className: 'wrap' }) },
    { head: 'n', numeric: true, title: 'interactions in the gap', cell: (r) => num(integer(r.interactions), r.interactions) },
    { head: 'lift', numeric: true, cell: (r) => num(lift(r.lift), r.lift) },
    { head: 'engaged', numeric: true, title: 'stakeholders engaged in the window block just before the gap', cell: (r) => num(integer(r.engagedBefore), r.engagedBefore) },
    { head: 'silent', numeric: true, title: 'of those, how many hear nothing during the gap', cell: (r) => num(integer(r.silentThrough), r.silentThrough) },
    { head: 'dark', numeric: true, title: 'silent / engaged', cell: (r) => num(percent(r.darkShare), r.darkShare) },
  ];
  return dataTable('gaps-table', columns, report.gaps, { label: 'Gaps between events' });
}

function dataQualitySection(report: Report): string {
  const inp = report.input;
  const out: string[] = [];
  out.push('<dl class="facts">');
  const fact = (dt: string, dd: string): void => {
    out.push(`<dt>${escapeHtml(dt)}</dt><dd>${dd}</dd>`);
  };
  fact('Input', inp.files.length === 0 ? DASH : inp.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', '));
  fact('Rows read', escapeHtml(integer(inp.rowsRead)));
  fact('Used', escapeHtml(integer(inp.rowsUsed)));
  fact('Rejected', escapeHtml(integer(inp.rowsRejected)));
  fact('Outside the period', escapeHtml(integer(inp.rowsOutOfRange)));
  if (inp.duplicateRows > 0) fact('Exact duplicates', escapeHtml(duplicatesSentence(report) ?? ''));
  if (report.eventsOutsidePeriod.length > 0) {
    fact('Events outside the period (ignored)', report.eventsOutsidePeriod.map((n) => escapeHtml(n)).join(', '));
  }
  out.push('</dl>');
  if (inp.rejectReasons.length > 0) {
    out.push('<h3>Rejected rows, by reason</h3>');
    type Reason = Report['input']['rejectReasons'][number];
    const columns: Column<Reason>[] = [
      { head: 'reason', cell: (r) => txt(r.reason) },
      { head: 'rows', numeric: true, cell: (r) => num(integer(r.count), r.count) },
    ];
    out.push(dataTable('rejects-table', columns, inp.rejectReasons, { label: 'Rejected rows by reason', sortable: false, narrow: true }));
    out.push('<ul class="examples">');
    for (const r of inp.rejectReasons) {
      for (const ex of r.examples) {
        out.push(`<li><code>${escapeHtml(`${ex.file}:${ex.line}${ex.field ? ` ${ex.field}` : ''}`)}</code> ${escapeHtml(ex.message)}</li>`);
      }
    }
    out.push('</ul>');
    out.push('<p class="note">The first examples of each reason; <code>--rejects FILE</code> writes every rejected row.</p>');
  }
  return out.join('\n');
}

function settingValue(v: unknown): string {
  if (v === null || v === undefined) return DASH;
  if (Array.isArray(v)) return v.length === 0 ? DASH : v.every((x) => typeof x === 'string') ? v.join(', ') : plural(v.length, 'inline event');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function settingsSection(report: Report): string {
  const rows = Object.entries(report.settings)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(settingValue(v))}</dd>`)
    .join('\n');
  return `<details><summary>Every effective setting</summary>\n<dl class="facts">\n${rows}\n</dl></details>`;
}

// ---------------------------------------------------------------------------

/** The whole report as one self-contained HTML5 document. */
export function renderHtml(report: Report, _options: RenderOptions): string {
  const p = report.period;
  const s = report.settings;
  const detected = report.eventsSource === 'detected';
  const title = `engage-audit report · ${p.from} → ${p.to}`;
  const meta = [
    `${p.from} → ${p.to} (${plural(p.days, 'day')})`,
    `${plural(report.events.length, detected ? 'detected campaign burst' : 'event')}`,
    `time zone ${s.tz}`,
    `${plural(report.overall.interactions, 'interaction')} from ${plural(report.input.files.length, 'file')}`,
  ].join(' · ');
  const unit = s.timeline;
  const notice = eventsNotice(report);

  const body: string[] = [];
  if (notice !== null) body.push(`<p class="notice" role="note">${escapeHtml(notice)}</p>`);
  body.push(section('summary', 'Summary', `<p class="headline">${escapeHtml(headlineSentences(report).join(' ')) || DASH}</p>`));
  body.push(section('key-figures', 'Key figures', keyFigures(report)));
  body.push(
    section(
      'profile',
      'Peri-event profile',
      `<p class="note">${escapeHtml(`Engagement relative to the baseline rate on each day from ${signedOffset(-s.profileDays)} to ${signedOffset(s.profileDays)} around the events, all events superposed (days inside another event's window left out).`)}</p>\n` +
        figure(
          profileChart(report),
          [legend('event-day', "the event's own days"), legend('in-window', windowLegend(report)), legend('', 'outside the window'), legend('dashed', 'baseline: lift 1')].join(''),
        ),
    ),
  );
  body.push(
    section(
      'timeline',
      `Timeline (${bucketAdjective(unit)})`,
      figure(
        timelineChart(report),
        (unit === 'day'
          ? [legend('in-window', 'event-window days'), legend('', 'baseline days'), legend('shade', 'event windows')]
          : [legend('in-window', `${unit}s holding event-window days`), legend('', `other ${unit}s`), legend('shade', `shaded: ${unit}s holding event-window days`)]
        ).join(''),
      ),
    ),
  );
  body.push(
    section(
      'spikiness',
      'Spikiness of stakeholders',
      figure(spikinessHistogram(report), [legend('flagged', `flagged: spikiness above ${s.flagAbove}`), legend('', 'not flagged'), legend('dashed threshold', 'threshold')].join('') + ` <span>${escapeHtml(`Scored stakeholders only (at least ${s.minInteractions} interactions).`)}</span>`),
    ),
  );
  if (report.segments.length > 0) body.push(section('segments', 'Segments', segmentsSection(report)));
  body.push(section('stakeholders', 'Stakeholders', report.stakeholders.length === 0 ? '<p class="note">No stakeholders.</p>' : stakeholderSection(report)));
  body.push(section('events', detected ? 'Detected campaign bursts' : 'Events', report.events.length === 0 ? '<p class="note">No events.</p>' : eventsSection(report)));
  body.push(section('gaps', 'Gaps between events', report.gaps.length === 0 ? '<p class="note">No gaps.</p>' : gapsSection(report)));
  body.push(section('data-quality', 'Data quality', dataQualitySection(report)));
  body.push(section('settings', 'Settings', settingsSection(report)));

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator"${attr('content', `${report.tool.name} ${report.tool.version}`)}>
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Campaign spikiness audit</h1>
<p class="meta">${escapeHtml(meta)}</p>
</header>
<main>
${body.join('\n')}
</main>
<footer>${escapeHtml(`${report.tool.name} ${report.tool.version} · report schema ${report.schemaVersion} · definitions in SPEC.md`)}</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
