import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MISSING, TEXT, TOKEN } from '../../src/ingest/duplicate-set.js';
import { FlatObjectBytes } from '../../src/ingest/flat-object-bytes.js';
import { KeyColumns, NdjsonLines, parseFlatObject } from '../../src/ingest/read-ndjson.js';
import type { ColumnMapping } from '../../src/ingest/column-mapping.js';
import { GroupedBatchBuilder, StringTable, type GroupedBatch } from '../../src/ingest/parse-records.js';
import type { SourceItem } from '../../src/ingest/source-item.js';
import { createTimestampParser, IsoBytesReader } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';

const columns = ['timestamp', 'id', 'channel', 'n'];

const value = fc.oneof(
  fc.constantFrom('2024-01-10T10:00:00Z', ' 2024-01-11T09:00:00Z', '2024-02-30', 'A', ' A ', '', 'call', 'é', 'a\\"b', 'tab\there'),
  fc.constantFrom(0, 3, -7, 21.5, 1e21, 123456789012345, 1234567890123456, -0, true, false, null),
  fc.constant({ nested: 1 }),
);
const key = fc.constantFrom('timestamp', 'id', 'channel', 'n', 'late', 'ID');
/** JSON text of a flat object, keys possibly repeated, with spacing and number spellings JSON.stringify never writes. */
const line = fc
  .tuple(fc.array(fc.tuple(key, value), { maxLength: 6 }), fc.constantFrom('', ' ', '\t'), fc.constantFrom('', ' '), fc.boolean())
  .map(([pairs, gap, around, oddNumbers]) => {
    const body = pairs
      .map(([k, v]) => {
        let text = JSON.stringify(v);
        if (oddNumbers && typeof v === 'number') text = v === 0 ? '-0' : `${text}.50`;
        return `"${k}"${gap}:${gap}${text}`;
      })
      .join(`,${gap}`);
    return `${around}{${gap}${body}${gap}}${around}`;
  });

describe('FlatObjectBytes', () => {
  it('reads a line only as parseFlatObject and KeyColumns read it, value by value', () => {
    let read = 0;
    fc.assert(
      fc.property(line, (text) => {
        const reader = new FlatObjectBytes(columns);
        const b = Buffer.from(`..${text}..`, 'utf8');
        const nf = reader.read(b, 2, b.length - 2);
        if (nf < 0) return;
        read++;
        const flat = parseFlatObject(text);
        expect(flat).not.toBeNull();
        const { values, grew } = new KeyColumns(columns).alignPairs(flat![0], flat![1]);
        expect(grew).toBe(false);
        let n = values.length;
        while (n > 0 && values[n - 1] === undefined) n--;
        expect(nf).toBe(n);
        for (let c = 0; c < columns.length; c++) {
          const v = values[c];
          const bytes = b.toString('latin1', reader.start[c], reader.end[c]);
          if (reader.kinds[c] === MISSING) {
            expect(v === null || v === undefined).toBe(true);
            expect(bytes).toBe('');
          } else if (reader.kinds[c] === TEXT) expect(v).toBe(bytes);
          else {
            expect(reader.kinds[c]).toBe(TOKEN);
            expect(typeof v === 'number' || typeof v === 'boolean').toBe(true);
            expect(String(v)).toBe(bytes);
          }
        }
      }),
      { numRuns: 3000, seed: 11 },
    );
    expect(read).toBeGreaterThan(100);
  });

  it('leaves new and repeated keys, escapes, non-ASCII and respelled numbers to the string path', () => {
    const reader = new FlatObjectBytes(columns);
    const read = (text: string) => reader.read(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text));
    expect(read('{"timestamp":"t","id":"A"}')).toBe(2);
    expect(read('{ "n" : 3 , "id" : null }')).toBe(4);
    expect(read('{"id":"A","late":1}')).toBe(-1);
    expect(read('{"id":"A","id":"B"}')).toBe(-1);
    expect(read('{"id":"A\\u0042"}')).toBe(-1);
    expect(read('{"id":"Müller"}')).toBe(-1);
    expect(read('{"n":1.50}')).toBe(-1);
    expect(read('{"n":1e3}')).toBe(-1);
    expect(read('{"n":-0}')).toBe(-1);
    expect(read('{"n":0}')).toBe(4);
    expect(read('{"n":123456789012345}')).toBe(4);
    // 17 digits: past 2^53 the number read is not the one written.
    expect(read('{"n":12345678901234567}')).toBe(-1);
    expect(read('{"n":{"x":1}}')).toBe(-1);
    expect(read('{}')).toBe(-1);
    expect(read('{"id":"A"} x')).toBe(-1);
    expect(read('[1]')).toBe(-1);
  });

  it('follows lines whose key order changes, guessing each key from the line before', () => {
    const reader = new FlatObjectBytes(['a', 'b', 'Ł', 'q"x']);
    const read = (text: string) => {
      const n = reader.read(Buffer.from(text, 'utf8'), 0, Buffer.byteLength(text));
      return n < 0 ? null : [n, [...reader.kinds]];
    };
    expect(read('{"a":"1","b":2}')).toEqual([2, [2, 3, 1, 1]]);
    expect(read('{"b":"1","a":2}')).toEqual([2, [3, 2, 1, 1]]);
    // A key that starts like the guessed one is not it.
    expect(read('{"bb":"1","a":2}')).toBeNull();
    expect(read('{"b":"1","ab":2}')).toBeNull();
    // Names a line cannot spell byte for byte (non-ASCII, escaped quote) are never guessed; Ł's latin1 low byte is A.
    expect(read('{"A":1}')).toBeNull();
    expect(read('{"q\\"x":1}')).toBeNull();
    expect(read('{"a":1}')).toEqual([1, [3, 1, 1, 1]]);
  });
});

const mapping = {
  timestamp: 0,
  stakeholder: 1,
  weight: null,
  names: { timestamp: 'timestamp', stakeholder: 'id', weight: null },
  dimensions: [
    { name: 'channel', index: 2 },
    { name: 'n', index: 3 },
  ],
} as unknown as ColumnMapping;

/** A grouped batch from NDJSON lines, each offered as bytes first (as a parse worker does) or parsed as an item. */
function batchOf(lines: string[], byPos: readonly number[], offer: boolean): { batch: unknown; taken: number } {
  const zone = new Zone('Europe/Paris');
  const table = new StringTable();
  const builder = new GroupedBatchBuilder(mapping, null, createTimestampParser(zone), table, byPos, new IsoBytesReader(zone));
  const parser = new NdjsonLines(new KeyColumns(columns), null, true, 0, false);
  const flat = new FlatObjectBytes(columns);
  const b = Buffer.from(lines.join('\n'), 'utf8');
  let taken = 0;
  let pos = 0;
  while (pos < b.length) {
    const nl = b.indexOf(0x0a, pos);
    const end = nl < 0 ? b.length : nl;
    if (offer && parser.offer(b, pos, end, flat, builder)) taken++;
    else {
      const out: SourceItem[] = [];
      parser.parse(b, pos, end, out);
      // A new key: this test's lines are read to the end regardless.
      builder.add(out.filter((item) => item.kind !== 'columns'));
    }
    pos = nl < 0 ? b.length : nl + 1;
  }
  const batch: GroupedBatch = builder.take();
  const all = [...batch.strings];
  const text = (ids: Int32Array) => [...ids].map((id) => all[id]);
  const constants = [...batch.constants].map((v, i) => (i % 3 === 0 || (i % 3 === 2 && v >= 0) ? all[v] : v));
  return { batch: { ...batch, stakeholder: text(batch.stakeholder), by: text(batch.by), runs: [...batch.runs].map((v, i) => (i % 2 === 0 ? all[v] : v)), constants, strings: null }, taken };
}

/** Lines that are mostly usable rows: a valid timestamp and id, with the odd bad value, new key or repeat. */
const rowLine = fc
  .tuple(
    fc.constantFrom('"2024-01-10T10:00:00Z"', '"2024-01-10T23:30:00Z"', '" 2024-01-11T09:00:00+02:00"', '"2024-03-31"', '"2024-02-30"', '1704880800', 'null'),
    fc.constantFrom('"A"', '"B"', '" A"', '""', '7', '"é"'),
    fc.constantFrom('"call"', '"email"', '" call "', 'null', '3', 'true', '"ü"'),
    fc.constantFrom('3', '21', '-4', '1.50', '"x"', 'null'),
    fc.constantFrom('', '', '', '', '', ',"late":1', ',"id":"C"', ',"n":{"a":1}'),
    fc.boolean(),
  )
  .map(([t, id, ch, n, extra, reversed]) =>
    reversed ? `{"n":${n},"channel":${ch},"id":${id},"timestamp":${t}${extra}}` : `{"timestamp":${t},"id":${id},"channel":${ch},"n":${n}${extra}}`,
  );

describe('GroupedBatchBuilder reading NDJSON objects as bytes', () => {
  it('builds exactly the batch that parsing every line as an item builds', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof({ arbitrary: rowLine, weight: 3 }, { arbitrary: line, weight: 1 }), { minLength: 1, maxLength: 30 }), fc.constantFrom([], [0], [1, 0]), (lines, byPos) => {
        const fast = batchOf(lines, byPos, true);
        expect(fast.batch).toEqual(batchOf(lines, byPos, false).batch);
        taken += fast.taken;
      }),
      { numRuns: 300, seed: 12 },
    );
    expect(taken).toBeGreaterThan(100);
  });

  it('takes the plain rows of a hand-made log as bytes, in any key order', () => {
    const lines = [
      '{"timestamp":"2024-01-10T10:00:00Z","id":"A","channel":"call","n":3}',
      '{"n":3, "channel":"call", "id":"A", "timestamp":"2024-01-10T11:00:00Z"}',
      '{"timestamp":"2024-01-10T12:00:00Z","id":"A","channel":"call","n":1.50}',
      '{"timestamp":"2024-01-10T13:00:00Z","id":7,"channel":"call","n":3}',
      '{"timestamp":"2024-02-30","id":"A"}',
    ];
    const { batch, taken } = batchOf(lines, [], true);
    expect(taken).toBe(2);
    // A has three rows on 2024-01-10 (10:00, 11:00 and 12:00 UTC are that day in Paris) and 7 one; 2024-02-30 is rejected.
    expect(batch).toMatchObject({ rowsRead: 5, rows: 4, stakeholder: ['A', '7'], count: new Int32Array([3, 1]) });
  });
});
