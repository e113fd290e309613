/**
 * What the fuzz suite found, each shrunk to a minimal input, kept as
 * regression tests (each failed before its fix): `{}` as the first JSON
 * object, nesting deeper than the stack, megabyte cells quoted in messages,
 * and escape sequences from the data reaching stderr.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CLEANUP_TIMEOUT_MS, expectAccountedOrClearError, runBytes, tempDir, writeBytes } from './fuzz-harness.js';

const tmp = tempDir('found');
afterAll(() => tmp.cleanup(), CLEANUP_TIMEOUT_MS);

const ROW = '{"timestamp":"2024-01-10T10:00:00Z","stakeholder_id":"A"}';

async function reportOn(name: string, text: string, ...extra: string[]) {
  const file = writeBytes(tmp.path(name), text);
  const r = await runBytes(['report', file, '--format', 'json', ...extra], { cwd: tmp.dir });
  return { file, r };
}

describe('an empty object before any key is seen (shrunk from random text: the 2 bytes "{}")', () => {
  // KeyColumns reports columns only when the key list grows, so a first object with no
  // keys reaches RecordSink with neither a mapping nor a missing-column error, and
  // RecordSink throws "reader yielded a record before its columns": exit 2 as an internal
  // error, and the valid rows after it are lost.
  it('NDJSON: a "{}" line, then a valid one: the empty object is rejected and the rest read', async () => {
    const { file, r } = await reportOn('empty-first.ndjson', `{}\n${ROW}\n`);
    const input = expectAccountedOrClearError(r, { names: [file] });
    expect(r.code).toBe(0);
    expect(input).toMatchObject({ rowsRead: 2, rowsUsed: 1, rowsRejected: 1 });
  });

  it('JSON array: [{}, valid]: the empty object is rejected and the rest read', async () => {
    const { file, r } = await reportOn('empty-first.json', `[{},\n${ROW}]\n`);
    const input = expectAccountedOrClearError(r, { names: [file] });
    expect(r.code).toBe(0);
    expect(input).toMatchObject({ rowsRead: 2, rowsUsed: 1, rowsRejected: 1 });
  });

  it('NDJSON holding only "{}": exit 2 with a message naming the file, not an internal error', async () => {
    const { file, r } = await reportOn('only-empty.ndjson', '{}\n');
    expectAccountedOrClearError(r, { names: [file] });
  });
});

describe('a deeply nested value in a dimension field', () => {
  // dimensionText (src/ingest/validate-row.ts) JSON.stringify's non-text values; past a few
  // thousand levels that overflows the stack: "internal error: Maximum call stack size
  // exceeded". JSON.parse reads the line fine, and the same nesting in the stakeholder,
  // timestamp or weight field is rejected cleanly. (duplicate-set.ts stringifies values
  // the same way and is guarded the same way.)
  it('NDJSON: "x": [[[…]]] 100,000 deep is read (or the row rejected), not an internal error', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const { file, r } = await reportOn('deep.ndjson', `{"timestamp":"2024-01-10T10:00:00Z","stakeholder_id":"A","x":${deep}}\n${ROW}\n`);
    const input = expectAccountedOrClearError(r, { names: [file] });
    expect(input?.rowsRead).toBe(2);
  });
});

describe('input copied into an error message unshortened', () => {
  const MB = 1 << 20;

  // listHeader (src/ingest/column-mapping.ts) stops at 30 columns but prints each in full.
  it('a 1 MB header cell gives an error line of a readable length', async () => {
    const { file, r } = await reportOn('big-header.csv', `when,${'h'.repeat(MB)}\n2024-01-10,A\n`);
    expectAccountedOrClearError(r, { names: [file] });
    expect(r.stderr.split('\n')[0].length).toBeLessThan(10_000);
  });

  // parseWeight (src/ingest/validate-row.ts) quotes the whole cell; when every row is
  // rejected the first example becomes the error line.
  it('a 1 MB weight cell gives an error line of a readable length', async () => {
    const { file, r } = await reportOn('big-weight.csv', `timestamp,stakeholder_id,w\n2024-01-10T10:00:00Z,A,${'x'.repeat(MB)}\n`, '--weight-col', 'w');
    expectAccountedOrClearError(r, { names: [file] });
    expect(r.stderr.split('\n')[0].length).toBeLessThan(10_000);
  });

  // Issue #6: terminal control characters from the data never reach the terminal raw.
  // The weight and timestamp messages quote the cell as it is.
  it('an escape sequence in a weight or timestamp cell does not reach stderr raw', async () => {
    for (const [header, row, extra] of [
      ['timestamp,stakeholder_id,w', '2024-01-10T10:00:00Z,A,\u001b[2J\u001b[31mred', ['--weight-col', 'w']],
      ['timestamp,stakeholder_id', '\u001b[2J\u001b[31m2024,A', []],
    ] as const) {
      const { file, r } = await reportOn('escape.csv', `${header}\n${row}\n`, ...extra);
      expectAccountedOrClearError(r, { names: [file] });
      expect(r.stderr).not.toContain('\u001b');
    }
  });
});
