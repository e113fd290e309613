/**
 * End-to-end: the HTML report in a real browser (Debian's Chromium, driven by
 * playwright-core, which downloads no browser). The charts must draw, the
 * tables must sort, nothing may log an error, reach the network, or run a
 * script planted in the data. Leaves a screenshot in test-output/report.png.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { plainPaint } from '../../src/render/paint.js';
import { renderHtml } from '../../src/render/render-html.js';
import type { Report } from '../../src/report/report-types.js';
import { ROOT } from '../helpers/run-cli.js';
import { demoReport, hostileReport } from './report-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) {
  console.warn(
    `html-browser.e2e: SKIPPED, no Chromium at ${CHROMIUM}. Install it to run the browser test of the HTML report: apt-get install chromium`,
  );
}

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_DIR = join(ROOT, 'test-output');

vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

interface Opened {
  page: Page;
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /** Every request other than the page itself (all of them are blocked). */
  requests: string[];
}

describe.skipIf(!HAS_CHROMIUM)('HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: Report;

  async function open(r: Report, name: string): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderHtml(r, { paint: plainPaint, top: 10, width: 100 }));
    const url = pathToFileURL(file).href;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const o: Opened = { page, errors: [], requests: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') o.errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => o.errors.push(`page error: ${e.message}`));
    page.on('request', (req) => {
      if (req.url() !== url) o.requests.push(req.url());
    });
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url, { waitUntil: 'load' });
    return o;
  }

  /** The sort keys (data-v) of one column of the stakeholder table, top to bottom. */
  async function columnKeys(page: Page, header: string): Promise<(number | null)[]> {
    const heads = await page.locator('#stakeholder-table thead th').allTextContents();
    const col = heads.indexOf(header);
    expect(col, `column ${header} in ${heads.join(', ')}`).toBeGreaterThanOrEqual(0);
    const keys = (await page.evaluate(
      `Array.from(document.querySelectorAll('#stakeholder-table tbody tr')).map((r) => r.cells[${col}].getAttribute('data-v'))`,
    )) as string[];
    return keys.map((k) => (k === '' ? null : Number(k)));
  }

  function expectOrdered(keys: (number | null)[], dir: 'ascending' | 'descending'): void {
    const present = keys.filter((k): k is number => k !== null);
    // Empty cells come last, whichever the direction.
    expect(keys.slice(0, present.length).every((k) => k !== null)).toBe(true);
    for (let i = 1; i < present.length; i++) {
      if (dir === 'ascending') expect(present[i]).toBeGreaterThanOrEqual(present[i - 1]);
      else expect(present[i]).toBeLessThanOrEqual(present[i - 1]);
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'engage-audit-html-e2e-'));
    report = await demoReport();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws the three charts with shapes in them, and saves a screenshot', async () => {
    const { page, errors, requests } = await open(report, 'demo');
    for (const id of ['profile-chart', 'timeline-chart', 'spikiness-histogram']) {
      const chart = page.locator(`svg#${id}`);
      await expect(chart.count()).resolves.toBe(1);
      const box = await chart.boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width, id).toBeGreaterThan(300);
      expect(box!.height, id).toBeGreaterThan(100);
      expect(await chart.getAttribute('role')).toBe('img');
      expect((await chart.locator('title').first().textContent())?.length).toBeGreaterThan(10);
      const bars = chart.locator('rect.bar');
      expect(await bars.count(), id).toBeGreaterThan(5);
      const barBox = await bars.nth(Math.floor((await bars.count()) / 2)).boundingBox();
      expect(barBox!.width, id).toBeGreaterThan(0);
    }
    expect(await page.locator('#profile-chart rect.bar').count()).toBe(report.profile.filter((p) => p.lift !== null).length);
    expect(await page.locator('#timeline-chart rect.bar').count()).toBe(report.timeline.length);
    expect(await page.locator('#timeline-chart rect.window-shade').count()).toBeGreaterThan(0);
    expect(await page.locator('#spikiness-histogram line.threshold').count()).toBe(1);
    // The baseline at lift 1 is drawn dashed (the style sheet applied under the CSP).
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#profile-chart .baseline')).strokeDasharray`)).not.toBe('none');
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#timeline-chart .window-shade')).fill`)).not.toBe('rgb(0, 0, 0)');

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'report.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('sorts the stakeholder table when a header is clicked, numbers as numbers, empty cells last', async () => {
    const { page, errors, requests } = await open(report, 'sort');
    const rows = page.locator('#stakeholder-table tbody tr');
    expect(await rows.count()).toBe(report.stakeholders.length);
    const spikiness = page.locator('#stakeholder-table thead th', { hasText: /^spikiness$/ });
    await expect(spikiness.getAttribute('aria-sort')).resolves.toBe('descending');
    expectOrdered(await columnKeys(page, 'spikiness'), 'descending');
    const initialN = await columnKeys(page, 'n');

    const n = page.locator('#stakeholder-table thead th', { hasText: /^n$/ });
    await n.locator('button').click();
    await expect(n.getAttribute('aria-sort')).resolves.toBe('descending');
    await expect(spikiness.getAttribute('aria-sort')).resolves.toBeNull();
    const byN = await columnKeys(page, 'n');
    expect(byN).not.toEqual(initialN);
    expectOrdered(byN, 'descending');
    expect(byN[0]).toBe(Math.max(...report.stakeholders.map((s) => s.interactions)));
    // Numeric, not textual: 1,009 sorts above 99.
    expect(await rows.first().locator('td').nth(0).textContent()).toBe(
      [...report.stakeholders].sort((a, b) => b.interactions - a.interactions || 0)[0].id,
    );

    await n.locator('button').click();
    await expect(n.getAttribute('aria-sort')).resolves.toBe('ascending');
    expectOrdered(await columnKeys(page, 'n'), 'ascending');

    // A column with empty cells: they stay at the bottom both ways.
    const bursty = page.locator('#stakeholder-table thead th', { hasText: /^bursty$/ });
    for (const dir of ['descending', 'ascending'] as const) {
      await bursty.locator('button').click();
      await expect(bursty.getAttribute('aria-sort')).resolves.toBe(dir);
      expectOrdered(await columnKeys(page, 'bursty'), dir);
    }

    // Text columns sort ascending first, numerically aware ("HCP-2" before "HCP-10").
    await page.locator('#stakeholder-table thead th', { hasText: /^id$/ }).locator('button').click();
    const ids = await page.locator('#stakeholder-table tbody tr td:first-child').allTextContents();
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    expect(ids).toEqual([...ids].sort(collator.compare));
    expect(ids).not.toEqual(report.stakeholders.map((s) => s.id));

    // The other tables sort too.
    const lift = page.locator('#events-table thead th', { hasText: /^lift$/ });
    await lift.locator('button').click();
    const lifts = (await page.evaluate(
      `Array.from(document.querySelectorAll('#events-table tbody tr')).map((r) => Number(r.cells[${(await page.locator('#events-table thead th').allTextContents()).indexOf('lift')}].getAttribute('data-v')))`,
    )) as number[];
    expect(lifts).toEqual([...lifts].sort((a, b) => b - a));

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('runs no script from the data and reaches for nothing on the network', async () => {
    const plant = (where: string): string =>
      where === 'stakeholder-id'
        ? `<img src=x onerror="window.__pwned='${where}'">`
        : where === 'event-name'
          ? `<script>window.__pwned='${where}'</script>`
          : where === 'file-name'
            ? `<img src="https://example.com/x.png">`
            : `<svg onload="window.__pwned='${where}'"></svg>"'&<b onmouseover="window.__pwned='${where}'">x</b>`;
    const hostile = hostileReport(report, plant);
    const { page, errors, requests } = await open(hostile, 'hostile');
    // Let anything that might fire fire, including a hover over the planted markup.
    await page.locator('#stakeholder-table tbody tr').first().hover();
    await page.waitForTimeout(300);

    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('main svg').count()).toBe(3);
    expect(await page.locator('b').count()).toBe(0);
    // The payload is shown as text, exactly.
    await expect(page.locator('#stakeholder-table tbody tr').first().locator('td').first().textContent()).resolves.toBe(
      `<img src=x onerror="window.__pwned='stakeholder-id'">`,
    );
    await expect(page.locator('#events-table tbody tr').first().locator('td').first().textContent()).resolves.toBe(
      `<script>window.__pwned='event-name'</script>`,
    );
    // The page still works: sorting by a planted dimension column.
    const heads = await page.locator('#stakeholder-table thead th').allTextContents();
    expect(heads).toContain(plant('dimension-name'));
    await page.locator('#stakeholder-table thead th button').first().click();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('prints in light colours with the tables unclipped', async () => {
    const { page, errors } = await open(report, 'print');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    expect(await page.evaluate(`getComputedStyle(document.body).backgroundColor`)).toBe('rgb(255, 255, 255)');
    expect(await page.evaluate(`getComputedStyle(document.querySelector('#stakeholder-table').parentElement).maxHeight`)).toBe('none');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
  });
});
