import { describe, expect, it } from 'vitest';
import { dateTicks, dayNumber, linearTicks, niceStep, spikinessBins, tickLabel } from '../../src/render/html-charts.js';
import { signedOffset } from '../../src/render/format-number.js';
import { attr, escapeHtml } from '../../src/render/html-escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror=alert(1)>"'&`)).toBe('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('plain – text ✓')).toBe('plain – text ✓');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(1.5)).toBe('1.5');
  });

  it('writes attributes double-quoted and escaped, none for null', () => {
    expect(attr('title', `a"b'c`)).toBe(' title="a&quot;b&#39;c"');
    expect(attr('data-v', '')).toBe(' data-v=""');
    expect(attr('data-v', null)).toBe('');
  });
});

describe('axis helpers', () => {
  it('picks 1-2-5 steps and ticks from 0 to the first one at or above the maximum', () => {
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(2)).toBe(2);
    expect(niceStep(2.1)).toBe(5);
    expect(niceStep(270)).toBe(500);
    expect(niceStep(0)).toBe(1);
    expect(linearTicks(13.6)).toEqual([0, 5, 10, 15]);
    expect(linearTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(1150)).toEqual([0, 500, 1000, 1500]);
  });

  it('labels ticks and day offsets', () => {
    expect(tickLabel(0.30000000000000004)).toBe('0.3');
    expect(tickLabel(1500)).toBe('1,500');
    expect(signedOffset(-3)).toBe('−3');
    expect(signedOffset(0)).toBe('0');
    expect(signedOffset(12)).toBe('+12');
  });

  it('counts days without a clock or a zone', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('2024-03-01') - dayNumber('2024-02-28')).toBe(2);
  });

  it('puts date ticks on days, months or years by span, never closer than asked', () => {
    const d0 = dayNumber('2024-01-01');
    const short = dateTicks(d0, d0 + 21, 680, 54, 7);
    expect(short.map((t) => t.label)).toEqual(['Jan 1', 'Jan 8', 'Jan 15', 'Jan 22']);
    expect(short.map((t) => t.year)).toEqual([2024, null, null, null]);

    const twoYears = dateTicks(d0, dayNumber('2026-01-05'), 680, 54, 7);
    expect(twoYears.map((t) => t.label)).toEqual(['Jan', 'Apr', 'Jul', 'Oct', 'Jan', 'Apr', 'Jul', 'Oct', 'Jan']);
    expect(twoYears.map((t) => t.year).filter((y) => y !== null)).toEqual([2024, 2025, 2026]);

    const decades = dateTicks(d0, dayNumber('2054-01-01'), 680, 54, 30);
    expect(decades.map((t) => t.label)).toEqual(['2025', '2030', '2035', '2040', '2045', '2050']);
    expect(decades.every((t) => t.year === null)).toBe(true);
  });
});

describe('spikinessBins', () => {
  it('makes the threshold a bin edge: the flagged bins hold exactly the values above it', () => {
    const values = [0.5, 1, 1.2, 2.99, 3, 3.0001, 7, 40, 150];
    const bins = spikinessBins(values, 3);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    expect(bins.filter((b) => b.flagged).reduce((n, b) => n + b.count, 0)).toBe(values.filter((v) => v > 3).length);
    const edge = bins.find((b) => b.flagged)!;
    expect(edge.low).toBeCloseTo(3, 12);
    for (let i = 1; i < bins.length; i++) expect(bins[i].low).toBeCloseTo(bins[i - 1].high, 12);
    for (const b of bins) expect(b.high / b.low).toBeCloseTo(10 ** 0.25, 12);
    // Every value falls in (low, high].
    for (const v of values) expect(bins.filter((b) => v > b.low * (1 - 1e-12) && v <= b.high * (1 + 1e-12)).length).toBeGreaterThanOrEqual(1);
  });

  it('always spans 1 and the threshold, and is empty without values', () => {
    const bins = spikinessBins([10, 12], 3);
    expect(bins[0].low).toBeLessThanOrEqual(1);
    expect(bins[bins.length - 1].high).toBeGreaterThanOrEqual(12);
    expect(spikinessBins([], 3)).toEqual([]);
    expect(spikinessBins([Number.NaN, 0, -1], 3)).toEqual([]);
  });
});
