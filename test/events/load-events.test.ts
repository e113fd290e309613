import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEvents } from '../../src/events/load-events.js';
import { createTimestampParser } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';
import { InputError } from '../../src/errors.js';

const DAY = 86_400_000;
const d = (y: number, m: number, day: number): number => Date.UTC(y, m - 1, day) / DAY;
const utc = createTimestampParser(new Zone('UTC'));

let root: string;
let cwd: string;
let confDir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'engage-audit-events-'));
  cwd = join(root, 'work');
  confDir = join(root, 'conf');
  mkdirSync(cwd);
  mkdirSync(confDir);
  mkdirSync(join(cwd, 'sub'));
  writeFileSync(join(cwd, 'sub', 'events.csv'), 'name,start,end,kind\nASCO,2025-05-30,2025-06-03,congress\n');
  writeFileSync(join(cwd, 'events.yaml'), 'events:\n  - name: ESMO\n    start: 2025-10-17\n    end: 2025-10-21\n');
  writeFileSync(join(confDir, 'campaigns.json'), '[{"name":"Launch","start":"2025-09-01","after":30}]');
  // a same-named file in cwd must NOT be picked for a config-relative path
  writeFileSync(join(cwd, 'campaigns.json'), '[{"name":"WRONG","start":"2025-01-01"}]');
  writeFileSync(join(cwd, 'bad.csv'), 'name,start,end\nA,2025-06-03,2025-05-30\n,2025-01-01,\n');
  writeFileSync(join(cwd, 'bad2.json'), '[{"name":"X","start":"2025-02-30"}]');
  writeFileSync(join(cwd, 'empty.csv'), 'name,start\n');
  writeFileSync(join(cwd, 'dup.csv'), 'name,start\nASCO,2025-05-30\n');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('loadEvents', () => {
  it('no source: nothing declared', async () => {
    expect(await loadEvents({ files: [], flags: [] }, cwd, utc)).toEqual({ events: [], warnings: [], declared: false });
  });

  it('--events files are relative to cwd; several files and --event flags add up', async () => {
    const r = await loadEvents({ files: ['sub/events.csv', 'events.yaml'], flags: ['Launch=2025-09-01'] }, cwd, utc);
    expect(r.declared).toBe(true);
    expect(r.events.map((e) => [e.name, e.start, e.end, e.kind])).toEqual([
      ['ASCO', d(2025, 5, 30), d(2025, 6, 3), 'congress'],
      ['ESMO', d(2025, 10, 17), d(2025, 10, 21), null],
      ['Launch', d(2025, 9, 1), d(2025, 9, 1), null],
    ]);
  });

  it('--event "NAME=2025-05-30..2025-06-03" and "NAME=2025-05-30"', async () => {
    const r = await loadEvents({ files: [], flags: ['ASCO=2025-05-30..2025-06-03', 'Day=2025-05-30'] }, cwd, utc);
    expect(r.events).toEqual([
      { name: 'ASCO', kind: null, start: d(2025, 5, 30), end: d(2025, 6, 3), before: null, after: null },
      { name: 'Day', kind: null, start: d(2025, 5, 30), end: d(2025, 5, 30), before: null, after: null },
    ]);
  });

  it('config events as a path are resolved from the config folder, not cwd', async () => {
    const r = await loadEvents(
      { files: [], flags: [], config: { value: 'campaigns.json', dir: confDir, source: 'engage-audit.config.json' } },
      cwd,
      utc,
    );
    expect(r.events).toEqual([{ name: 'Launch', kind: null, start: d(2025, 9, 1), end: d(2025, 9, 1), before: null, after: 30 }]);
  });

  it('config events inline', async () => {
    const r = await loadEvents(
      {
        files: [],
        flags: [],
        config: { value: [{ name: 'A', start: '2025-01-01', end: '2025-01-02', kind: 'launch', before: 1 }], dir: confDir, source: 'cfg' },
      },
      cwd,
      utc,
    );
    expect(r.events).toEqual([{ name: 'A', kind: 'launch', start: d(2025, 1, 1), end: d(2025, 1, 2), before: 1, after: null }]);
    expect(r.declared).toBe(true);
  });

  it('invalid inline config events are listed by index', async () => {
    const err = await loadEvents(
      {
        files: [],
        flags: [],
        config: { value: [{ name: 'A', start: '2025-01-01' }, { name: 'B', start: '2025-01-05', end: '2025-01-01' }], dir: confDir, source: 'cfg' },
      },
      cwd,
      utc,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain('events[1]');
    expect((err as Error).message).not.toContain('events[0]');
  });

  it('flags and files take precedence over the config events', async () => {
    const r = await loadEvents(
      { files: [], flags: ['F=2025-03-01'], config: { value: 'campaigns.json', dir: confDir, source: 'cfg' } },
      cwd,
      utc,
    );
    expect(r.events.map((e) => e.name)).toEqual(['F']);
  });

  it('every problem of every source is listed in one InputError', async () => {
    const err = await loadEvents({ files: ['bad.csv', 'bad2.json'], flags: ['Q=2025-04-31'] }, cwd, utc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toContain('bad.csv');
    expect(msg).toMatch(/line 2/);
    expect(msg).toMatch(/line 3/);
    expect(msg).toContain('bad2.json');
    expect(msg).toMatch(/index 0/);
    expect(msg).toMatch(/--event #1/);
  });

  it('a missing events file is an InputError naming it', async () => {
    await expect(loadEvents({ files: ['nope.csv'], flags: [] }, cwd, utc)).rejects.toThrow(InputError);
    await expect(loadEvents({ files: ['nope.csv'], flags: [] }, cwd, utc)).rejects.toThrow(/nope\.csv/);
    await expect(
      loadEvents({ files: [], flags: [], config: { value: 'missing.yaml', dir: confDir, source: 'cfg' } }, cwd, utc),
    ).rejects.toThrow(InputError);
  });

  it('an events file with no events is an InputError', async () => {
    await expect(loadEvents({ files: ['empty.csv'], flags: [] }, cwd, utc)).rejects.toThrow(InputError);
  });

  it('a malformed --event flag is an input error naming the flag', async () => {
    await expect(loadEvents({ files: [], flags: ['just-a-name'] }, cwd, utc)).rejects.toThrow(/--event #1: "just-a-name" is not NAME=START/);
  });

  it('duplicate names within one source give a warning', async () => {
    const r = await loadEvents({ files: [], flags: ['ASCO=2025-05-30', 'ESMO=2025-10-17', 'ASCO=2026-05-29'] }, cwd, utc);
    expect(r.events).toHaveLength(3);
    expect(r.warnings).toEqual(['event name "ASCO" appears more than once (--event #1 and --event #3); both are used']);
  });

  // BUG: duplicate names are only looked for inside one source; the same name in an --events file and an
  // --event flag (or in two files) passes without a warning.
  it('duplicate names across sources give a warning', async () => {
    const r = await loadEvents({ files: ['dup.csv', 'sub/events.csv'], flags: ['ASCO=2025-05-30'] }, cwd, utc);
    expect(r.events).toHaveLength(3);
    expect(r.warnings).toEqual([
      'event name "ASCO" appears more than once (dup.csv line 2 and sub/events.csv line 2); both are used',
      'event name "ASCO" appears more than once (dup.csv line 2 and --event #1); both are used',
    ]);
  });
});
