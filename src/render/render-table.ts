import Table from 'cli-table3';
import type { Report, ReportStakeholder } from '../report/report-types.js';
import { amount, fixed, integer, interval, percent, plural, ratio, sparkline, truncate, DASH, signedOffset, segmentValueLabel, bucketAdjective } from './format-number.js';
import type { Paint } from './paint.js';
import type { RenderOptions } from './registry.js';
import { duplicatesSentence, eventsNotice, headlineSentences } from './summary-sentences.js';
import { compareText } from '../compare-text.js';
import { displayDimensions, mostBursty, profilePeak } from './row-order.js';

/** Word-wraps plain text to `width` columns with an indent. */
function wrap(text: string, width: number, indent = '  '): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

function table(head: string[], rows: string[][], paint: Paint, align?: ('left' | 'right')[]): string {
  const t = new Table({
    head: head.map((h) => paint.bold(h)),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
    colAligns: align ?? head.map((_, i) => (i === 0 ? 'left' : 'right')),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '  ', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
  });
  for (const r of rows) t.push(r);
  return t
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

function section(title: string, paint: Paint): string {
  return `\n${paint.bold(paint.cyan(title))}`;
}

function spikinessCell(row: { spikiness: number | null; status?: string }, flagAbove: number, paint: Paint): string {
  const s = ratio(row.spikiness);
  if (row.status === 'insufficient') return paint.dim(s);
  if (row.spikiness !== null && row.spikiness > flagAbove) return paint.red(s);
  return s;
}

function stakeholderTable(rows: ReportStakeholder[], report: Report, paint: Paint, idWidth: number): string {
  const dim = displayDimensions(report)[0];
  const head = ['id', ...(dim ? [truncate(dim, 16)] : []), 'n', 'window', 'spikiness', `${percent(report.settings.confidence)} CI`, 'silence', 'dark', 'bursty'];
  return table(
    head,
    rows.map((r) => [
      truncate(r.id, idWidth),
      ...(dim ? [truncate(String(r[dim] ?? DASH), 16)] : []),
      integer(r.interactions),
      percent(r.windowShare),
      spikinessCell(r, report.settings.flagAbove, paint),
      interval(r.ciLow, r.ciHigh),
      `${integer(r.longestSilenceDays)} d`,
      String(r.darkPeriods),
      fixed(r.burstiness),
    ]),
    paint,
    head.map((_, i) => (i === 0 || (dim && i === 1) ? 'left' : 'right')),
  );
}

function profileBlock(report: Report, width: number): string {
  const points = report.profile;
  const lifts = points.map((p) => p.lift);
  const P = report.settings.profileDays;
  const indent = '  ';
  if (points.length + indent.length > width) {
    return `${indent}(profile of ${points.length} offsets is wider than the terminal; see --format json)`;
  }
  const line = sparkline(lifts);
  const axis = new Array<string>(points.length).fill(' ');
  axis[P] = '^';
  const left = `−${P}`;
  const right = `+${P}`;
  const labels = `${left}${' '.repeat(Math.max(1, P - left.length))}0${' '.repeat(Math.max(1, points.length - P - 1 - right.length))}${right}`;
  const peak = profilePeak(points);
  const notes = [
    `peak lift ${ratio(peak?.lift ?? null)}× at offset ${peak ? signedOffset(peak.offset) : DASH}`,
    report.profileDaysToBaseline === null ? `not back to baseline within ${P} days` : `back to baseline after ${plural(report.profileDaysToBaseline, 'day')}`,
  ];
  return [line, axis.join(''), labels, notes.join(' · ')].map((l) => `${indent}${l}`.trimEnd()).join('\n');
}

/** At most three sparkline rows: long periods merge k consecutive buckets per character. */
function timelineBlock(report: Report, width: number): string {
  const label = 11;
  const maxPer = Math.max(10, Math.min(60, width - label - 3));
  const raw = report.timeline;
  const k = Math.max(1, Math.ceil(raw.length / (3 * maxPer)));
  const pts: { start: string; volume: number; windowDays: number }[] = [];
  for (let i = 0; i < raw.length; i += k) {
    const group = raw.slice(i, i + k);
    pts.push({
      start: group[0].start,
      volume: group.reduce((v, p) => v + p.volume, 0),
      windowDays: group.reduce((w, p) => w + p.windowDays, 0),
    });
  }
  // Even rows rather than a full row and a stub.
  const rows = Math.ceil(pts.length / maxPer);
  const per = Math.ceil(pts.length / rows);
  const max = pts.reduce((m, p) => Math.max(m, p.volume), 0);
  const lines: string[] = [];
  for (let i = 0; i < pts.length; i += per) {
    const chunk = pts.slice(i, i + per);
    lines.push(`  ${chunk[0].start} ${sparkline(chunk.map((p) => p.volume), max)}`);
    lines.push(`  ${' '.repeat(label - 1)} ${chunk.map((p) => (p.windowDays > 0 ? '^' : ' ')).join('')}`.trimEnd());
  }
  const unit = report.settings.timeline;
  const per1 = k === 1 ? `${bucketAdjective(unit)} volume` : `volume per ${k} ${unit}s`;
  lines.push(`  ${per1}, tallest bar ${amount(max)}; ^ marks ${k === 1 ? `${unit}s` : 'bars'} with event-window days`);
  return lines.join('\n');
}

/** The analyst's view at a terminal: headline in words, then the tables (fits `width` columns). */
export function renderTable(report: Report, options: RenderOptions): string {
  const { paint, top } = options;
  const width = Math.max(60, Math.min(options.width, 100));
  const idWidth = 18;
  const out: string[] = [];
  const p = report.period;
  const evCount = report.events.length;
  out.push(
    paint.bold(`engage-audit · ${p.from} → ${p.to} (${plural(p.days, 'day')}) · ${plural(evCount, report.eventsSource === 'detected' ? 'detected burst' : 'event')} · tz ${report.settings.tz}`),
  );
  const notice = eventsNotice(report);
  if (notice) out.push(paint.yellow(wrap(notice, width)));
  const headline = headlineSentences(report);
  if (headline.length > 0) out.push('', wrap(headline.join(' '), width));

  const scored = report.stakeholders.filter((s) => s.status === 'scored');
  if (evCount > 0 && scored.length > 0) {
    out.push(section(`Most spiky stakeholders (top ${Math.min(top, scored.length)} of ${integer(scored.length)} scored)`, paint));
    out.push(stakeholderTable(scored.slice(0, top), report, paint, idWidth));
  } else if (report.stakeholders.length > 0) {
    const byBurst = mostBursty(report.stakeholders);
    out.push(section(`Most bursty stakeholders (top ${Math.min(top, byBurst.length)})`, paint));
    out.push(stakeholderTable(byBurst.slice(0, top), report, paint, idWidth));
  }

  if (report.segments.length > 0) {
    out.push(section('Segments', paint));
    out.push(
      table(
        ['segment', 'members', 'n', 'window', 'spikiness', `${percent(report.settings.confidence)} CI`, 'flagged', 'median'],
        report.segments.map((s) => [
          truncate(`${s.dimension}=${segmentValueLabel(s.value)}`, 28),
          integer(s.stakeholders),
          integer(s.interactions),
          percent(s.windowShare),
          spikinessCell(s, report.settings.flagAbove, paint),
          interval(s.ciLow, s.ciHigh),
          `${integer(s.flaggedStakeholders)}/${integer(s.scoredStakeholders)}`,
          ratio(s.medianSpikiness),
        ]),
        paint,
      ),
    );
  }

  if (evCount > 0) {
    out.push(section('Events', paint));
    out.push(
      table(
        ['event', 'kind', 'window', 'n', 'active', 'lift', 'peak', 'to baseline'],
        report.events.map((e) => [
          truncate(e.name, 24),
          truncate(e.kind ?? DASH, 10),
          e.windowStart.slice(0, 4) === e.windowEnd.slice(0, 4) ? `${e.windowStart.slice(2)}…${e.windowEnd.slice(5)}` : `${e.windowStart.slice(2)}…${e.windowEnd.slice(2)}`,
          integer(e.interactions),
          integer(e.activeStakeholders),
          `${ratio(e.lift)}×`,
          e.peakOffset === null ? DASH : signedOffset(e.peakOffset),
          e.daysToBaseline === null ? `not within ${report.settings.profileDays} d` : `${e.daysToBaseline} d`,
        ]),
        paint,
        ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right'],
      ),
    );
  }

  if (report.gaps.length > 0) {
    const worst = [...report.gaps].sort((a, b) => b.days - a.days);
    const shown = report.gaps.length <= top ? report.gaps : worst.slice(0, top).sort((a, b) => compareText(a.start, b.start));
    out.push(section(report.gaps.length <= top ? 'Gaps between events' : `Gaps between events (the ${top} longest of ${report.gaps.length})`, paint));
    out.push(
      table(
        ['from', 'to', 'days', 'follows', 'lift', 'engaged', 'silent', 'dark'],
        shown.map((g) => [
          g.start,
          g.end,
          integer(g.days),
          truncate(g.before ?? '(start)', 26),
          `${ratio(g.lift)}×`,
          integer(g.engagedBefore),
          integer(g.silentThrough),
          percent(g.darkShare),
        ]),
        paint,
        ['left', 'left', 'right', 'left', 'right', 'right', 'right', 'right'],
      ),
    );
  }

  if (evCount > 0) {
    out.push(section(`Peri-event profile (lift over baseline by day from the event, ±${report.settings.profileDays})`, paint));
    out.push(profileBlock(report, width));
  }
  if (report.timeline.length > 0) {
    out.push(section(`Timeline (${bucketAdjective(report.settings.timeline)})`, paint));
    out.push(timelineBlock(report, width));
  }

  const inp = report.input;
  out.push(section('Data quality', paint));
  out.push(
    `  ${plural(inp.rowsRead, 'row')} read from ${plural(inp.files.length, 'file')}: ${integer(inp.rowsUsed)} used, ${integer(inp.rowsRejected)} rejected, ${integer(inp.rowsOutOfRange)} outside the period.`,
  );
  const dup = duplicatesSentence(report);
  if (dup !== null) out.push(`  ${dup}`);
  for (const r of inp.rejectReasons) {
    out.push(`  ${paint.yellow(`${r.reason}: ${integer(r.count)}`)}`);
    for (const ex of r.examples) {
      out.push(`    ${truncate(`${ex.file}:${ex.line}${ex.field ? ` ${ex.field}` : ''}: ${ex.message}`, width - 4)}`);
    }
  }
  if (report.eventsOutsidePeriod.length > 0) {
    out.push(`  Events outside the period (ignored): ${truncate(report.eventsOutsidePeriod.join(', '), 200)}`);
  }
  return `${out.join('\n')}\n`;
}
