import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E, makeTempDir, runCli } from './e2e-helpers.js';

/*
 * Ids, a dimension name, dimension values, event names and kinds, and whole
 * rejected lines that start with spreadsheet formula triggers. Every CSV the
 * tool writes must hand them to a spreadsheet as text (a leading '), while the
 * numbers it computes (burstiness -1 here) stay numbers.
 */
const LOG = `${E2E}/formula-injection.csv`;
const EVENTS = `${E2E}/formula-injection-events.csv`;
const CMD = `=cmd|' /C calc'!A0`;

const tmp = makeTempDir('formula');
afterAll(() => tmp.cleanup());

const rows = (text: string): string[][] => parseCsv(text, { relax_column_count: true }) as string[][];

describe('CSV outputs neutralise formula triggers coming from the input', () => {
  const eventsOut = join(tmp.dir, 'events-out.csv');
  const rejectsOut = join(tmp.dir, 'rejects-out.csv');
  const r = runCli(['report', LOG, '--events', EVENTS, '--before', '0', '--after', '0', '--format', 'csv', '--emit-events', eventsOut, '--rejects', rejectsOut]);

  it('runs', () => {
    expect(r.stderr).toContain('4 of 16 rows rejected');
    expect(r.code).toBe(0);
  });

  it('--format csv: ids, the dimension name and its values', () => {
    const [header, ...body] = rows(r.stdout);
    expect(header.slice(0, 2)).toEqual(['id', "'+region"]);
    const byId = new Map(body.map((row) => [row[0], row]));
    expect([...byId.keys()].sort()).toEqual(["'+1", "'-1+2", `'${CMD}`, "'@SUM(1+1)", 'plain'].sort());
    expect(byId.get(`'${CMD}`)![1]).toBe("'@SUM(1+1)");
    expect(byId.get("'@SUM(1+1)")![1]).toBe("'+1");
    expect(byId.get("'+1")![1]).toBe("'-1+2");
    // The log's value is a tab then =1; values are trimmed on input, leaving =1.
    expect(byId.get("'-1+2")![1]).toBe("'=1");
    expect(byId.get('plain')![1]).toBe('north');
    // No cell anywhere starts with a trigger except numbers the tool computed.
    for (const row of body) for (const cell of row) if (/^[=+\-@\t\r]/.test(cell)) expect(cell).toMatch(/^-\d/);
  });

  it('--format csv: a negative number the tool computed stays a number', () => {
    const [header, ...body] = rows(r.stdout);
    // plain: four contacts exactly 7 days apart, perfectly regular: burstiness -1 (SPEC §3).
    const plain = body.find((row) => row[0] === 'plain')!;
    expect(plain[header.indexOf('burstiness')]).toBe('-1');
  });

  it('--emit-events: names and kinds', () => {
    const [header, ...body] = rows(readFileSync(eventsOut, 'utf8'));
    expect(header).toEqual(['name', 'start', 'end', 'kind', 'before', 'after']);
    expect(body).toEqual([
      [`'${CMD}`, '2024-01-10', '2024-01-10', "'@SUM(1+1)", '0', '0'],
      ["'@SUM(1+1)", '2024-01-20', '2024-01-20', 'congress', '0', '0'],
      ["'+1", '2024-02-01', '2024-02-01', 'launch', '0', '0'],
      ["'-1+2", '2024-02-15', '2024-02-15', "'-x", '0', '0'],
      // A tab then =1 in the events file; the events reader trims it.
      ["'=1", '2024-03-01', '2024-03-01', 'congress', '0', '0'],
    ]);
  });

  it('--rejects: raw lines are neutralised and otherwise kept byte for byte', () => {
    const text = readFileSync(rejectsOut, 'utf8');
    const [header, ...body] = rows(text);
    expect(header).toEqual(['file', 'line', 'reason', 'field', 'message', 'raw']);
    expect(body.map((row) => [row[1], row[2], row[5]])).toEqual([
      ['10', 'timestamp', `'${CMD},X,a`],
      ['11', 'timestamp', "'@SUM(1+1),X,a"],
      ['12', 'timestamp', "'-1+2,X,a"],
      ['13', 'timestamp', "'\t=1,X,a"],
    ]);
    // Dropping the one leading quote gives back the line as it is in the log.
    const logLines = readFileSync(LOG, 'utf8').split('\n');
    for (const row of body) expect(row[5].slice(1)).toBe(logLines[Number(row[1]) - 1]);
    // The written file itself: no line (= no record) starts with a trigger.
    for (const line of text.split('\n')) expect(line).not.toMatch(/^[=+\-@\t\r]/);
  });
});
