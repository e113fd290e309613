import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report-types.js';
import { runCli } from '../helpers/run-cli.js';

const DEMO = 'fixtures/demo/interactions.csv';
const DEMO_EVENTS = 'fixtures/demo/events.csv';
const dir = mkdtempSync(join(tmpdir(), 'engage-audit-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function json(args: string[]): Report {
  const r = runCli([...args, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('report without declared events (SPEC §8)', () => {
  const detected = json(['report', DEMO]);
  const declared = json(['report', DEMO, '--events', DEMO_EVENTS]);

  it('says the events were detected', () => {
    expect(detected.eventsSource).toBe('detected');
    expect(declared.eventsSource).toBe('declared');
    expect(detected.events.length).toBeGreaterThan(0);
    for (const e of detected.events) {
      expect(e.kind).toBe('detected');
      expect(e.name).toBe(`burst ${e.start}`);
      expect(e.before).toBe(0);
      expect(e.after).toBe(0);
    }
  });

  it('finds bursts that overlap every declared congress of the demo', () => {
    const congresses = declared.events.filter((e) => e.kind === 'congress');
    expect(congresses.length).toBeGreaterThanOrEqual(4);
    for (const c of congresses) {
      const overlapping = detected.events.some((b) => b.start <= c.end && b.end >= c.start);
      expect(overlapping, `no burst overlaps ${c.name} (${c.start}…${c.end})`).toBe(true);
    }
  });

  it('starts bursts on Mondays and ends them on Sundays inside the period', () => {
    for (const e of detected.events) {
      expect(new Date(`${e.start}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(new Date(`${e.end}T00:00:00Z`).getUTCDay()).toBe(0);
      expect(e.start >= detected.period.from && e.end <= detected.period.to).toBe(true);
    }
  });

  it('announces the detection on stderr and in the table', () => {
    const r = runCli(['report', DEMO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/notice: No events were declared; \d+ campaign bursts were detected from weekly interaction counts \(Kleinberg, s = 2, γ = 1\)/);
    expect(r.stdout).toContain('No events were declared;');
    expect(r.stdout).toContain('Declare your calendar with --events');
  });

  it('round-trips --emit-events into --events with the same report', () => {
    const emitted = join(dir, 'bursts.csv');
    const first = runCli(['report', DEMO, '--format', 'json', '--emit-events', emitted]);
    expect(first.code).toBe(0);
    const csv = readFileSync(emitted, 'utf8');
    expect(csv.split('\n')[0]).toBe('name,start,end,kind,before,after');
    expect(csv.trim().split('\n')).toHaveLength(detected.events.length + 1);
    const again = json(['report', DEMO, '--events', emitted]);
    const strip = (r: Report) => ({ ...r, eventsSource: undefined, settings: { ...r.settings, events: undefined } });
    expect(strip(again)).toEqual(strip(JSON.parse(first.stdout) as Report));
  });

  it('reports "no campaign pattern" for a flat log and keeps calendar-free metrics', () => {
    // Every stakeholder is contacted each Tuesday at 10:00 for 20 weeks: flat weekly counts.
    const lines = ['timestamp,stakeholder'];
    for (let w = 0; w < 20; w++) {
      for (const s of ['a', 'b', 'c']) lines.push(`${new Date(Date.UTC(2024, 0, 2 + 7 * w, 10)).toISOString()},${s}`);
    }
    const flat = join(dir, 'flat.csv');
    writeFileSync(flat, `${lines.join('\n')}\n`);
    const table = runCli(['report', flat]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('engagement shows no campaign pattern');
    const r = json(['report', flat]);
    expect(r.eventsSource).toBe('detected');
    expect(r.events).toEqual([]);
    expect(r.overall.spikiness).toBeNull();
    expect(r.stakeholders[0].burstiness).toBeCloseTo(-1, 9);
    expect(r.stakeholders[0].longestSilenceDays).toBe(6);
  });

  it('takes declared events from the config file (a path relative to the config)', () => {
    const cfgDir = mkdtempSync(join(dir, 'cfg-'));
    writeFileSync(join(cfgDir, 'engage-audit.config.json'), JSON.stringify({ events: 'calendar/events.csv' }));
    const calendar = join(cfgDir, 'calendar');
    mkdirSync(calendar);
    writeFileSync(join(calendar, 'events.csv'), readFileSync(DEMO_EVENTS));
    writeFileSync(join(cfgDir, 'log.csv'), readFileSync(DEMO));
    const r = runCli(['report', 'log.csv', '--format', 'json'], { cwd: cfgDir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.eventsSource).toBe('declared');
    expect(report.events.map((e) => e.name)).toEqual(declared.events.map((e) => e.name));
    expect(report.overall).toEqual(declared.overall);
  });
});
