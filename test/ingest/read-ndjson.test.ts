import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { KeyColumns, isPlainObject, readNdjson } from '../../src/ingest/read-ndjson.js';
import type { SourceItem } from '../../src/ingest/source-item.js';

async function read(text: string, perByte = false): Promise<SourceItem[]> {
  const buf = Buffer.from(text, 'utf8');
  const chunks = perByte ? [...buf].map((b) => Buffer.from([b])) : [buf];
  const out: SourceItem[] = [];
  for await (const item of readNdjson(Readable.from(chunks, { objectMode: false }))) out.push(item);
  return out;
}

function summary(items: SourceItem[]): unknown[] {
  return items.map((i) =>
    i.kind === 'columns' ? ['columns', [...i.columns]] : i.kind === 'record' ? [i.line, [...i.values]] : [i.line, 'malformed'],
  );
}

const text = [
  '\uFEFF{"timestamp":"2024-01-01","id":"A"}', //   1
  '', //                                             2 blank
  '{"timestamp":"2024-01-02","id":"B","team":"x"}', // 3 new key
  '[1,2]', //                                        4 not an object
  '{bad', //                                         5 invalid JSON
  '{"id":"C"}', //                                   6 missing key
  '   ', //                                          7 blank (spaces)
  '{"team":"y","timestamp":1704067200,"id":42}', //  8 other key order, numbers
  '"just a string"', //                              9 not an object
  'null', //                                        10 not an object
].join('\r\n');

const expected = [
  ['columns', ['timestamp', 'id']],
  [1, ['2024-01-01', 'A']],
  ['columns', ['timestamp', 'id', 'team']],
  [3, ['2024-01-02', 'B', 'x']],
  [4, 'malformed'],
  [5, 'malformed'],
  [6, [undefined, 'C', undefined]],
  [8, [1704067200, 42, 'y']],
  [9, 'malformed'],
  [10, 'malformed'],
];

describe('readNdjson', () => {
  it('one object per line: BOM, CRLF, blank lines counted, columns grow, non-objects and bad JSON are malformed', async () => {
    expect(summary(await read(text))).toEqual(expected);
  });

  it('the same when the bytes arrive one at a time', async () => {
    expect(summary(await read(text, true))).toEqual(expected);
  });

  it('keeps the raw line and gives a reason for malformed lines', async () => {
    const items = await read('{"a":1}\n{oops}\n');
    expect(items[1]).toMatchObject({ kind: 'record', line: 1, raw: '{"a":1}' });
    expect(items[2]).toMatchObject({ kind: 'malformed', line: 2, raw: '{oops}' });
    expect((items[2] as { reason: string }).reason.length).toBeGreaterThan(0);
  });

  it('a last line without a line break and multi-byte text', async () => {
    expect(summary(await read('{"a":"日本"}\n{"a":"é"}', true))).toEqual([['columns', ['a']], [1, ['日本']], [2, ['é']]]);
  });

  it('an empty input yields nothing', async () => {
    expect(await read('')).toEqual([]);
  });
});

describe('KeyColumns / isPlainObject', () => {
  it('aligns values to the growing column list', () => {
    const k = new KeyColumns();
    expect(k.align({ a: 1, b: 2 })).toEqual({ values: [1, 2], grew: true });
    expect(k.align({ b: 3, a: 4 })).toEqual({ values: [4, 3], grew: false });
    expect(k.align({ c: 5 })).toEqual({ values: [undefined, undefined, 5], grew: true });
    expect(k.columns).toEqual(['a', 'b', 'c']);
  });

  it("reads only a line's own keys: a column named like an Object.prototype member is missing, not inherited", () => {
    const keys = new KeyColumns(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'a']);
    const { values } = keys.align(JSON.parse('{"a":1}') as Record<string, unknown>);
    expect(values).toEqual([undefined, undefined, undefined, undefined, 1]);
    const own = keys.align(JSON.parse('{"constructor":"x","__proto__":"y","a":2}') as Record<string, unknown>);
    expect(own.values).toEqual(['x', undefined, 'y', undefined, 2]);
  });

  it('only plain objects are objects', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject('x')).toBe(false);
    expect(isPlainObject(1)).toBe(false);
  });
});

describe('readNdjson over arbitrary chunk boundaries', () => {
  it('yields the same items however the bytes are cut (multi-byte characters, CRLF, BOM)', async () => {
    const { default: fc } = await import('fast-check');
    const { Readable } = await import('node:stream');
    const { readNdjson } = await import('../../src/ingest/read-ndjson.js');
    const collect = async (chunks: Buffer[]) => {
      const out = [];
      for await (const item of readNdjson(Readable.from(chunks))) out.push(item);
      return out;
    };
    const lineArb = fc.oneof(
      fc.record({ timestamp: fc.constantFrom('2024-01-01', '2024-02-03T10:00:00Z'), stakeholder: fc.string({ unit: 'grapheme', maxLength: 6 }), n: fc.integer() }).map((o) => JSON.stringify(o)),
      fc.constantFrom('', '   ', '{"broken":', '[1,2]', '"text"'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), async (lines, crlf, bom, cuts) => {
        const text = (bom ? '\uFEFF' : '') + lines.join(crlf ? '\r\n' : '\n');
        const bytes = Buffer.from(text, 'utf8');
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        chunks.push(bytes.subarray(prev));
        expect(await collect(chunks.filter((c) => c.length > 0))).toEqual(await collect([bytes]));
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});

describe('flat-object fast path', () => {
  it('yields exactly what JSON.parse yields, on flat, nested, escaped and broken lines', async () => {
    const { default: fc } = await import('fast-check');
    const { Readable } = await import('node:stream');
    const { readNdjsonBatches } = await import('../../src/ingest/read-ndjson.js');
    const collect = async (text: string, flatFastPath: boolean) => {
      const out = [];
      for await (const batch of readNdjsonBatches(Readable.from([Buffer.from(text)]), { flatFastPath })) out.push(...batch);
      return out;
    };
    const key = fc.constantFrom('timestamp', 'stakeholder_id', 'type', 'a b', 'ü', 'x"y', 'back\\slash', 'tab\there', '');
    const scalar = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 5 }), fc.double({ noNaN: true }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('2024-01-01T10:00:00Z', '\u0001', 'a\\"b'));
    const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) }, { weight: 1, arbitrary: fc.dictionary(key, scalar, { maxKeys: 2 }) });
    const objectLine = fc.array(fc.tuple(key, value), { maxLength: 5 }).chain((pairs) =>
      fc.constantFrom(' ', '', '\t').map((space) => `{${space}${pairs.map(([k, v]) => `${JSON.stringify(k)}${space}:${space}${JSON.stringify(v)}`).join(`,${space}`)}${space}}`),
    );
    const line = fc.oneof(
      { weight: 6, arbitrary: objectLine },
      { weight: 1, arbitrary: fc.constantFrom('{"a":1,}', '{"a":01}', '{"a":1.}', '{"a":tru}', '{"a":"x"', '[1]', '"s"', '{"a":1}}', '{"a":1} x', '{"a":-0,"a":2}', '{"n":1e400}', '{"u":"\\u0041"}') },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 8 }), async (lines) => {
        const text = lines.join('\n');
        expect(await collect(text, true)).toEqual(await collect(text, false));
      }),
      { numRuns: 1000, seed: 12 },
    );
  });
});
