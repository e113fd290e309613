import { describe, expect, it } from 'vitest';
import { assertTextual, formatFromName, sniffFormat } from '../../src/ingest/input-format.js';
import { InputError } from '../../src/errors.js';

describe('formatFromName', () => {
  it.each([
    ['log.csv', 'csv'],
    ['LOG.CSV', 'csv'],
    ['log.csv.gz', 'csv'],
    ['dir.v2/log.CSV.GZ', 'csv'],
    ['log.tsv', 'tsv'],
    ['log.tab', 'tsv'],
    ['log.tsv.gz', 'tsv'],
    ['log.json', 'json'],
    ['log.json.gz', 'json'],
    ['log.ndjson', 'ndjson'],
    ['log.jsonl', 'ndjson'],
    ['log.jsonl.gz', 'ndjson'],
    ['log.txt', null],
    ['log.gz', null],
    ['log', null],
    ['-', null],
    ['csv', null],
  ])('%s → %s', (name, format) => {
    expect(formatFromName(name)).toBe(format);
  });
});

describe('sniffFormat', () => {
  it.each([
    ['[{"a":1}]', 'json'],
    ['  \n [\n{"a":1}', 'json'],
    ['\uFEFF[{"a":1}]', 'json'],
    ['{"a":1}\n{"a":2}', 'ndjson'],
    ['\uFEFF{"a":1}', 'ndjson'],
    ['timestamp,stakeholder_id\n', 'csv'],
    ['timestamp;stakeholder_id\n', 'csv'],
    ['timestamp\tstakeholder_id\n2024\tA', 'tsv'],
    ['timestamp\tstakeholder_id,x\n', 'csv'],
    ['timestamp,id\na\tb\tc', 'csv'],
    ['', 'csv'],
  ])('%j → %s', (head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });
});

describe('assertTextual', () => {
  const expectInputError = (buf: Buffer, pattern: RegExp) => {
    try {
      assertTextual(buf, 'data.csv');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toContain('data.csv');
      expect((err as Error).message).toMatch(pattern);
    }
  };

  it('accepts UTF-8 text, with or without a BOM, with tabs and CRLF', () => {
    expect(() => assertTextual(Buffer.from('timestamp,id\r\n2024-01-01,é\t日本\n'), 'f.csv')).not.toThrow();
    expect(() => assertTextual(Buffer.from('\uFEFFtimestamp,id\n'), 'f.csv')).not.toThrow();
    expect(() => assertTextual(Buffer.alloc(0), 'f.csv')).not.toThrow();
  });

  it('refuses NUL bytes (binary, or UTF-16 without a BOM)', () => {
    expectInputError(Buffer.from('timestamp,id\n\u0000\u0000'), /NUL/);
    expectInputError(Buffer.from('timestamp,id\n', 'utf16le'), /NUL/);
    // An XLSX is a zip archive: PK\x03\x04 …\x00
    expectInputError(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), /NUL/);
  });

  it('refuses content that is mostly control bytes', () => {
    const buf = Buffer.alloc(100, 0x01);
    buf.write('timestamp,id\n', 0);
    expectInputError(buf, /binary/);
  });
});
