import type { GapMetrics, Report, ReportStakeholder, SegmentMetrics } from '../report/report-types.js';
import { amount, fixed, integer, interval, niceAtLeast, percent, plural, ratio, DASH, signedOffset, segmentValueLabel } from './format-number.js';
import { mdText } from './markdown-escape.js';
import type { RenderOptions } from './registry.js';
import { duplicatesSentence, eventsNotice, headlineSentences } from './summary-sentences.js';
import { compareText } from '../compare-text.js';
import { displayDimensions, mostBursty, profilePeak } from './row-order.js';

/*
 * The client-ready report: GitHub-flavoured Markdown that passes markdownlint
 * (default rules; lines are long), with Mermaid `xychart-beta` charts.
 *
 * Everything that comes from the data (stakeholder ids, event names, segment
 * values, file names, reject messages) goes through `mdText`, so that no raw
 * HTML, markup or autolink can pass through. Pure: no I/O, no clock, no colour.
 */

type Align = 'left' | 'right';

/** A GFM table, compact style; every cell (header included) is escaped. */
function table(head: string[], align: Align[], rows: string[][]): string {
  const cell = (v: string): string => mdText(v) || DASH;
  const line = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), `| ${align.map((a) => (a === 'right' ? '---:' : '---')).join(' | ')} |`, ...rows.map(line)].join('\n');
}


function segmentLabel(s: SegmentMetrics): string {
  return segmentValueLabel(s.value);
}

function daysBack(days: number | null, profileDays: number): string {
  return days === null ? `not within ${profileDays} days` : plural(days, 'day');
}

// ---------------------------------------------------------------------------
// Mermaid xychart-beta

/** A number as the xychart grammar reads it: digits, optional sign and decimals, never an exponent. */
function chartNumber(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const clamped = Math.max(-1e15, Math.min(1e15, v));
  let s = clamped.toFixed(2);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least v (1 for nothing to show). */
const niceCeil = (v: number): number => niceAtLeast(v, [1, 2, 2.5, 5, 10]);

/** Chart text as a quoted xychart string (the grammar has no escape for `"`). */
function chartString(s: string): string {
  return `"${s.replace(/"/g, "'").replace(/[\r\n]+/g, ' ')}"`;
}

interface ChartSpec {
  title: string;
  xTitle: string;
  labels: string[];
  yTitle: string;
  yMax: number;
  series: { kind: 'bar' | 'line'; values: number[] }[];
}

function mermaidChart(c: ChartSpec): string {
  return [
    '```mermaid',
    'xychart-beta',
    `    title ${chartString(c.title)}`,
    `    x-axis ${chartString(c.xTitle)} [${c.labels.map(chartString).join(', ')}]`,
    `    y-axis ${chartString(c.yTitle)} 0 --> ${chartNumber(c.yMax)}`,
    ...c.series.map((s) => `    ${s.kind} [${s.values.map(chartNumber).join(', ')}]`),
    '```',
  ].join('\n');
}

/** Offsets beyond this many days either side are grouped into bins, so the x axis stays legible. */
const LIFT_UNBINNED_DAYS = 12;
const LIFT_BINS_PER_SIDE = 10;
const TIMELINE_MAX_POINTS = 26;

/**
 * The superposed profile as chart points. With a wide profile, days are
 * grouped symmetrically into bins (day 0 alone), each bin's lift recomputed
 * from its summed volume and exposure, labelled by its middle day. Bins with
 * no exposure are left out.
 */
function liftPoints(report: Report): { labels: string[]; lifts: number[]; binDays: number; missing: number } {
  const rB = report.period.baselineRate;
  const byOffset = new Map(report.profile.map((p) => [p.offset, p]));
  const P = report.profile.reduce((m, p) => Math.max(m, Math.abs(p.offset)), 0);
  const b = P <= LIFT_UNBINNED_DAYS ? 1 : Math.ceil(P / LIFT_BINS_PER_SIDE);
  const bins: [number, number][] = [];
  for (let k = 1; k <= P; k += b) bins.push([k, Math.min(P, k + b - 1)]);
  const ordered: [number, number][] = [...bins.map(([lo, hi]): [number, number] => [-hi, -lo]).reverse(), [0, 0], ...bins];
  const labels: string[] = [];
  const lifts: number[] = [];
  let missing = 0;
  for (const [lo, hi] of ordered) {
    let exposure = 0;
    let volume = 0;
    for (let k = lo; k <= hi; k++) {
      const p = byOffset.get(k);
      if (p) {
        exposure += p.exposure;
        volume += p.volume;
      }
    }
    if (exposure === 0 || rB === null || rB === 0) {
      missing++;
      continue;
    }
    const mid = (lo + hi) / 2;
    labels.push(signedOffset(Math.sign(mid) * Math.round(Math.abs(mid))));
    lifts.push(volume / exposure / rB);
  }
  return { labels, lifts, binDays: b, missing };
}

function liftSection(report: Report): string[] {
  const out: string[] = ['## Engagement around events', ''];
  const { labels, lifts, binDays, missing } = liftPoints(report);
  const P = report.settings.profileDays;
  if (lifts.length === 0) {
    out.push(
      report.period.baselineRate === null || report.period.baselineRate === 0
        ? 'There is no baseline engagement to compare with, so the lift around events cannot be computed.'
        : 'No day around the events could be measured, so there is no lift profile.',
    );
    return out;
  }
  // The peak day of the daily profile, not of the chart's bars: a bar of several days averages its peak away.
  const peak = profilePeak(report.profile);
  const grouping =
    binDays === 1
      ? 'Each bar is one day'
      : `Each bar groups ${binDays} days (day 0 alone) and is labelled by its middle day`;
  out.push(
    `Engagement on each day from ${P} days before to ${P} days after an event, all events superposed, as a multiple of the baseline rate (the line at 1 is the baseline). ${grouping}; days that fall in another event's window are left out${missing > 0 ? ', and so are days with no data' : ''}. The peak is ${ratio(peak?.lift ?? null)}× at day ${peak === null ? DASH : signedOffset(peak.offset)}${binDays > 1 ? ' (one day; a bar averages its days)' : ''}; ${
      report.profileDaysToBaseline === null
        ? `engagement is not back to baseline within ${P} days.`
        : `engagement is back to baseline ${plural(report.profileDaysToBaseline, 'day')} after events.`
    }`,
  );
  out.push('');
  out.push(
    mermaidChart({
      title: 'Lift over baseline by day from the event',
      xTitle: 'Days from event',
      labels,
      yTitle: 'Lift (x baseline)',
      yMax: niceCeil(Math.max(1, ...lifts)),
      series: [
        { kind: 'bar', values: lifts },
        { kind: 'line', values: lifts.map(() => 1) },
      ],
    }),
  );
  return out;
}

function timelineSection(report: Report): string[] {
  const pts = report.timeline;
  const unit = report.settings.timeline;
  const volumeWord = report.settings.weightCol === null ? 'Interactions' : 'Volume';
  const k = Math.ceil(pts.length / TIMELINE_MAX_POINTS);
  const labels: string[] = [];
  const values: number[] = [];
  for (let i = 0; i < pts.length; i += k) {
    const group = pts.slice(i, i + k);
    labels.push(unit === 'month' ? group[0].start.slice(0, 7) : group[0].start);
    values.push(group.reduce((s, p) => s + p.volume, 0));
  }
  const out: string[] = ['## Engagement over time', ''];
  const unitWords = { day: 'day', week: 'week', month: 'month' } as const;
  const grouping =
    k === 1
      ? `Each bar is one ${unitWords[unit]}`
      : `Each bar sums ${k} consecutive ${unitWords[unit]}s and is labelled by its first day${
          pts.length % k === 0 ? '' : ` (the last one only ${plural(pts.length % k, unitWords[unit])})`
        }`;
  const max = values.reduce((m, v) => Math.max(m, v), 0);
  out.push(
    `${volumeWord === 'Interactions' ? 'Interactions' : 'Engagement volume'} from ${report.period.from} to ${report.period.to}. ${grouping}${unit === 'week' ? ' (weeks start on Monday)' : ''}; the tallest bar holds ${amount(max)}. The event windows are listed under Events.`,
  );
  out.push('');
  out.push(
    mermaidChart({
      title: `${volumeWord} per ${k === 1 ? unitWords[unit] : `${k} ${unitWords[unit]}s`}`,
      xTitle: k === 1 ? `${unitWords[unit][0].toUpperCase()}${unitWords[unit].slice(1)} starting` : 'Period starting',
      labels,
      yTitle: volumeWord,
      yMax: niceCeil(max),
      series: [{ kind: 'bar', values }],
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------
// Executive summary

/** Gaps ranked by dark share: those between two events, else (none such) those after the last one. */
function worstGaps(report: Report, n: number): GapMetrics[] {
  const measured = report.gaps.filter((g) => g.darkShare !== null && g.before !== null);
  const between = measured.filter((g) => g.after !== null);
  const pool = between.length > 0 ? between : measured;
  return [...pool]
    .sort((a, b) => (b.darkShare ?? 0) - (a.darkShare ?? 0) || b.engagedBefore - a.engagedBefore || compareText(a.start, b.start))
    .slice(0, n);
}

function gapSentence(g: GapMetrics, first: boolean): string {
  const lead = first ? 'The steepest drop-off comes after' : 'After';
  const until = g.after === null ? 'until the end of the period' : `until ${mdText(g.after)}`;
  return `${lead} ${mdText(g.before ?? '')}: ${integer(g.silentThrough)} of the ${plural(g.engagedBefore, 'stakeholder')} engaged around it (${percent(g.darkShare)}) heard nothing in the ${plural(g.days, 'day')} from ${g.start} to ${g.end}, ${until}.`;
}

function segmentSentences(report: Report): string[] {
  // In --by order: the segments themselves are sorted by spikiness across dimensions.
  const dims = report.settings.by.filter((d) => report.segments.some((s) => s.dimension === d));
  const ci = `${percent(report.settings.confidence)} CI`;
  const out: string[] = [];
  for (const dim of dims) {
    const rows = report.segments
      .filter((s) => s.dimension === dim && s.spikiness !== null)
      .sort((a, b) => (b.spikiness ?? 0) - (a.spikiness ?? 0) || compareText(a.value, b.value));
    if (rows.length === 0) continue;
    const most = rows[0];
    const least = rows[rows.length - 1];
    const describe = (s: SegmentMetrics, short = false): string =>
      `spikiness ${ratio(s.spikiness)}, ${ci} ${interval(s.ciLow, s.ciHigh)}; ${percent(s.windowShare)} of ${short ? 'it' : 'its engagement'} on event-window days`;
    if (rows.length === 1) {
      out.push(`By ${mdText(dim)}, the only segment, ${mdText(segmentLabel(most))}, has ${describe(most)}.`);
    } else {
      out.push(
        `By ${mdText(dim)}, the most spiky segment is ${mdText(segmentLabel(most))} (${describe(most)}) and the least spiky is ${mdText(segmentLabel(least))} (${describe(least, true)}).`,
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Tables

function stakeholderTable(rows: ReportStakeholder[], report: Report, dims: string[]): string {
  return table(
    ['id', ...dims, 'interactions', 'window share', 'spikiness', `${percent(report.settings.confidence)} CI`, 'longest silence', 'dark periods', 'burstiness'],
    ['left', ...dims.map((): Align => 'left'), 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows.map((r) => [
      r.id,
      ...dims.map((d) => (r[d] === null || r[d] === undefined ? DASH : String(r[d]))),
      integer(r.interactions),
      percent(r.windowShare),
      ratio(r.spikiness),
      interval(r.ciLow, r.ciHigh),
      plural(r.longestSilenceDays, 'day'),
      integer(r.darkPeriods),
      fixed(r.burstiness),
    ]),
  );
}

function stakeholderSection(report: Report, top: number): string[] {
  const rows = report.stakeholders;
  if (rows.length === 0) return [];
  const dims = displayDimensions(report);
  const out: string[] = ['## Stakeholders', ''];
  // Rows come in SPEC order: spikiness descending, then id.
  const scored = rows.filter((s) => s.status === 'scored');
  const minN = report.settings.minInteractions;
  out.push(
    `Scored (at least ${plural(minN, 'interaction')}): ${integer(scored.length)} of ${plural(rows.length, 'stakeholder')}. Flagged (scored, spikiness above ${report.settings.flagAbove}): ${integer(report.overall.flaggedStakeholders)}.`,
  );
  if (report.events.length === 0 || scored.every((s) => s.spikiness === null)) {
    const byBurst = mostBursty(rows);
    out.push('', `### Most bursty stakeholders (top ${Math.min(top, byBurst.length)})`, '', stakeholderTable(byBurst.slice(0, top), report, dims));
    return out;
  }
  if (scored.length === 0) return out;
  if (scored.length <= top) {
    out.push('', `### Scored stakeholders (${integer(scored.length)}), most spiky first`, '', stakeholderTable(scored, report, dims));
    return out;
  }
  const most = scored.slice(0, top);
  const leastCount = Math.min(top, scored.length - top);
  const least = scored.slice(scored.length - leastCount).reverse();
  out.push('', `### Most spiky stakeholders (top ${top} of ${integer(scored.length)} scored)`, '', stakeholderTable(most, report, dims));
  out.push('', `### Least spiky stakeholders (bottom ${leastCount}, least spiky first)`, '', stakeholderTable(least, report, dims));
  return out;
}

function segmentSection(report: Report): string[] {
  if (report.segments.length === 0) return [];
  const flagAbove = report.settings.flagAbove;
  return [
    '## Segments',
    '',
    `Each segment's figures use the interactions with that value, on the same calendar. "Flagged" counts scored stakeholders with a spikiness above ${flagAbove}.`,
    '',
    table(
      ['dimension', 'segment', 'stakeholders', 'interactions', 'window share', 'spikiness', `${percent(report.settings.confidence)} CI`, 'flagged', 'median spikiness'],
      ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      report.segments.map((s) => [
        s.dimension,
        segmentLabel(s),
        integer(s.stakeholders),
        amount(s.interactions),
        percent(s.windowShare),
        ratio(s.spikiness),
        interval(s.ciLow, s.ciHigh),
        `${integer(s.flaggedStakeholders)} of ${integer(s.scoredStakeholders)}`,
        ratio(s.medianSpikiness),
      ]),
    ),
  ];
}

function eventSection(report: Report): string[] {
  if (report.events.length === 0) return [];
  const P = report.settings.profileDays;
  return [
    '## Events',
    '',
    'Lift is the engagement per day in the event window divided by the baseline rate; the peak day counts from the event (0 = during it).',
    '',
    table(
      ['event', 'kind', 'dates', 'window', 'window days', 'interactions', 'active stakeholders', 'lift', 'peak day', 'back to baseline'],
      ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
      report.events.map((e) => [
        e.name,
        e.kind ?? DASH,
        e.start === e.end ? e.start : `${e.start} to ${e.end}`,
        `${e.windowStart} to ${e.windowEnd}`,
        integer(e.windowDays),
        amount(e.interactions),
        integer(e.activeStakeholders),
        e.lift === null ? DASH : `${ratio(e.lift)}×`,
        e.peakOffset === null ? DASH : signedOffset(e.peakOffset),
        daysBack(e.daysToBaseline, P),
      ]),
    ),
  ];
}

function gapSection(report: Report, top: number): string[] {
  if (report.gaps.length === 0) return [];
  const all = report.gaps.length <= top;
  const shown = all
    ? report.gaps
    : [...report.gaps]
        .sort((a, b) => (b.darkShare ?? -1) - (a.darkShare ?? -1) || b.days - a.days || compareText(a.start, b.start))
        .slice(0, top)
        .sort((a, b) => compareText(a.start, b.start));
  return [
    all ? '## Gaps between events' : `## Gaps between events (the ${top} with the highest dark share, of ${report.gaps.length})`,
    '',
    'A gap is a run of baseline days between event windows. "Engaged" counts the stakeholders with an interaction in the window just before the gap; "silent" those of them with none during the gap; the dark share is their ratio.',
    '',
    table(
      ['from', 'to', 'days', 'previous event', 'next event', 'lift', 'engaged', 'silent', 'dark share'],
      ['left', 'left', 'right', 'left', 'left', 'right', 'right', 'right', 'right'],
      shown.map((g) => [
        g.start,
        g.end,
        integer(g.days),
        g.before ?? '(start of period)',
        g.after ?? '(end of period)',
        g.lift === null ? DASH : `${ratio(g.lift)}×`,
        integer(g.engagedBefore),
        integer(g.silentThrough),
        percent(g.darkShare),
      ]),
    ),
  ];
}

function dataQualitySection(report: Report): string[] {
  const inp = report.input;
  const out: string[] = ['## Data quality', ''];
  out.push(
    `${plural(inp.rowsRead, 'row')} read from ${plural(inp.files.length, 'file')}: ${integer(inp.rowsUsed)} used, ${integer(inp.rowsRejected)} rejected, ${integer(inp.rowsOutOfRange)} outside the period.`,
  );
  const dup = duplicatesSentence(report);
  if (dup !== null) out.push('', mdText(dup));
  if (inp.files.length > 0) {
    out.push('', `Files: ${inp.files.map(mdText).join(', ')}.`);
  }
  if (inp.rejectReasons.length > 0) {
    out.push('', `Rejected rows by reason: ${inp.rejectReasons.map((r) => `${mdText(r.reason)} ${integer(r.count)}`).join(', ')}. The first examples:`);
    out.push(
      '',
      table(
        ['reason', 'file', 'line', 'field', 'problem'],
        ['left', 'left', 'right', 'left', 'left'],
        inp.rejectReasons.flatMap((r) => r.examples.map((ex) => [r.reason, ex.file, integer(ex.line), ex.field ?? DASH, ex.message])),
      ),
    );
  }
  out.push(
    '',
    report.eventsOutsidePeriod.length > 0
      ? `Events outside the period, left out: ${report.eventsOutsidePeriod.map(mdText).join(', ')}.`
      : 'No event lies outside the period.',
  );
  return out;
}

function methodologySection(report: Report): string[] {
  const s = report.settings;
  const detected = report.eventsSource === 'detected';
  const windows = detected
    ? 'The events here are campaign bursts detected in weekly interaction counts (Kleinberg\'s burst model); each burst is its own window, with no extra days around it.'
    : `Each event gets a window from ${plural(s.before, 'day')} before its start to ${plural(s.after, 'day')} after its end${
        report.events.some((e) => e.before !== s.before || e.after !== s.after) ? ' (some events set their own)' : ''
      }, cut to the period.`;
  const volume =
    s.weightCol === null
      ? 'Engagement is the number of interactions.'
      : `Engagement is the volume of interactions: the sum of the ${mdText(s.weightCol)} column.`;
  return [
    '## Methodology',
    '',
    `- **Windows and baseline.** ${windows} Days inside any window are window days; all other days are baseline days, the ordinary rhythm of contact. ${volume}`,
    `- **Spikiness** compares engagement per window day with engagement per baseline day. 1 means contact is spread evenly over time; 3 means a day around an event gets three times the engagement of an ordinary day. Before dividing, one imaginary interaction is spread evenly over the whole period, so that a stakeholder seen only a few times is pulled towards 1 instead of getting an extreme score. Stakeholders with fewer than ${plural(s.minInteractions, 'interaction')} are listed but not scored; scored stakeholders above ${s.flagAbove} are flagged.`,
    `- **Confidence interval.** The ${percent(s.confidence)} interval is the range of window-to-baseline ratios that fit the counts observed (an exact Clopper–Pearson interval). Few interactions give a wide range. When its lower end is above 1, the concentration around events is very unlikely to be chance; an upper end of ∞ means there was no baseline engagement to compare with.${
      s.weightCol === null
        ? ''
        : ' It is the interval of the ratio itself, without the imaginary interaction; as that interaction carries the average weight, a stakeholder with few heavy interactions can have a spikiness below the interval.'
    }`,
    `- **Lift** is the engagement per day on a given day, in an event window or in a gap, divided by the baseline rate.`,
    `- **Return to baseline** is the number of days after events until engagement stays within ${percent(s.tolerance)} of the baseline rate for ${plural(s.settleDays, 'day')} in a row, looking up to ${plural(s.profileDays, 'day')} ahead. Days in another event's window are left out.`,
    `- **Going dark.** A gap is a run of baseline days between two event windows; its dark share is the share of the stakeholders engaged in the window just before who hear nothing at all during the gap. A stakeholder's longest silence is its longest run of days without contact; ${plural(s.silenceDays, 'day')} or more make a dark period.`,
    `- **Burstiness** looks only at the time between a stakeholder's consecutive contacts, with no calendar: −1 is perfectly regular, 0 random, 1 very bursty.`,
  ];
}

/** The client-ready report: Markdown with GFM tables and Mermaid charts. */
export function renderMarkdown(report: Report, options: RenderOptions): string {
  const top = Math.max(1, Math.floor(options.top));
  const p = report.period;
  const evCount = report.events.length;
  const detected = report.eventsSource === 'detected';
  const blocks: string[][] = [];

  const eventsLine = detected
    ? evCount === 0
      ? 'none declared, no campaign burst detected'
      : `none declared; ${plural(evCount, 'campaign burst')} detected from the data`
    : `${integer(evCount)} declared`;
  blocks.push([
    '# Engagement audit',
    '',
    `- Period: ${p.from} to ${p.to} (${plural(p.days, 'day')}: ${integer(p.windowDays)} in event windows, ${integer(p.baselineDays)} baseline)`,
    `- Events: ${eventsLine}`,
    `- Time zone: ${mdText(report.settings.tz)}`,
  ]);
  const notice = eventsNotice(report);
  if (notice !== null) blocks.push([`> Note: ${mdText(notice)}`]);

  const summary: string[] = headlineSentences(report).map(mdText);
  const segments = segmentSentences(report);
  const gaps = worstGaps(report, 3).map((g, i) => gapSentence(g, i === 0));
  const paragraphs = [summary, segments, gaps].filter((ps) => ps.length > 0).map((ps) => ps.join(' '));
  if (paragraphs.length === 0) paragraphs.push('No figure that needs event windows could be computed; see the note above.');
  blocks.push(['## Executive summary', '', paragraphs.join('\n\n')]);

  blocks.push(segmentSection(report));
  blocks.push(stakeholderSection(report, top));
  blocks.push(eventSection(report));
  if (evCount > 0 && report.profile.length > 0) blocks.push(liftSection(report));
  blocks.push(gapSection(report, top));
  if (report.timeline.length > 0) blocks.push(timelineSection(report));
  blocks.push(dataQualitySection(report));
  blocks.push([...methodologySection(report), '', `Produced with ${mdText(report.tool.name)} ${mdText(report.tool.version)}.`]);

  return `${blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n')}\n`;
}
