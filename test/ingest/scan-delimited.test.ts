import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { readDelimited } from '../../src/ingest/read-delimited.js';
import { Scanner, scanDelimited } from '../../src/ingest/scan-delimited.js';
import type { SourceItem } from '../../src/ingest/source-item.js';
import { scanInWindows } from '../helpers/scan-windows.js';

/** Chunk sizes are cycled through; [] means the whole input in one chunk. */
function chunked(buf: Buffer, sizes: readonly number[]): Buffer[] {
  if (sizes.length === 0 || buf.length === 0) return [buf];
  const out: Buffer[] = [];
  for (let p = 0, k = 0; p < buf.length; k++) {
    const size = sizes[k % sizes.length];
    out.push(buf.subarray(p, p + size));
    p += size;
  }
  return out;
}

function streamOf(buf: Buffer, sizes: readonly number[]): Readable {
  return Readable.from(chunked(buf, sizes), { objectMode: false });
}

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const toBuf = (text: string | Buffer): Buffer => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

const reference = (text: string | Buffer, delimiter = ',', sizes: readonly number[] = []): Promise<SourceItem[]> =>
  collect(readDelimited(streamOf(toBuf(text), sizes), delimiter));

const scanned = (
  text: string | Buffer,
  delimiter = ',',
  sizes: readonly number[] = [],
  wanted: ReadonlySet<number> | null = null,
): Promise<SourceItem[]> => collect(scanDelimited(streamOf(toBuf(text), sizes), delimiter, wanted));

/** Records with unwanted values blanked, as a reader with `wanted` may leave them. */
function onlyWanted(items: SourceItem[], wanted: ReadonlySet<number>): SourceItem[] {
  return items.map((i) => (i.kind === 'record' ? { ...i, values: i.values.map((v, k) => (wanted.has(k) ? v : '')) } : i));
}

/** Both readers, several chunkings, all columns and a subset: the scanner must match csv-parse. */
async function expectSame(text: string | Buffer, delimiter = ','): Promise<SourceItem[]> {
  const want = await reference(text, delimiter);
  for (const sizes of [[], [1], [2], [3], [1, 2, 5], [7]]) {
    expect(await scanned(text, delimiter, sizes)).toEqual(want);
  }
  const wanted = new Set([0, 2]);
  expect(onlyWanted(await scanned(text, delimiter, [3], wanted), wanted)).toEqual(onlyWanted(want, wanted));
  return want;
}

const summary = (items: SourceItem[]): unknown[] =>
  items.map((i) => (i.kind === 'columns' ? ['columns', [...i.columns]] : i.kind === 'record' ? [i.line, [...i.values]] : [i.line, 'malformed']));

describe('scanDelimited: hand-written edges, each checked against readDelimited', () => {
  it('plain CSV with LF and CRLF, with and without a trailing line break', async () => {
    expect(summary(await expectSame('a,b\n1,2\n3,4\n'))).toEqual([['columns', ['a', 'b']], [2, ['1', '2']], [3, ['3', '4']]]);
    const crlf = await expectSame('a,b\r\n1,2\r\n3,4');
    expect(crlf[2]).toEqual({ kind: 'record', line: 3, values: ['3', '4'], raw: '3,4' });
    expect(crlf[1]).toEqual({ kind: 'record', line: 2, values: ['1', '2'], raw: '1,2' });
  });

  it('strips a UTF-8 BOM, also when it arrives one byte at a time', async () => {
    const items = await expectSame('\uFEFF"a",b\r\n1,2\r\n');
    expect(items[0]).toEqual({ kind: 'columns', columns: ['a', 'b'] });
    expect(await scanned('\uFEFFa\n1\n', ',', [1])).toEqual(await reference('\uFEFFa\n1\n'));
  });

  it('quoted delimiters, quoted LF / CRLF / CR, "" escapes, start line numbers', async () => {
    const text = 'h1,h2,h3\n"x, y","multi\nline ""q""",3\n\n"a\r\nb","c\rd",e\n"last",,\n';
    const items = await expectSame(text);
    expect(summary(items)).toEqual([
      ['columns', ['h1', 'h2', 'h3']],
      [2, ['x, y', 'multi\nline "q"', '3']],
      [5, ['a\r\nb', 'c\rd', 'e']],
      // csv-parse counts the quoted lone CR as a line break too, and readDelimited follows it.
      [8, ['last', '', '']],
    ]);
    expect(items[1]).toMatchObject({ raw: '"x, y","multi\nline ""q""",3' });
  });

  it('a quoted CRLF counts as one line in CRLF files', async () => {
    expect(summary(await expectSame('h1,h2\r\n"x\r\ny",1\r\na,b\r\n'))).toEqual([
      ['columns', ['h1', 'h2']],
      [2, ['x\r\ny', '1']],
      [4, ['a', 'b']],
    ]);
  });

  it('quotes inside unquoted fields are text; text after a closing quote follows csv-parse (relax_quotes)', async () => {
    // The third field opens a quote that a `"` followed by text closes again.
    const items = await expectSame('a,b,c\n5" screen,x"y"z,"\n"bad"q,"a""b"q,""x\n"e"f"g,1,2\n');
    expect(summary(items)).toEqual([
      ['columns', ['a', 'b', 'c']],
      [2, ['5" screen', 'x"y"z', '"\n"bad"q', '"a"b"q', '""x']],
      [4, ['"e"f"g', '1', '2']],
    ]);
    const relaxed = await expectSame('a,b,c\n"bad"q,"a""b"q,""x\n"e"f"g,1,2\n');
    expect(summary(relaxed)).toEqual([
      ['columns', ['a', 'b', 'c']],
      [2, ['"bad"q', '"a"b"q', '""x']],
      [3, ['"e"f"g', '1', '2']],
    ]);
  });

  it('a quote closed by a NUL byte goes on as text', async () => {
    expect(summary(await expectSame('a,b\n"x"\u0000y,"p\u0000q"\n'))).toEqual([
      ['columns', ['a', 'b']],
      [2, ['x\u0000y', 'p\u0000q']],
    ]);
  });

  it('empty lines are skipped but counted, before the header, between and after records', async () => {
    expect(summary(await expectSame('\n\nh1,h2\n\n\na,b\n\nc,d\n\n\n'))).toEqual([
      ['columns', ['h1', 'h2']],
      [6, ['a', 'b']],
      [8, ['c', 'd']],
    ]);
    await expectSame('\r\n\r\nh1,h2\r\n\r\na,b\r\n\r\n');
    // A line holding only "" or a delimiter is a record, not an empty line.
    expect(summary(await expectSame('a,b\n""\n,\n'))).toEqual([['columns', ['a', 'b']], [2, ['']], [3, ['', '']]]);
  });

  it('the first line break decides the record delimiter, as in csv-parse: later lone CR / LF are data', async () => {
    // LF file: a CR before an LF stays in the value (and shifts csv-parse's line count).
    const lf = await expectSame('a,b\nc\r\nd\n1,2\n\r\n');
    expect(summary(lf)).toEqual([['columns', ['a', 'b']], [2, ['c\r']], [4, ['d']], [5, ['1', '2']], [6, ['\r']]]);
    // CRLF file: a lone LF is data inside the field.
    const crlf = await expectSame('a,b\r\nc\nd,e\r\n\n\r\nf\r\n');
    expect(summary(crlf)).toEqual([['columns', ['a', 'b']], [2, ['c\nd', 'e']], [4, ['\n']], [6, ['f']]]);
    // A quoted field before the first line break of a CRLF file.
    await expectSame('"h\n1","h\r\n2"\r\n"x"\r\n"y"\n\r\n');
  });

  it('lone CR record delimiters go to csv-parse (fallback) and give its results', async () => {
    const items = await expectSame('a,b\r1,2\r3,"x\ry"\r');
    expect(summary(items)).toEqual([['columns', ['a', 'b']], [2, ['1', '2']], [3, ['3', 'x\ry']]]);
    await expectSame('"a\r\n"\rb\r\n');
    await expectSame('a\r');
  });

  it('a UTF-16LE BOM and multi-byte delimiters go to csv-parse', async () => {
    await expectSame(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]));
    expect(await scanned('a::b\n1::2\n', '::')).toEqual(await reference('a::b\n1::2\n', '::'));
    expect(await scanned('a§b\n1§2\n', '§')).toEqual(await reference('a§b\n1§2\n', '§'));
  });

  it('records spanning chunk boundaries: inside quotes, between CR and LF, inside multi-byte characters', async () => {
    const text = 'name,note\r\n日本,"é\r\n😀, ""x"""\r\nß,"a""\r\n"\r\n';
    const items = await expectSame(text);
    expect(summary(items)).toEqual([['columns', ['name', 'note']], [2, ['日本', 'é\r\n😀, "x"']], [4, ['ß', 'a"\r\n']]]);
    for (let cut = 1; cut < Buffer.byteLength(text); cut++) {
      expect(await scanned(text, ',', [cut, 1000])).toEqual(items);
    }
  });

  it('an unclosed quote at the end of input is one malformed item with readDelimited’s wording', async () => {
    const text = ['timestamp,stakeholder_id', '2024-01-01,A', '2024-01-02,"B', '2024-01-03,C', '2024-01-04,D'].join('\n') + '\n';
    const items = await expectSame(text);
    expect(items[2]).toEqual({
      kind: 'malformed',
      line: 3,
      endLine: 5,
      reason: 'a quoted field opened on line 3 is never closed (lines 3–5 were read as one field)',
      raw: '2024-01-02,"B\n2024-01-03,C\n2024-01-04,D',
    });
    await expectSame('a\n\n"x\r\ny\r\n\r\n');
    await expectSame('a\r\n"x\r\n');
    await expectSame('"unclosed header\n1,2\n');
    await expectSame('a,b\n"x""');
  });

  it('other delimiters: tab, semicolon, pipe', async () => {
    expect(summary(await expectSame('a\tb\n1,5\t"2\t3"\n', '\t'))).toEqual([['columns', ['a', 'b']], [2, ['1,5', '2\t3']]]);
    expect(summary(await expectSame('a;b\n"x;y";2\n', ';'))).toEqual([['columns', ['a', 'b']], [2, ['x;y', '2']]]);
    await expectSame('a|b\n"x|y"|2\n', '|');
  });

  it('header only, empty input, only line breaks, a lone quote', async () => {
    expect(summary(await expectSame('a,b\n'))).toEqual([['columns', ['a', 'b']]]);
    expect(await expectSame('')).toEqual([]);
    expect(await expectSame('\n\n')).toEqual([]);
    expect(await expectSame('\r\n\r\n')).toEqual([]);
    // The first break makes LF the record delimiter; the CR is then a one-field record.
    expect(summary(await expectSame('\n\r\n\n'))).toEqual([['columns', ['\r']]]);
    await expectSame('"');
    await expectSame('""');
    await expectSame('\uFEFF');
    await expectSame(Buffer.from([0xef, 0xbb]));
  });

  it('ragged rows keep their field count; with `wanted`, other values are blank but counted', async () => {
    const text = 'a,b,c\n1,2\n1,2,3,4\n"x","y","z"\n';
    expect(summary(await expectSame(text))).toEqual([
      ['columns', ['a', 'b', 'c']],
      [2, ['1', '2']],
      [3, ['1', '2', '3', '4']],
      [4, ['x', 'y', 'z']],
    ]);
    expect(summary(await scanned(text, ',', [], new Set([1])))).toEqual([
      ['columns', ['a', 'b', 'c']],
      [2, ['', '2']],
      [3, ['', '2', '', '']],
      [4, ['', 'y', '']],
    ]);
  });

  it('invalid UTF-8 decodes as csv-parse decodes it', async () => {
    await expectSame(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xe6, 0x97, 0x2c, 0x22, 0xff, 0x22, 0x22, 0x97, 0x22, 0x0a, 0xc3]));
  });

  it('stops reading the source when the consumer stops early', async () => {
    const source = streamOf(Buffer.from('a\n1\n2\n3\n'), [2]);
    for await (const item of scanDelimited(source, ',')) if (item.kind === 'record') break;
    expect(source.destroyed).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential properties: random documents, random chunkings, both readers.

const DELIMITERS = [',', '\t', ';', '|'] as const;

/** Text pieces for field contents: ASCII, multi-byte, emoji, space, NUL and stray quotes. */
const plainPiece = fc.constantFrom('a', 'b', 'x1', '2024-01-01', ' ', 'é', 'ß', '日本', '😀', '"', 'q"q', '\u0000', '\uFEFF', '');
/** What may appear inside quotes: anything, including delimiters and line breaks. */
const quotedPiece = fc.constantFrom('a', 'é', '😀', '日', ',', ';', '\t', '|', '\n', '\r\n', '\r', '""', ' ', '\u0000');

interface FieldSpec {
  kind: 'plain' | 'quoted' | 'relaxed' | 'unclosed';
  pieces: string[];
  tail: string[];
}

const fieldArb: fc.Arbitrary<FieldSpec> = fc.record({
  kind: fc.constantFrom<FieldSpec['kind']>('plain', 'plain', 'plain', 'quoted', 'quoted', 'relaxed', 'unclosed'),
  pieces: fc.array(fc.oneof(plainPiece, quotedPiece), { maxLength: 4 }),
  tail: fc.array(plainPiece, { maxLength: 2 }),
});

function renderField(f: FieldSpec, delimiter: string, allowUnclosed: boolean): string {
  if (f.kind === 'plain') {
    // Unquoted text cannot hold the delimiter or line breaks, and must not start with a quote.
    const text = f.pieces
      .map((p) => p.replaceAll(delimiter, '').replace(/[\r\n]/g, ''))
      .join('')
      .replace(/^"+/, '');
    return text;
  }
  const content = f.pieces.map((p) => (p === '"' || p === 'q"q' ? p.replaceAll('"', '""') : p)).join('');
  if (f.kind === 'quoted') return `"${content}"`;
  if (f.kind === 'relaxed') return `"${content}"${f.tail.join('').replaceAll(delimiter, '') || 'z'}`;
  return allowUnclosed ? `"${content}` : `"${content}"`;
}

const structuredDoc = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    bom: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n', 'mixed'),
    rows: fc.array(
      fc.record({
        fields: fc.array(fieldArb, { minLength: 1, maxLength: 5 }),
        emptyBefore: fc.nat({ max: 2 }),
        eolNoise: fc.constantFrom('', '', '', '\r', '\n'),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    trailing: fc.constantFrom('', '\n', '\r\n', '\n\n'),
  })
  .map(({ delimiter, bom, eol, rows, trailing }) => {
    let text = bom ? '\uFEFF' : '';
    rows.forEach((row, r) => {
      const lineBreak = eol === 'mixed' ? (r % 2 === 0 ? '\r\n' : '\n') : eol;
      text += lineBreak.repeat(row.emptyBefore);
      // Only the last field of the last row may leave its quote open (else everything after it is one field anyway).
      const last = r === rows.length - 1;
      text += row.fields.map((f, i) => renderField(f, delimiter, last && i === row.fields.length - 1)).join(delimiter);
      if (!last) text += row.eolNoise + lineBreak;
    });
    return { delimiter, text: text + trailing };
  });

/** Unstructured noise over the characters that matter, to reach what the structure misses. */
const noiseDoc = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    bom: fc.boolean(),
    chars: fc.array(fc.constantFrom('a', 'b', 'é', '😀', ',', ';', '\t', '|', '"', '"', '\n', '\n', '\r\n', '\r', ' ', '\u0000'), {
      maxLength: 80,
    }),
  })
  .map(({ delimiter, bom, chars }) => ({ delimiter, text: (bom ? '\uFEFF' : '') + chars.join('') }));

const docArb = fc.oneof({ weight: 3, arbitrary: structuredDoc }, { weight: 2, arbitrary: noiseDoc });

/** [] = one chunk; otherwise sizes cycled, often 1 byte (splits CRLF and UTF-8 sequences). */
const chunkingArb = fc.oneof(
  fc.constant<number[]>([]),
  fc.constant([1]),
  fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
);

describe('scanDelimited agrees with readDelimited (csv-parse) on random documents', () => {
  it('all columns: identical items for every chunking', async () => {
    await fc.assert(
      fc.asyncProperty(docArb, chunkingArb, async ({ delimiter, text }, sizes) => {
        const buf = Buffer.from(text, 'utf8');
        const want = await reference(buf, delimiter, sizes);
        expect(await scanned(buf, delimiter, sizes)).toEqual(want);
      }),
      { numRuns: 1000 },
    );
  });

  it('a random wanted subset: same items, same lengths, same wanted values', async () => {
    await fc.assert(
      fc.asyncProperty(docArb, chunkingArb, fc.uniqueArray(fc.nat({ max: 6 }), { maxLength: 4 }), async ({ delimiter, text }, sizes, subset) => {
        const wanted = new Set(subset);
        const buf = Buffer.from(text, 'utf8');
        const want = await reference(buf, delimiter);
        const got = await scanned(buf, delimiter, sizes, wanted);
        expect(got.map((i) => (i.kind === 'record' ? i.values.length : -1))).toEqual(want.map((i) => (i.kind === 'record' ? i.values.length : -1)));
        expect(onlyWanted(got, wanted)).toEqual(onlyWanted(want, wanted));
      }),
      { numRuns: 1000 },
    );
  });
});

/**
 * Scans `buf` (records only, no header) as a parse worker does: windows of
 * `step` bytes, widened while a record does not fit. With a target, records
 * of plain fields come as bytes; `refuse` makes it hand some back.
 */
function scanRecords(buf: Buffer, delimiter: string, crlf: boolean, step: number, target: 'none' | 'all' | 'some'): unknown[] {
  const scanner = new Scanner(delimiter.charCodeAt(0), null, null);
  scanner.header = false;
  scanner.crlf = crlf;
  const out: unknown[] = [];
  const item = (i: SourceItem): void => {
    out.push(i.kind === 'record' ? [i.line, [...i.values]] : i.kind === 'malformed' ? [i.line, 'malformed', i.raw] : ['columns']);
  };
  if (target !== 'none') {
    scanner.target = {
      plain: (b, nf, start, end, line) => {
        if (target === 'some' && line % 3 === 0) return false;
        const values: string[] = [];
        for (let f = 0; f < nf; f++) values.push(b.toString('latin1', start[f], end[f]));
        out.push([line, values]);
        return true;
      },
      item,
    };
  }
  scanInWindows(scanner, buf, step);
  for (const i of scanner.out) item(i);
  return out;
}

describe('Scanner: records handed over as bytes are the records it would have yielded', () => {
  it('same lines and values with a target taking all, some or none of them, CRLF or LF, in any window size', () => {
    let docsWithoutQuotes = 0;
    fc.assert(
      fc.property(docArb, fc.boolean(), fc.integer({ min: 1, max: 64 }), ({ delimiter, text }, crlf, step) => {
        // A BOM is stripped before the scanner; a worker's range never starts with one.
        const buf = Buffer.from(text.replace(/^\uFEFF/, ''), 'utf8');
        if (!text.includes('"')) docsWithoutQuotes++;
        const want = scanRecords(buf, delimiter, crlf, 1 << 20, 'none');
        expect(scanRecords(buf, delimiter, crlf, step, 'all')).toEqual(want);
        expect(scanRecords(buf, delimiter, crlf, step, 'some')).toEqual(want);
        expect(scanRecords(buf, delimiter, crlf, 1 << 20, 'all')).toEqual(want);
      }),
      { numRuns: 1500 },
    );
    // Windows without any quote (where the scanner may take a shorter path) were part of it.
    expect(docsWithoutQuotes).toBeGreaterThan(100);
  });
});
