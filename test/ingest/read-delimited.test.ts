import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readDelimited, sniffDelimiter } from '../../src/ingest/read-delimited.js';
import type { SourceItem } from '../../src/ingest/source-item.js';

function streamOf(text: string | Buffer, chunk: 'whole' | 'char' | 'byte' = 'whole'): Readable {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let chunks: Buffer[];
  if (chunk === 'whole') chunks = [buf];
  else if (chunk === 'byte') chunks = [...buf].map((b) => Buffer.from([b]));
  else chunks = [...(typeof text === 'string' ? text : buf.toString('utf8'))].map((c) => Buffer.from(c, 'utf8'));
  return Readable.from(chunks, { objectMode: false });
}

async function read(text: string | Buffer, delimiter = ',', chunk: 'whole' | 'char' | 'byte' = 'whole'): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readDelimited(streamOf(text, chunk), delimiter)) out.push(item);
  return out;
}

/** Records as [line, values] pairs, malformed items as [line, 'malformed']. */
function summary(items: SourceItem[]): unknown[] {
  return items.map((i) =>
    i.kind === 'columns' ? ['columns', [...i.columns]] : i.kind === 'record' ? [i.line, [...i.values]] : [i.line, 'malformed'],
  );
}

describe('readDelimited', () => {
  it('reads a plain CSV: header first, then records with their line numbers', async () => {
    const items = await read('timestamp,stakeholder_id\n2024-01-01,A\n2024-01-02,B\n');
    expect(summary(items)).toEqual([
      ['columns', ['timestamp', 'stakeholder_id']],
      [2, ['2024-01-01', 'A']],
      [3, ['2024-01-02', 'B']],
    ]);
  });

  it('strips a UTF-8 BOM from the first header name', async () => {
    const items = await read('\uFEFFtimestamp,stakeholder_id\r\n2024-01-01,A\r\n');
    expect(items[0]).toEqual({ kind: 'columns', columns: ['timestamp', 'stakeholder_id'] });
    expect(summary(items)[1]).toEqual([2, ['2024-01-01', 'A']]);
  });

  it('handles CRLF, a last line without a line break, and keeps the raw text without the break', async () => {
    const items = await read('a,b\r\n1,2\r\n3,4');
    expect(summary(items)).toEqual([['columns', ['a', 'b']], [2, ['1', '2']], [3, ['3', '4']]]);
    expect(items[1]).toMatchObject({ raw: '1,2' });
    expect(items[2]).toMatchObject({ raw: '3,4' });
  });

  const tricky = [
    'timestamp,stakeholder_id,note', //            1
    '2024-01-01,A,"x, y"', //                      2
    '', //                                          3 (empty)
    '2024-01-02,B,"multi', //                      4 (record starts here)
    'line ""quoted"" note"', //                    5
    '2024-01-03,C,plain', //                       6
    '', //                                          7
    '', //                                          8
    '2024-01-04,D', //                             9 (ragged: 2 fields)
    '2024-01-05,E,x,extra', //                    10 (ragged: 4 fields)
    '"2024-01-06","F","g"', //                    11
  ];
  const expected = [
    ['columns', ['timestamp', 'stakeholder_id', 'note']],
    [2, ['2024-01-01', 'A', 'x, y']],
    [4, ['2024-01-02', 'B', 'multi\nline "quoted" note']],
    [6, ['2024-01-03', 'C', 'plain']],
    [9, ['2024-01-04', 'D']],
    [10, ['2024-01-05', 'E', 'x', 'extra']],
    [11, ['2024-01-06', 'F', 'g']],
  ];

  it('quoted commas, quoted line breaks and escaped quotes; START line numbers; empty lines counted; ragged rows passed', async () => {
    expect(summary(await read(tricky.join('\n') + '\n'))).toEqual(expected);
  });

  // BUG: a CRLF inside a quoted field is counted as two lines (csv-parse's info.lines counts the \r and the \n),
  // so every record after it is reported one line too late per quoted CRLF.
  it('a quoted CRLF counts as one line break (minimal case)', async () => {
    const items = await read('h1,h2\r\n"x\r\ny",1\r\na,b\r\n');
    // lines: 1 header, 2–3 the quoted record, 4 a,b
    expect(summary(items)).toEqual([['columns', ['h1', 'h2']], [2, ['x\r\ny', '1']], [4, ['a', 'b']]]);
  });

  // BUG (same as above): line numbers after the quoted CRLF are one too high.
  it('the same with CRLF line breaks (a quoted CRLF stays in the value)', async () => {
    const items = await read(tricky.join('\r\n') + '\r\n');
    const crlfExpected = expected.map((e) => (e[0] === 4 ? [4, ['2024-01-02', 'B', 'multi\r\nline "quoted" note']] : e));
    expect(summary(items)).toEqual(crlfExpected);
  });

  it('the same when the stream arrives one character per chunk', async () => {
    expect(summary(await read(tricky.join('\n') + '\n', ',', 'char'))).toEqual(expected);
  });

  it('multi-byte UTF-8 split across chunks', async () => {
    const items = await read('a,b\n日本,é\n', ',', 'byte');
    expect(summary(items)).toEqual([['columns', ['a', 'b']], [2, ['日本', 'é']]]);
  });

  it('empty lines before the header and at the end are skipped but counted', async () => {
    const items = await read('\n\nh1,h2\n\n\na,b\n\nc,d\n\n\n');
    expect(summary(items)).toEqual([['columns', ['h1', 'h2']], [6, ['a', 'b']], [8, ['c', 'd']]]);
  });

  it('a quoted field with line breaks followed by an empty line', async () => {
    const items = await read('h1,h2\n"x\n\ny",1\n\na,b\n');
    // record 1 starts on line 2 and spans lines 2–4; line 5 is empty; a,b is on line 6
    expect(summary(items)).toEqual([['columns', ['h1', 'h2']], [2, ['x\n\ny', '1']], [6, ['a', 'b']]]);
  });

  it('an unclosed quote becomes one malformed item with its start line; earlier records survive', async () => {
    const text = ['timestamp,stakeholder_id', '2024-01-01,A', '2024-01-02,"B', '2024-01-03,C', '2024-01-04,D'].join('\n') + '\n';
    const items = await read(text);
    expect(summary(items)).toEqual([['columns', ['timestamp', 'stakeholder_id']], [2, ['2024-01-01', 'A']], [3, 'malformed']]);
    const bad = items[2];
    expect(bad.kind).toBe('malformed');
    if (bad.kind === 'malformed') {
      expect(bad.reason).toMatch(/3/);
      expect(bad.raw).toContain('"B');
    }
  });

  it('an unclosed quote after empty lines reports the line it opened on', async () => {
    const text = 'a,b\n\n1,2\n\n\n3,"4\n5,6\n';
    const items = await read(text);
    expect(summary(items)).toEqual([['columns', ['a', 'b']], [3, ['1', '2']], [6, 'malformed']]);
  });

  it('text after a closing quote (kept as text or malformed) does not shift the lines of later records', async () => {
    const items = await read('a,b\n1,2\n"x"y,3\n4,5\n\n6,7\n');
    const s = summary(items);
    expect(s.length).toBe(5);
    expect(s[0]).toEqual(['columns', ['a', 'b']]);
    expect(s[1]).toEqual([2, ['1', '2']]);
    expect((s[2] as unknown[])[0]).toBe(3);
    expect(s[3]).toEqual([4, ['4', '5']]);
    expect(s[4]).toEqual([6, ['6', '7']]);
  });

  it('quotes inside an unquoted field are kept as text', async () => {
    const items = await read('a,b\n5" screen,x\n');
    expect(summary(items)).toEqual([['columns', ['a', 'b']], [2, ['5" screen', 'x']]]);
  });

  it('reads other delimiters', async () => {
    expect(summary(await read('a\tb\n1,5\t2\n', '\t'))).toEqual([['columns', ['a', 'b']], [2, ['1,5', '2']]]);
    expect(summary(await read('a;b\n"x;y";2\n', ';'))).toEqual([['columns', ['a', 'b']], [2, ['x;y', '2']]]);
  });

  it('a header-only file yields only the columns', async () => {
    expect(summary(await read('a,b\n'))).toEqual([['columns', ['a', 'b']]]);
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3', ','],
    ['a;b;c\n1;2;3', ';'],
    ['a\tb\tc\n', '\t'],
    ['a|b|c', '|'],
    ['"x;y;z",b\n', ','], // delimiters inside quotes do not count
    ['a;b,c;d\n', ';'],
    ['a;b,c\n', ','], // comma on ties
    ['single\n', ','],
    ['', ','],
    ['\uFEFFa;b;c\r\n1,2,3,4,5,6', ';'], // only the header line counts; BOM ignored
    ['a;b\nc,d,e,f', ';'],
  ])('%j → %j', (head, d) => {
    expect(sniffDelimiter(head)).toBe(d);
  });
});
