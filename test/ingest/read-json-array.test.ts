import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readJsonArray } from '../../src/ingest/read-json-array.js';
import type { SourceItem } from '../../src/ingest/source-item.js';
import { InputError } from '../../src/errors.js';

type Chunking = 'whole' | 'char' | 'byte';

function streamOf(text: string, chunking: Chunking): Readable {
  let chunks: Buffer[];
  if (chunking === 'whole') chunks = [Buffer.from(text, 'utf8')];
  else if (chunking === 'char') chunks = [...text].map((c) => Buffer.from(c, 'utf8'));
  else chunks = [...Buffer.from(text, 'utf8')].map((b) => Buffer.from([b]));
  return Readable.from(chunks, { objectMode: false });
}

async function read(text: string, chunking: Chunking = 'whole'): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readJsonArray(streamOf(text, chunking), 'log.json')) out.push(item);
  return out;
}

function summary(items: SourceItem[]): unknown[] {
  return items.map((i) =>
    i.kind === 'columns' ? ['columns', [...i.columns]] : i.kind === 'record' ? [i.line, [...i.values]] : [i.line, 'malformed'],
  );
}

const doc = [
  '[', //                                                                                    1
  '  {"timestamp": "2024-01-01T10:00:00Z", "id": "A", "note": "a [b], {c}, \\"d\\" \\\\"},', // 2
  '  {"timestamp": "2024-01-02", "id": "B", "meta": {"x": [1, 2, {"y": "]}"}]}},', //         3
  '  42,', //                                                                                  4
  '  "str], {x}",', //                                                                         5
  '  null,', //                                                                                6
  '  [1, {"a": 2}],', //                                                                       7
  '  {"timestamp": "2024-01-03",', //                                                          8
  '   "id": "C, \\u00e9 日本"}', //                                                              9
  ']', //                                                                                     10
  '', //                                                                                      11
].join('\n');

const expected = [
  ['columns', ['timestamp', 'id', 'note']],
  [2, ['2024-01-01T10:00:00Z', 'A', 'a [b], {c}, "d" \\']],
  ['columns', ['timestamp', 'id', 'note', 'meta']],
  [3, ['2024-01-02', 'B', undefined, { x: [1, 2, { y: ']}' }] }]],
  [4, 'malformed'],
  [5, 'malformed'],
  [6, 'malformed'],
  [7, 'malformed'],
  [8, ['2024-01-03', 'C, é 日本', undefined, undefined]],
];

describe('readJsonArray', () => {
  it.each<Chunking>(['whole', 'char', 'byte'])(
    'strings with brackets, commas and escaped quotes, nested objects, non-objects, line numbers (%s chunks)',
    async (chunking) => {
      expect(summary(await read(doc, chunking))).toEqual(expected);
    },
  );

  it('elements keep their raw text', async () => {
    const items = await read('[{"a":1}, 7]');
    expect(items[1]).toMatchObject({ kind: 'record', line: 1, raw: '{"a":1}' });
    expect(items[2]).toMatchObject({ kind: 'malformed', line: 1, raw: '7' });
  });

  it('an escaped backslash before a closing quote does not hide the quote (char chunks)', async () => {
    const text = '[{"p":"C:\\\\dir\\\\","id":"x]"},{"p":"\\\\\\"","id":"y"}]';
    const got = summary(await read(text, 'char'));
    expect(got).toEqual([['columns', ['p', 'id']], [1, ['C:\\dir\\', 'x]']], [1, ['\\"', 'y']]]);
  });

  it('BOM and whitespace before the array', async () => {
    expect(summary(await read('\uFEFF \n\t[{"a":1}]'))).toEqual([['columns', ['a']], [2, [1]]]);
  });

  it('an empty array yields nothing', async () => {
    expect(await read('[]')).toEqual([]);
    expect(await read(' [ \n ] \n')).toEqual([]);
  });

  it('a truncated array: the last element is malformed, the complete ones before are records', async () => {
    const text = '[\n{"id":"A","timestamp":"2024-01-01"},\n{"id":"B","ti';
    for (const chunking of ['whole', 'char'] as const) {
      expect(summary(await read(text, chunking))).toEqual([['columns', ['id', 'timestamp']], [2, ['A', '2024-01-01']], [3, 'malformed']]);
    }
  });

  it('an array whose closing bracket is missing reports its last element as malformed', async () => {
    const items = await read('[{"a":1},\n{"a":2}');
    const s = summary(items);
    expect(s[0]).toEqual(['columns', ['a']]);
    expect(s[1]).toEqual([1, [1]]);
    expect(s[2]).toEqual([2, 'malformed']);
  });

  // BUG: an array cut off right after a comma ("[{…},") ends silently as if it were complete, while one cut
  // inside an element is reported; a truncated export must not pass unnoticed (SPEC §5: no row unaccounted for).
  it('an array cut off right after a comma is reported (a malformed item or an InputError)', async () => {
    let items: SourceItem[] = [];
    let error: unknown;
    try {
      items = await read('[\n{"a":1},\n');
    } catch (err) {
      error = err;
    }
    const reported = error instanceof InputError || items.some((i) => i.kind === 'malformed');
    expect(reported).toBe(true);
  });

  it('invalid JSON inside an element is malformed; the next elements are still read', async () => {
    const s = summary(await read('[{"a":1},\n{"a":},\n{"a":3}]'));
    expect(s).toEqual([['columns', ['a']], [1, [1]], [2, 'malformed'], [3, [3]]]);
  });

  // BUG: "[{…},,{…}]" — the element after the empty one is swallowed into a malformed ",{…}" instead of
  // yielding an empty-element malformed item (the reader has a dead branch for exactly this) and then the record.
  it('two commas in a row: one malformed empty element, the following element is still a record', async () => {
    const s = summary(await read('[{"a":1},,{"a":2}]'));
    expect(s).toEqual([['columns', ['a']], [1, [1]], [1, 'malformed'], [1, [2]]]);
  });

  it('a file that is not an array is an InputError naming the file', async () => {
    await expect(read('{"a":1}\n{"a":2}\n')).rejects.toThrow(InputError);
    await expect(read('{"a":1}')).rejects.toThrow(/log\.json/);
  });

  it('content after the closing bracket is an InputError', async () => {
    await expect(read('[{"a":1}]\n[{"a":2}]')).rejects.toThrow(InputError);
  });

  it('an empty file is an InputError', async () => {
    await expect(read('')).rejects.toThrow(InputError);
    await expect(read('  \n ')).rejects.toThrow(InputError);
  });
});
