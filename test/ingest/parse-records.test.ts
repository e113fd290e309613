import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnMapping } from '../../src/ingest/column-mapping.js';
import { writeFingerprint, writeFingerprintOfBytes } from '../../src/ingest/duplicate-set.js';
import { BatchBuilder, GroupedBatchBuilder, RollupBatchBuilder, StringTable, type GroupedBatch } from '../../src/ingest/parse-records.js';
import { DECIMAL_RE, plainDecimalOfBytes } from '../../src/ingest/validate-row.js';
import type { RollupMapping } from '../../src/ingest/rollup-schema.js';
import { Scanner, type RecordTarget } from '../../src/ingest/scan-delimited.js';
import type { SourceItem } from '../../src/ingest/source-item.js';
import { createTimestampParser, IsoBytesReader } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';
import { scanInWindows } from '../helpers/scan-windows.js';

const mapping: ColumnMapping = {
  timestamp: 0,
  stakeholder: 1,
  weight: null,
  names: { timestamp: 'timestamp', stakeholder: 'stakeholder_id', weight: null },
  dimensions: [
    { name: 'channel', index: 2 },
    { name: 'country', index: 3 },
  ],
} as unknown as ColumnMapping;

const timestamps = ['2024-01-10T10:00:00Z', ' 2024-01-10T11:00:00Z', '2024-01-11T09:30:00.5Z', '2024-01-11 08:00:00+01:00', '2024-01-12', '1704880800', '2024-02-30', 'soon', '', '2024-03-31T02:30:00', '2024-01-10T10:00:00Z '];
const ids = ['A', 'B', ' A', 'A\t', '', ' ', 'é', '"A"', '"B,C"', 'C"x'];
const values = ['call', 'email', ' call', '', 'DE', 'DE ', '"DE"', 'ü'];

/** A record: usually four fields, sometimes one too few or too many. */
const record = fc
  .tuple(fc.constantFrom(...timestamps), fc.constantFrom(...ids), fc.constantFrom(...values), fc.constantFrom(...values), fc.constantFrom(4, 4, 4, 4, 3, 5))
  .map(([t, id, a, b, width]) => [t, id, a, b, 'extra'].slice(0, width).join(','));

/**
 * A grouped batch with its string ids written out: the byte path interns every
 * dimension value as it meets it, the item path only --by values (the rest at
 * take()), so the same strings can get different ids.
 */
function resolved(batch: GroupedBatch, all: string[]): unknown {
  const text = (ids: Int32Array) => [...ids].map((id) => all[id]);
  return {
    ...batch,
    stakeholder: text(batch.stakeholder),
    by: text(batch.by),
    runs: [...batch.runs].map((v, i) => (i % 2 === 0 ? all[v] : v)),
    constants: constantsWritten(batch.constants, all, batch.constantValues),
    constantValues: null,
    strings: null,
  };
}

/** Triples with their stakeholder ids (into `ids`) and values (into the batch's `values`) written out. */
function constantsWritten(triples: Int32Array, ids: readonly string[], values: readonly string[]): unknown[] {
  return [...triples].map((v, i) => (i % 3 === 0 ? ids[v] : i % 3 === 2 && v >= 0 ? values[v] : v));
}

/**
 * Scans `text` (a file's records, no header) into `builder`, through it as
 * the scanner's target (plain records as bytes) when `direct`, else as items;
 * how many records the byte path took.
 */
function scanInto(builder: RecordTarget & { add(items: readonly SourceItem[]): void }, text: string, direct: boolean): number {
  let plain = 0;
  const scanner = new Scanner(0x2c, null, null);
  scanner.header = false;
  scanner.crlf = text.includes('\r\n');
  if (direct) {
    scanner.target = {
      plain: (b, nf, start, end, line) => {
        const taken = builder.plain(b, nf, start, end, line);
        if (taken) plain++;
        return taken;
      },
      item: (item) => builder.item(item),
    };
  }
  scanner.scan(Buffer.from(text, 'utf8'), 0, true);
  builder.add(scanner.out);
  return plain;
}

/** A batch's rows with their string ids written out. */
function withTexts(batch: { stakeholder: Int32Array; dims: Int32Array; strings: string[] }): unknown {
  const all = batch.strings;
  return { ...batch, stakeholder: [...batch.stakeholder].map((id) => all[id]), dims: [...batch.dims].map((id) => all[id]), strings: null };
}

function batchOf(text: string, tz: string, byPos: readonly number[], direct: boolean): { batch: GroupedBatch; plain: number; strings: string[] } {
  const zone = new Zone(tz);
  const builder = new GroupedBatchBuilder(mapping, 4, createTimestampParser(zone), new StringTable(), byPos, new IsoBytesReader(zone));
  const plain = scanInto(builder, text, direct);
  const batch = builder.take();
  return { batch, plain, strings: batch.strings };
}

describe('GroupedBatchBuilder reading plain records as bytes', () => {
  it('builds exactly the batch that validating every record as an item builds', () => {
    let plainSeen = 0;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('UTC', 'Europe/Paris'), fc.constantFrom([], [0], [1, 0]), (records, eol, tz, byPos) => {
        const text = records.join(eol) + eol;
        const fast = batchOf(text, tz, byPos, true);
        const slow = batchOf(text, tz, byPos, false);
        expect(resolved(fast.batch, fast.strings)).toEqual(resolved(slow.batch, slow.strings));
        plainSeen += fast.plain;
      }),
      { numRuns: 400, seed: 7 },
    );
    // The byte path really ran (about one generated record in twenty is plain and valid).
    expect(plainSeen).toBeGreaterThan(200);
  });

  it('does not intern a column of values unique to each row (its strings would grow with the file)', () => {
    // 1,000 rows of one stakeholder, channel constant, country a unique activity id.
    const text = Array.from({ length: 1000 }, (_, i) => `2024-01-10T10:00:00Z,A,call,ID-${i}`).join('\n') + '\n';
    const { batch, plain } = batchOf(text, 'UTC', [], true);
    expect(plain).toBe(1000);
    // Only A: channel's constant value travels with the batch alone, the activity ids are mixed (−1).
    expect(batch.strings).toEqual(['A']);
    expect(batch.constantValues).toEqual(['call']);
    expect([...batch.constants].slice(-1)).toEqual([-1]);
  });

  it('sends a stakeholder\'s values again only when they tell the ledger something new', () => {
    const zone = new Zone('UTC');
    const builder = new GroupedBatchBuilder(mapping, 4, createTimestampParser(zone), new StringTable(), [], new IsoBytesReader(zone));
    const strings: string[] = [];
    const batch = (rows: string[]): unknown[] => {
      scanInto(builder, rows.join('\n') + '\n', true);
      const b = builder.take();
      strings.push(...b.strings);
      return constantsWritten(b.constants, strings, b.constantValues);
    };
    // channel, country per batch: A first sends both, then nothing while they stay, then country turns mixed.
    expect(batch(['2024-01-10T10:00:00Z,A,call,DE'])).toEqual(['A', 0, 'call', 'A', 1, 'DE']);
    expect(batch(['2024-01-11T10:00:00Z,A,call,DE', '2024-01-11T11:00:00Z,B,email,FR'])).toEqual(['B', 0, 'email', 'B', 1, 'FR']);
    expect(batch(['2024-01-12T10:00:00Z,A,call,FR'])).toEqual(['A', 1, 'FR']);
    // Mixed for good: no more word about A's country, whatever it holds.
    expect(batch(['2024-01-13T10:00:00Z,A,call,DE', '2024-01-13T11:00:00Z,A,call,IT'])).toEqual([]);
    expect(batch(['2024-01-14T10:00:00Z,B,email,FR', '2024-01-14T11:00:00Z,B,call,FR'])).toEqual(['B', 0, -1]);
  });

  it('interns no dimension value when each stakeholder has one row per batch (its unique value is constant there)', () => {
    const zone = new Zone('UTC');
    const builder = new GroupedBatchBuilder(mapping, 4, createTimestampParser(zone), new StringTable(), [], new IsoBytesReader(zone));
    for (let batch = 0; batch < 3; batch++) {
      scanInto(builder, Array.from({ length: 500 }, (_, i) => `2024-01-10T10:00:00Z,S${i},call,ID-${batch}-${i}`).join('\n') + '\n', true);
      const b = builder.take();
      // The first batch names the 500 stakeholders; after that, the string table gains nothing.
      expect(b.strings.length).toBe(batch === 0 ? 500 : 0);
      // Batch 0 sends call and each id, batch 1 each new id (the ledger then knows them mixed), batch 2 nothing.
      expect(b.constantValues.length).toBe([501, 500, 0][batch]);
      if (batch < 2) expect(b.constantValues).toContain(`ID-${batch}-7`);
    }
  });

  it('sums a hand-made log per stakeholder and day, rejecting what validateRow rejects', () => {
    const text = ['2024-01-10T10:00:00Z,A,call,DE', '2024-01-10T11:00:00Z, A ,call,FR', '2024-01-11T10:00:00Z,A,call,DE', '2024-01-10T12:00:00Z,,call,DE', 'soon,B,call,DE', '2024-01-10T09:00:00Z,B,email,DE,extra', ''].join('\n');
    const { batch: b, plain } = batchOf(text, 'UTC', [], true);
    expect(plain).toBe(3);
    expect(b.rowsRead).toBe(6);
    expect(b.rows).toBe(3);
    // A on 2024-01-10 (day 19732) twice, A on 2024-01-11 once.
    expect([...b.day]).toEqual([19732, 19733]);
    expect([...b.count]).toEqual([2, 1]);
    expect(b.rejects.map((r) => [r.line, r.reason])).toEqual([
      [4, 'stakeholder'],
      [5, 'timestamp'],
      [6, 'column-count'],
    ]);
    // channel is constant ("call"); country is mixed (DE, FR): −1.
    const triples = [...b.constants];
    expect(triples.length).toBe(6);
    expect(b.constantValues[triples[2]]).toBe('call');
    expect(triples[5]).toBe(-1);
  });
});

describe('writeFingerprintOfBytes', () => {
  it('equals the fingerprint of the same ASCII fields as strings', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(ascii, { minLength: 1, maxLength: 8 }), fc.nat(5), (fields, offset) => {
        const start: number[] = [];
        const end: number[] = [];
        let text = ' '.repeat(offset);
        for (const f of fields) {
          start.push(text.length);
          text += f;
          end.push(text.length);
          text += '|';
        }
        const fromBytes = new Uint32Array(4);
        const fromStrings = new Uint32Array(4);
        writeFingerprintOfBytes(Buffer.from(text, 'latin1'), start, end, fields.length, fromBytes, 1);
        writeFingerprint(fields, fromStrings, 1);
        expect([...fromBytes]).toEqual([...fromStrings]);
        expect(fromBytes[2]).not.toBe(0);
      }),
      { numRuns: 2000, seed: 8 },
    );
  });
});

const rollupMapping: RollupMapping = {
  at: { stakeholder: 0, day: 1, interactions: 3, volume: 4, volume_sq: 5, gap_count: 6, gap_sum: 7, gap_sum_sq: 8 },
  dimensions: [{ name: 'channel', index: 2 }],
};

/** Mostly a good value, sometimes an odd spelling or a bad one. */
const field = (good: string[], odd: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 6 }, { arbitrary: fc.constantFrom(...odd), weight: 1 });

const rollupRecord = fc
  .tuple(
    field(['A', 'B'], [' A', '', 'é', '"A"', 'A\rB']),
    field(['2024-01-10', '2024-01-11'], [' 2024-01-11', '2024-02-30', '1899-12-31', '2024-1-10', '2024-01-10T00:00:00Z']),
    field(['call', 'email'], [' call', '', '"x"', 'ca\rll']),
    field(['3', '3.0'], ['1', '0', '2.5', ' 2', 'x']),
    field(['3', '3.0'], ['2.50', '0', '1e3', '-1', '1.2.5', '.5', '5.']),
    field(['3', '9.00'], ['0', '1E1']),
    field(['2', '3'], ['0', '5', '1.0']),
    // Past 15 digits, digit-by-digit sums round differently from Number(): 12345678901234567891.
    field(['60', '7200.0'], ['0', '7.5', '-3', '123456789012345', '12345678901234567891']),
    field(['3600', '25920000.0'], ['0', '1.5e+11', '-1']),
    fc.constantFrom(9, 9, 9, 9, 8, 10),
  )
  .map((f) => f.slice(0, 9).slice(0, f[9]).concat(f[9] > 9 ? ['extra'] : []).join(','));

function rollupBatchOf(text: string, direct: boolean): { batch: unknown; plain: number } {
  const builder = new RollupBatchBuilder(rollupMapping, 9, new StringTable());
  const plain = scanInto(builder, text, direct);
  return { batch: withTexts(builder.take()), plain };
}

describe('RollupBatchBuilder reading plain records as bytes', () => {
  it('builds exactly the batch that validating every record as an item builds', () => {
    let plainSeen = 0;
    fc.assert(
      fc.property(fc.array(rollupRecord, { minLength: 1, maxLength: 40 }), (records) => {
        const text = records.join('\n') + '\n';
        const fast = rollupBatchOf(text, true);
        expect(fast.batch).toEqual(rollupBatchOf(text, false).batch);
        plainSeen += fast.plain;
      }),
      { numRuns: 400, seed: 9 },
    );
    expect(plainSeen).toBeGreaterThan(500);
  });

  /**
   * Scans `text` in windows of `step` bytes (widened while a record does not fit, as a parse
   * worker does) with the builder itself as the target, its fused() reader included.
   */
  function fusedBatchOf(text: string, step: number, delimiter = ','): { batch: unknown; fused: number } {
    const builder = new RollupBatchBuilder(rollupMapping, 9, new StringTable());
    let fused = 0;
    const scanner = new Scanner(delimiter.charCodeAt(0), null, null);
    scanner.header = false;
    scanner.crlf = text.includes('\r\n');
    scanner.target = {
      plain: (b, nf, start, end, line) => builder.plain(b, nf, start, end, line),
      item: (item) => builder.item(item),
      fused: (b, p, n, d, crlf, line) => {
        const end = builder.fused(b, p, n, d, crlf, line);
        if (end >= 0) fused++;
        return end;
      },
    };
    scanInWindows(scanner, Buffer.from(text, 'utf8'), step);
    builder.add(scanner.out);
    return { batch: withTexts(builder.take()), fused };
  }

  it('reads records in one pass (fused) into exactly the batch of the item path, LF or CRLF, in any window', () => {
    let fusedSeen = 0;
    // Empty lines among the records: the line numbers fused() is given must count them.
    const withEmpty = fc.oneof({ arbitrary: rollupRecord, weight: 8 }, { arbitrary: fc.constant(''), weight: 1 });
    fc.assert(
      fc.property(fc.array(withEmpty, { minLength: 1, maxLength: 40 }), fc.boolean(), fc.integer({ min: 8, max: 400 }), fc.boolean(), (records, crlf, step, lastBreak) => {
        const text = records.join(crlf ? '\r\n' : '\n') + (lastBreak ? (crlf ? '\r\n' : '\n') : '');
        const fast = fusedBatchOf(text, step);
        expect(fast.batch).toEqual(rollupBatchOf(text, false).batch);
        fusedSeen += fast.fused;
      }),
      { numRuns: 600, seed: 10 },
    );
    expect(fusedSeen).toBeGreaterThan(400);
  });

  it('leaves records to plain() where one pass would misread them: a lone CR, a point or digit as delimiter', () => {
    const good = 'A,2024-01-10,call,3,3.0,3,2,7200.0,25920000.0';
    // In CRLF mode a CR not before LF is data, which plain() hands on as an item: inside a field, or after the last.
    const loneCr = `${good}\r\nB,2024-01-1\r0,call,1,1,1,0,0,0\r\n${good}\r\nC,2024-01-10,call,1,1,1,0,0,0\r9\r\n${good}\r\n`;
    const crlf = fusedBatchOf(loneCr, 64);
    expect(crlf.batch).toEqual(rollupBatchOf(loneCr, false).batch);
    expect(crlf.fused).toBe(3);
    // With '.' as the delimiter, "3.0" would read as one number, and this record of fourteen fields (a
    // column-count reject) as a row of nine.
    const fourteen = ['A', '2024-01-10', 'call', '3', '0', '3', '0', '9', '0', '2', '0', '60', '0', '3600'].join('.') + '\n';
    const dotted = fusedBatchOf(fourteen, 64, '.');
    expect(dotted.fused).toBe(0);
    expect(dotted.batch).toMatchObject({ rows: 0, rowsRead: 1, rejects: [{ reason: 'column-count' }] });
    // With '.' or a digit as the delimiter, a number would swallow its delimiter: such records go to plain().
    for (const d of ['.', '9']) {
      const text = ['A', '2024-01-10', 'call', '3', '3', '3', '2', '60', '3600'].join(d) + '\n';
      const { batch, fused } = fusedBatchOf(text, 64, d);
      expect(fused).toBe(0);
      // Volume and volume_sq are the interactions: one column holds the three.
      expect(batch).toMatchObject({ rows: 1, stakeholder: ['A'], dims: ['call'], sums: new Float64Array([3, 2, 60, 3600]), volumeIsCount: true });
    }
    const tsv = good.replaceAll(',', '\t') + '\n';
    expect(fusedBatchOf(tsv, 64, '\t')).toMatchObject({ fused: 1, batch: { rows: 1, stakeholder: ['A'], dims: ['call'] } });
  });

  it('reads a hand-made rollup row from its bytes and leaves the rest to validateRollupRow', () => {
    const text = ['A,2024-01-10,call,3,3.0,3,2,7200.0,25920000.0', 'A,2024-01-11,call,1,1,1,0,60,3600', 'B,2024-01-10,call,2,2.5,3.25,1,60,3600', 'B,2024-01-11,call,1,1e0,1,0,0,0', ''].join('\n');
    const { batch, plain } = rollupBatchOf(text, true);
    // The second row claims a gap sum with no gaps: rejected; the fourth spells a volume with an exponent: read as an item.
    expect(plain).toBe(2);
    expect(batch).toMatchObject({ rowsRead: 4, rows: 3, stakeholder: ['A', 'B', 'B'], dims: ['call', 'call', 'call'], day: new Int32Array([19732, 19732, 19733]) });
    // By column: the three rows' interactions, then their volumes, and so on.
    expect([...(batch as { sums: Float64Array }).sums]).toEqual([3, 2, 1, 3, 2.5, 1, 3, 3.25, 1, 2, 1, 0, 7200, 60, 0, 25920000, 3600, 0]);
    expect(batch).toMatchObject({ volumeIsCount: false });
  });

  it('keeps volume and volume_sq in the interactions\' column when every row of the batch has them equal', () => {
    const unweighted = ['A,2024-01-10,call,3,3.0,3,2,7200.0,25920000.0', 'B,2024-01-11,call,1,1,1.0,0,0,0', ''].join('\n');
    expect(rollupBatchOf(unweighted, true).batch).toMatchObject({ rows: 2, volumeIsCount: true, sums: new Float64Array([3, 1, 2, 0, 7200, 0, 25920000, 0]) });
    // One row's volume_sq differs: all six columns, for every row of the batch.
    const oneWeighted = unweighted.replace('B,2024-01-11,call,1,1,1.0', 'B,2024-01-11,call,1,1,1.5');
    expect(rollupBatchOf(oneWeighted, true).batch).toMatchObject({ rows: 2, volumeIsCount: false, sums: new Float64Array([3, 1, 3, 1, 3, 1.5, 2, 0, 7200, 0, 25920000, 0]) });
    // The builder starts afresh after take(): the next batch is judged by its own rows.
    const builder = new RollupBatchBuilder(rollupMapping, 9, new StringTable());
    scanInto(builder, oneWeighted, true);
    expect(builder.take().volumeIsCount).toBe(false);
    scanInto(builder, unweighted, true);
    expect(builder.take()).toMatchObject({ rows: 2, volumeIsCount: true });
  });
});

const weightedMapping = { ...mapping, weight: 4, names: { ...mapping.names, weight: 'minutes' } } as unknown as ColumnMapping;
const weightedRecord = fc
  .tuple(
    fc.constantFrom('2024-01-10T10:00:00Z', '2024-01-10 11:00:00', ' 2024-01-11T09:30:00Z', '1704880800', 'soon'),
    fc.constantFrom('A', 'B', ' A', '', '"A"'),
    fc.constantFrom('call', ' email ', ''),
    fc.constantFrom('DE', 'FR'),
    fc.constantFrom('3', '0.1', '2.50', ' 7 ', '.5', '5.', '0', '-1', '1e3', '', 'x', '1234567890.12345', '12345678901234567', '0.0000000000000001'),
    fc.constantFrom(5, 5, 5, 5, 4),
  )
  .map((f) => f.slice(0, f[5]).join(','));

function weightedBatchOf(text: string, direct: boolean, byPos: readonly number[] | null = null): { batch: unknown; plain: number } {
  const zone = new Zone('Europe/Paris');
  const builder = new BatchBuilder(weightedMapping, 5, createTimestampParser(zone), new StringTable(), new IsoBytesReader(zone), byPos);
  const plain = scanInto(builder, text, direct);
  const batch = builder.take();
  const all = batch.strings;
  // Constants' ids written out too: the byte path interns values in another order.
  const constants = batch.constants === null ? null : constantsWritten(batch.constants, all, batch.constantValues);
  return { batch: { ...(withTexts(batch) as object), constants, constantValues: null }, plain };
}

describe('BatchBuilder reading plain weighted records as bytes', () => {
  it('builds exactly the batch that validating every record as an item builds', () => {
    let plainSeen = 0;
    fc.assert(
      // Rows with every value (null), or with only their --by values and the rest as constants.
      fc.property(fc.array(weightedRecord, { minLength: 1, maxLength: 40 }), fc.constantFrom(null, [], [0], [1, 0]), (records, byPos) => {
        const text = records.join('\n') + '\n';
        const fast = weightedBatchOf(text, true, byPos);
        expect(fast.batch).toEqual(weightedBatchOf(text, false, byPos).batch);
        plainSeen += fast.plain;
      }),
      { numRuns: 600, seed: 10 },
    );
    expect(plainSeen).toBeGreaterThan(450);
  });

  it('keeps a column of values unique to each row out of its rows and strings when given the --by positions', () => {
    // 1,000 weighted rows of one stakeholder: channel (--by) constant, country a unique activity id.
    const text = Array.from({ length: 1000 }, (_, i) => `2024-01-10T10:00:00Z,A,call,ID-${i},2`).join('\n') + '\n';
    for (const direct of [true, false]) {
      const { batch } = weightedBatchOf(text, direct, [0]) as { batch: { dims: string[]; constants: unknown[]; strings: null; weight: Float64Array } };
      expect(batch.dims).toEqual(new Array(1000).fill('call'));
      // (A, channel, call) and (A, country, several values).
      expect(batch.constants).toEqual(['A', 0, 'call', 'A', 1, -1]);
      expect([...batch.weight]).toEqual(new Array(1000).fill(2));
    }
    const zone = new Zone('UTC');
    const builder = new BatchBuilder(weightedMapping, 5, createTimestampParser(zone), new StringTable(), new IsoBytesReader(zone), [0]);
    scanInto(builder, text, true);
    expect([...builder.take().strings].sort()).toEqual(['A', 'call']);
  });

  it('reads decimal weights from bytes as Number reads their text', () => {
    const { batch, plain } = weightedBatchOf(['2024-01-10T10:00:00Z,A,call,DE,0.1', '2024-01-10T11:00:00Z,A,call,DE, 2.50 ', '2024-01-10T12:00:00Z,A,call,DE,0', ''].join('\n'), true);
    expect(plain).toBe(2);
    expect([...(batch as { weight: Float64Array }).weight]).toEqual([0.1, 2.5]);
  });
});

describe('plainDecimalOfBytes', () => {
  it('gives what Number gives the text, or NaN', () => {
    const decimal = fc.tuple(fc.stringMatching(/^[0-9]{0,17}$/), fc.boolean(), fc.stringMatching(/^[0-9]{0,17}$/)).map(([a, dot, f]) => (dot ? `${a}.${f}` : a));
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(decimal, fc.string({ maxLength: 8 })), (text) => {
        const n = plainDecimalOfBytes(Buffer.from(text, 'latin1'), 0, text.length);
        if (Number.isNaN(n)) return;
        read++;
        expect(n).toBe(Number(text));
        expect(DECIMAL_RE.test(text)).toBe(true);
      }),
      { numRuns: 5000, seed: 13 },
    );
    expect(read).toBeGreaterThan(1000);
    expect(plainDecimalOfBytes(Buffer.from('0.1'), 0, 3)).toBe(0.1);
    expect(plainDecimalOfBytes(Buffer.from('1234567890123456'), 0, 16)).toBeNaN();
  });
});
