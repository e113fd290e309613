import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E, jsonReport, makeTempDir, ROOT, runCli, withoutInputFiles } from './e2e-helpers.js';

/*
 * encoding-utf8.csv and its UTF-16 twins hold the same seven rows (Müller 4,
 * Żółć 2, 日本 1); encoding-windows-1252.csv has "Müller" as the byte FC on
 * lines 3 and 5.
 */
const ARGS = ['--event', 'E=2024-01-10', '--before', '1', '--after', '1'];
const tmp = makeTempDir('encodings');
afterAll(() => tmp.cleanup());

function interactionsById(report: Record<string, any>): Record<string, number> {
  return Object.fromEntries(report.stakeholders.map((s: { id: string; interactions: number }) => [s.id, s.interactions]));
}

describe('UTF-16 with a BOM', () => {
  const reference = jsonReport([`${E2E}/encoding-utf8.csv`, ...ARGS]).report;

  it('the UTF-8 reference holds the ids as written', () => {
    expect(interactionsById(reference)).toEqual({ Müller: 4, Żółć: 2, 日本: 1 });
  });

  it.each(['utf16le-bom', 'utf16be-bom'])('%s.csv gives the same report as UTF-8, with no warning', (name) => {
    const { report, result } = jsonReport([`${E2E}/encoding-${name}.csv`, ...ARGS]);
    expect(withoutInputFiles(report)).toEqual(withoutInputFiles(reference));
    expect(result.stderr).toBe('');
  });

  it.each(['utf16le-bom', 'utf16be-bom'])('%s gzipped, as NDJSON, and from standard input', (name) => {
    const bytes = readFileSync(join(ROOT, E2E, `encoding-${name}.csv`));
    const gz = join(tmp.dir, `${name}.csv.gz`);
    writeFileSync(gz, gzipSync(bytes));
    expect(withoutInputFiles(jsonReport([gz, ...ARGS]).report)).toEqual(withoutInputFiles(reference));
    expect(withoutInputFiles(jsonReport(['-', ...ARGS], { input: bytes }).report)).toEqual(withoutInputFiles(reference));

    // The same rows as UTF-16 NDJSON, written in the fixture's own byte order.
    const rows = readFileSync(join(ROOT, E2E, 'encoding-utf8.csv'), 'utf8').trim().split('\n').slice(1);
    const ndjson = rows.map((r) => {
      const [timestamp, stakeholder_id, country] = r.split(',');
      return JSON.stringify({ timestamp, stakeholder_id, country });
    });
    let encoded = Buffer.from(`\uFEFF${ndjson.join('\n')}\n`, 'utf16le');
    if (name === 'utf16be-bom') encoded = Buffer.from(encoded).swap16();
    const nd = join(tmp.dir, `${name}.ndjson`);
    writeFileSync(nd, encoded);
    writeFileSync(`${nd}.gz`, gzipSync(encoded));
    expect(withoutInputFiles(jsonReport([nd, ...ARGS]).report)).toEqual(withoutInputFiles(reference));
    expect(withoutInputFiles(jsonReport([`${nd}.gz`, ...ARGS]).report)).toEqual(withoutInputFiles(reference));
  });
});

describe('Windows-1252 bytes', () => {
  const file = `${E2E}/encoding-windows-1252.csv`;

  it('are a warning naming the file, the first line and the count; the rows are used with U+FFFD', () => {
    const { report, result } = jsonReport([file, ...ARGS]);
    expect(result.stderr).toContain(
      `warning: ${file}: 2 lines hold bytes (the first is line 3) that are not valid UTF-8, read as U+FFFD (\uFFFD).`,
    );
    expect(result.stderr).toContain(`iconv -f WINDOWS-1252 -t UTF-8 '${file}'`);
    expect(interactionsById(report)).toEqual({ Meyer: 3, 'M\uFFFDller': 2 });
    expect(report.input.rowsUsed).toBe(5);
  });

  it('once converted as the warning says, the report has the right name and no warning', () => {
    const converted = join(tmp.dir, 'converted.csv');
    writeFileSync(converted, Buffer.from(readFileSync(join(ROOT, file)).toString('latin1'), 'utf8'));
    const { report, result } = jsonReport([converted, ...ARGS]);
    expect(interactionsById(report)).toEqual({ Meyer: 3, Müller: 2 });
    expect(result.stderr).toBe('');
  });

  it('--quiet silences the warning; stdout does not change', () => {
    const loud = runCli(['report', file, ...ARGS, '--format', 'csv']);
    const quiet = runCli(['report', file, ...ARGS, '--format', 'csv', '--quiet']);
    expect(quiet.stderr).toBe('');
    expect(loud.stdout).toBe(quiet.stdout);
    expect(loud.stdout).toContain('M\uFFFDller,DE,2,');
  });
});
