import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ingest, type IngestOptions } from '../../src/ingest/ingest.js';
import { describeInvalidUtf8, InvalidUtf8Lines } from '../../src/ingest/invalid-utf8.js';
import { readJsonArrayBatches } from '../../src/ingest/read-json-array.js';
import { readNdjsonBatches } from '../../src/ingest/read-ndjson.js';
import { scanDelimitedBatches } from '../../src/ingest/scan-delimited.js';
import type { SourceItem } from '../../src/ingest/source-item.js';
import { createTimestampParser } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'engage-audit-encodings-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function opts(files: string[], extra: Partial<IngestOptions> = {}): IngestOptions {
  return { files, columns: {}, parseTime: createTimestampParser(new Zone('UTC')), by: [], strict: false, stdin: Readable.from([]), ...extra };
}

/** The same bytes as a stream of `size`-byte chunks, to put chunk boundaries inside characters. */
function chunked(bytes: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts, { objectMode: false });
}

const CSV = 'timestamp,stakeholder_id\n2024-01-01,Müller\n2024-01-02,Żółć\n2024-01-02,日本\n2024-01-03,😀\n';
const NDJSON = CSV.split('\n')
  .slice(1, -1)
  .map((l) => JSON.stringify({ timestamp: l.split(',')[0], stakeholder_id: l.split(',')[1] }))
  .join('\n');
const IDS = ['Müller', 'Żółć', '日本', '😀'].sort();

const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
/** Big-endian by hand, byte pair by byte pair, independently of the code under test. */
function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1];
    be[i + 1] = le[i];
  }
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
}

async function idsOf(o: IngestOptions): Promise<{ ids: string[]; result: Awaited<ReturnType<typeof ingest>> }> {
  const result = await ingest(o);
  return { ids: result.ledger.snapshot().stakeholders.map((s) => s.id).sort(), result };
}

describe('UTF-16 with a byte order mark is read as if it were UTF-8', () => {
  it.each([
    ['LE', utf16le],
    ['BE', utf16be],
  ] as const)('UTF-16%s: CSV and NDJSON, plain and gzipped', async (name, encode) => {
    const cases = [
      file(`u16${name}.csv`, encode(CSV)),
      file(`u16${name}.csv.gz`, gzipSync(encode(CSV))),
      file(`u16${name}.ndjson`, encode(NDJSON)),
      file(`u16${name}.ndjson.gz`, gzipSync(encode(NDJSON))),
    ];
    for (const f of cases) {
      const { ids, result } = await idsOf(opts([f]));
      expect(ids).toEqual(IDS);
      expect(result.rowsRead).toBe(4);
      expect(result.rejects.total).toBe(0);
      expect(result.files[0].encoding).toBe(name === 'LE' ? 'utf-16le' : 'utf-16be');
      expect(result.files[0].invalidUtf8).toBeNull();
    }
  });

  it('whatever the chunk boundaries (odd sizes split code units and surrogate pairs)', async () => {
    for (const encode of [utf16le, utf16be]) {
      for (const size of [1, 3, 5, 7]) {
        const { ids } = await idsOf(opts(['-'], { stdin: chunked(encode(CSV), size), inputFormat: 'csv' }));
        expect(ids).toEqual(IDS);
      }
    }
  });

  it('the format is sniffed from the decoded text', async () => {
    const { ids, result } = await idsOf(opts([file('u16-noext', utf16le(NDJSON))]));
    expect(result.files[0].format).toBe('ndjson');
    expect(ids).toEqual(IDS);
  });

  it('UTF-8 with and without a BOM is unchanged, and reported as utf-8', async () => {
    for (const bytes of [Buffer.from(CSV), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)])]) {
      const { ids, result } = await idsOf(opts([file('u8.csv', bytes)]));
      expect(ids).toEqual(IDS);
      expect(result.files[0]).toMatchObject({ encoding: 'utf-8', invalidUtf8: null });
    }
  });
});

// Windows-1252: ü is the single byte FC, which is not valid UTF-8.
const CP1252 = Buffer.concat([
  Buffer.from('timestamp,stakeholder_id\n2024-01-01,Meyer\n2024-01-02,M'),
  Buffer.from([0xfc]),
  Buffer.from('ller\n2024-01-03,Meyer\n2024-01-04,Jos'),
  Buffer.from([0xe9]), // é
  Buffer.from('\n2024-01-05,Müller\n'), // valid UTF-8 on line 6
]);

describe('invalid UTF-8 is read with U+FFFD and its lines are counted', () => {
  it('CSV: the first line and the number of lines, with the rows still used', async () => {
    const { ids, result } = await idsOf(opts([file('cp1252.csv', CP1252)]));
    expect(ids).toEqual(['Jos\uFFFD', 'M\uFFFDller', 'Meyer', 'Müller'].sort());
    expect(result.rowsUsed).toBe(5);
    expect(result.files[0].invalidUtf8).toEqual({ firstLine: 3, lines: 2 });
  });

  it('CSV: the same over any chunk boundaries, gzipped or not', async () => {
    for (const size of [1, 2, 5, 16]) {
      const r = await ingest(opts(['-'], { stdin: chunked(CP1252, size), inputFormat: 'csv' }));
      expect(r.files[0].invalidUtf8).toEqual({ firstLine: 3, lines: 2 });
    }
    const r = await ingest(opts([file('cp1252.csv.gz', gzipSync(CP1252))]));
    expect(r.files[0].invalidUtf8).toEqual({ firstLine: 3, lines: 2 });
  });

  it('a valid multi-byte character split across chunks is not invalid', async () => {
    for (const size of [1, 2, 3]) {
      const r = await ingest(opts(['-'], { stdin: chunked(Buffer.from(CSV), size), inputFormat: 'csv' }));
      expect(r.files[0].invalidUtf8).toBeNull();
      const n = await ingest(opts(['-'], { stdin: chunked(Buffer.from(NDJSON), size), inputFormat: 'ndjson' }));
      expect(n.files[0].invalidUtf8).toBeNull();
    }
  });

  it('a quoted CSV field spanning lines counts once, at the line where its record starts', async () => {
    const bytes = Buffer.concat([Buffer.from('timestamp,stakeholder_id,note\n2024-01-01,A,"one\n'), Buffer.from([0xfc]), Buffer.from('"\n2024-01-02,B,x\n')]);
    const r = await ingest(opts([file('multi.csv', bytes)]));
    expect(r.files[0].invalidUtf8).toEqual({ firstLine: 2, lines: 1 });
  });

  it('the csv-parse fallback (old Mac line ends) notes them too', async () => {
    const bytes = Buffer.from(CP1252.toString('latin1').replaceAll('\n', '\r'), 'latin1');
    const r = await ingest(opts([file('mac.csv', bytes)]));
    expect(r.files[0].invalidUtf8).toEqual({ firstLine: 3, lines: 2 });
  });

  it('NDJSON, over any chunk boundaries', async () => {
    const lines = CP1252.toString('latin1')
      .split('\n')
      .slice(1, -1)
      .map((l) => `{"timestamp":"${l.split(',')[0]}","stakeholder_id":"${l.split(',')[1]}"}`);
    const bytes = Buffer.from(lines.join('\n'), 'latin1'); // line 2 holds FC, line 4 holds E9; line 5's "Müller" was UTF-8 bytes
    for (const size of [1, 7, 1 << 16]) {
      const r = await ingest(opts(['-'], { stdin: chunked(bytes, size), inputFormat: 'ndjson' }));
      expect(r.files[0].invalidUtf8).toEqual({ firstLine: 2, lines: 2 });
      expect(r.rowsUsed).toBe(5);
    }
  });

  it('a JSON array', async () => {
    const bytes = Buffer.concat([Buffer.from('[\n{"timestamp":"2024-01-01","stakeholder_id":"A"},\n{"timestamp":"2024-01-02","stakeholder_id":"M'), Buffer.from([0xfc]), Buffer.from('ller"}\n]\n')]);
    const r = await ingest(opts([file('cp.json', bytes)]));
    expect(r.files[0].invalidUtf8).toEqual({ firstLine: 3, lines: 1 });
  });
});

describe('the readers on their own', () => {
  async function drain(items: AsyncIterable<SourceItem[]>): Promise<number> {
    let n = 0;
    for await (const batch of items) n += batch.length;
    return n;
  }

  it('no tally given: the readers still read (the check is optional)', async () => {
    expect(await drain(scanDelimitedBatches(Readable.from([CP1252]), ','))).toBe(6);
    expect(await drain(readNdjsonBatches(Readable.from([Buffer.from('{"a":"\u00fc"}\n')])))).toBe(2);
    expect(await drain(readJsonArrayBatches(Readable.from([Buffer.from('[{"a":1}]')]), 'x.json'))).toBe(2);
  });
});

describe('InvalidUtf8Lines', () => {
  it('counts each line once and keeps the first', () => {
    const t = new InvalidUtf8Lines();
    expect(t.summary()).toBeNull();
    t.note(7);
    t.note(7);
    t.note(9);
    expect(t.summary()).toEqual({ firstLine: 7, lines: 2 });
  });

  it('check: only bytes that are not UTF-8', () => {
    const t = new InvalidUtf8Lines();
    t.check(Buffer.from('Müller'), 0, 7, 1);
    t.check(Buffer.from([0x41, 0xfc, 0x42]), 0, 3, 2);
    // A cut multi-byte character is invalid on its own, so readers check whole lines only.
    t.check(Buffer.from('ü'), 0, 1, 3);
    expect(t.summary()).toEqual({ firstLine: 2, lines: 2 });
  });

  it('noteReplacements: the lines of a decoded text that hold U+FFFD', () => {
    const t = new InvalidUtf8Lines();
    t.noteReplacements('a\n\uFFFD\nb\nc\uFFFD\uFFFD\n', 10);
    expect(t.summary()).toEqual({ firstLine: 11, lines: 2 });
  });
});

describe('describeInvalidUtf8', () => {
  it('one line', () => {
    expect(describeInvalidUtf8('in.csv', { firstLine: 3, lines: 1 })).toBe(
      `in.csv: line 3 holds bytes that are not valid UTF-8, read as U+FFFD (\uFFFD). The file is probably in a legacy encoding such as Windows-1252 (Excel's "CSV" on Windows): convert it with iconv -f WINDOWS-1252 -t UTF-8 'in.csv' > utf8.csv and read that`,
    );
  });

  it('a command that works for NDJSON and gzip: unpacked first, the copy named for its format', () => {
    expect(describeInvalidUtf8("it's.ndjson", { firstLine: 1, lines: 1 }, { format: 'ndjson', gzip: false })).toMatch(
      /: convert it with iconv -f WINDOWS-1252 -t UTF-8 'it'\\''s.ndjson' > utf8.ndjson and read that$/,
    );
    expect(describeInvalidUtf8('log.csv.gz', { firstLine: 1, lines: 1 }, { format: 'csv', gzip: true })).toMatch(
      /: convert it with gunzip -c 'log.csv.gz' \| iconv -f WINDOWS-1252 -t UTF-8 > utf8.csv and read that$/,
    );
  });

  it('gzip on standard input is unpacked before iconv', () => {
    expect(describeInvalidUtf8('<stdin>', { firstLine: 1, lines: 1 }, { format: 'csv', gzip: true })).toMatch(/: pipe it through gunzip -c \| iconv -f WINDOWS-1252 -t UTF-8$/);
  });

  it('many lines, and standard input', () => {
    const m = describeInvalidUtf8('<stdin>', { firstLine: 12, lines: 1500 });
    expect(m).toMatch(/^<stdin>: 1,500 lines hold bytes \(the first is line 12\) that are not valid UTF-8/);
    expect(m).toMatch(/pipe it through iconv -f WINDOWS-1252 -t UTF-8$/);
  });
});
