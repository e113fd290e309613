import { describe, expect, it } from 'vitest';
import { ByteInterner } from '../../src/ingest/byte-interner.js';
import { StringTable } from '../../src/ingest/parse-records.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('ByteInterner', () => {
  it('gives the id the string table gives the same text, wherever the bytes sit', () => {
    const table = new StringTable();
    expect(table.id('HCP-1')).toBe(0);
    const interner = new ByteInterner(table);
    const b = bytes('x,HCP-1,HCP-2,HCP-1,');
    expect(interner.id(b, 2, 7)).toBe(0); // already in the table: no new id
    expect(interner.id(b, 8, 13)).toBe(1);
    expect(interner.id(b, 14, 19)).toBe(0);
    expect(interner.id(bytes('HCP-2'), 0, 5)).toBe(1);
    expect(table.takeFresh()).toEqual(['HCP-1', 'HCP-2']);
  });

  it('keeps prefixes, the empty value and one-byte differences apart', () => {
    const table = new StringTable();
    const interner = new ByteInterner(table);
    const b = bytes('ab abc a  ba');
    const ab = interner.id(b, 0, 2);
    const abc = interner.id(b, 3, 6);
    const a = interner.id(b, 7, 8);
    const empty = interner.id(b, 8, 8);
    const ba = interner.id(b, 10, 12);
    expect(new Set([ab, abc, a, empty, ba]).size).toBe(5);
    expect(table.takeFresh()).toEqual(['ab', 'abc', 'a', '', 'ba']);
  });

  it('stays exact past many growths of its table and arena', () => {
    const table = new StringTable();
    const interner = new ByteInterner(table);
    const n = 50_000;
    const text = Array.from({ length: n }, (_, i) => `PAT-${String(i).padStart(6, '0')}-${'x'.repeat(i % 40)}`);
    const ids = text.map((t) => interner.id(bytes(t), 0, t.length));
    expect(new Set(ids).size).toBe(n);
    // The same bytes again, in reverse order, give the same ids; the table agrees.
    for (let i = n - 1; i >= 0; i -= 7) {
      expect(interner.id(bytes(`..${text[i]}`), 2, text[i].length + 2)).toBe(ids[i]);
      expect(table.id(text[i])).toBe(ids[i]);
    }
  });
});
