import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketed, DuplicateSet, FingerprintLog } from '../../src/ingest/duplicate-set.js';

describe('DuplicateSet', () => {
  it('finds a row seen before, field by field', () => {
    const set = new DuplicateSet();
    expect(set.addRow(['2024-01-01', 'A', '1'])).toBe(false);
    expect(set.addRow(['2024-01-01', 'A', '1'])).toBe(true);
    expect(set.addRow(['2024-01-01', 'A', '2'])).toBe(false);
  });

  it('keeps field boundaries, types and widths apart', () => {
    const set = new DuplicateSet();
    expect(set.addRow(['ab', 'c'])).toBe(false);
    expect(set.addRow(['a', 'bc'])).toBe(false);
    expect(set.addRow(['abc'])).toBe(false);
    expect(set.addRow(['abc', ''])).toBe(false);
    expect(set.addRow([1, 'x'])).toBe(false);
    expect(set.addRow(['1', 'x'])).toBe(false);
    expect(set.addRow([null, 'x'])).toBe(false);
    expect(set.addRow(['', 'x'])).toBe(false);
    expect(set.size).toBe(8);
  });

  it('ignores keys a JSON object lacked only because they appeared later', () => {
    const set = new DuplicateSet();
    expect(set.addRow(['t', 'A'])).toBe(false);
    expect(set.addRow(['t', 'A', undefined])).toBe(true);
  });

  it('stays exact while growing far past its first capacity', () => {
    const set = new DuplicateSet(16);
    const n = 200_000;
    let falseHits = 0;
    for (let i = 0; i < n; i++) if (set.addRow([`2024-01-01T00:00:${i}`, `HCP-${i % 997}`, String(i % 7)])) falseHits++;
    expect(falseHits).toBe(0);
    expect(set.size).toBe(n);
    let found = 0;
    for (let i = 0; i < n; i += 13) if (set.addRow([`2024-01-01T00:00:${i}`, `HCP-${i % 997}`, String(i % 7)])) found++;
    expect(found).toBe(Math.ceil(n / 13));
  });
});

describe('FingerprintLog', () => {
  it('counts exactly the rows a DuplicateSet flags, in any order', () => {
    const row = fc.tuple(fc.constantFrom('2024-01-01', '2024-01-02', '1'), fc.constantFrom('A', 'B', 'ab', ''), fc.constantFrom<unknown>('x', 1, null, undefined));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const set = new DuplicateSet(16);
        const log = new FingerprintLog();
        let flagged = 0;
        for (const r of rows) {
          if (set.addRow(r)) flagged++;
          log.addRow(r);
        }
        expect(log.countRepeats()).toBe(flagged);
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('counts across its growing chunks', () => {
    const log = new FingerprintLog();
    // 30,000 distinct rows cross the 4,096 → 8,192 → 16,384 chunk sizes; every 3rd is then repeated.
    for (let i = 0; i < 30_000; i++) log.addRow([`t${i}`, 'A']);
    for (let i = 0; i < 30_000; i += 3) log.addRow([`t${i}`, 'A']);
    expect(log.countRepeats()).toBe(10_000);
    expect(new FingerprintLog().countRepeats()).toBe(0);
  });

  it('counts a fingerprint once per bucket: the top byte of hi picks the bucket', () => {
    const log = new FingerprintLog();
    // The same low 24 bits of hi and the same lo in all 256 buckets: 256 distinct fingerprints.
    for (let b = 0; b < 256; b++) log.addFingerprint(((b << 24) | 0x000301) >>> 0, 7);
    expect(log.countRepeats()).toBe(0);
    // Each again, buckets visited backwards: 256 repeats.
    for (let b = 255; b >= 0; b--) log.addFingerprint(((b << 24) | 0x000301) >>> 0, 7);
    expect(log.countRepeats()).toBe(256);
  });

  it('tells apart fingerprints that land on the same slot', () => {
    const log = new FingerprintLog();
    // lo differing only in bit 31, hi only in bit 23 (same bucket): each pair hashes to the same slot.
    log.addBucketed(bucketed(Uint32Array.of(0x01000001, 5, 0x01000001, 0x80000005, 0x01800001, 5, 0x01800001, 0x80000005), 4));
    expect(log.countRepeats()).toBe(0);
    log.addBucketed(bucketed(Uint32Array.of(0x01800001, 0x80000005, 0x01000001, 5, 0x01000001, 5), 3));
    expect(log.countRepeats()).toBe(3);
  });

  it('counts repeats across a large bucket\'s chunks, added in batches and one by one', () => {
    const log = new FingerprintLog();
    // 150,000 distinct fingerprints in bucket 0x05, in batches, then more one by one into its chunks.
    const pairs = new Uint32Array(2 * 150_000);
    for (let i = 0; i < 150_000; i++) {
      pairs[2 * i] = 0x05000001;
      pairs[2 * i + 1] = i;
    }
    for (let at = 0; at < pairs.length; at += 2 * 4_999) {
      const part = pairs.subarray(at, at + 2 * 4_999);
      log.addBucketed(bucketed(part, part.length / 2));
    }
    // The first 50,000 again, then the last one 10 times more: 50,010 repeats.
    for (let i = 0; i < 50_000; i++) log.addFingerprint(0x05000001, i);
    for (let k = 0; k < 10; k++) log.addFingerprint(0x05000001, 149_999);
    // Distinct neighbours in other buckets add none.
    log.addFingerprint(0x06000001, 0);
    log.addFingerprint(0x04000001, 0);
    expect(log.countRepeats()).toBe(50_010);
    // Counting does not consume the log.
    expect(log.countRepeats()).toBe(50_010);
  });
});

describe('bucketed', () => {
  it('lays fingerprints out bucket by bucket, keeping every pair whole', () => {
    // Buckets 0x02, 0x01, 0x02, 0xff, 0x01 (top bytes of hi); the first 5 of 6 pairs.
    const pairs = Uint32Array.of(0x02000001, 1, 0x01000001, 2, 0x020000ff, 3, 0xff000001, 4, 0x01000003, 5, 0x03000001, 6);
    const { pairs: out, ends } = bucketed(pairs, 5);
    expect([...out]).toEqual([0x01000001, 2, 0x01000003, 5, 0x02000001, 1, 0x020000ff, 3, 0xff000001, 4]);
    expect(ends[0]).toBe(0);
    expect(ends[1]).toBe(2);
    expect(ends[2]).toBe(4);
    expect(ends[3]).toBe(4);
    expect(ends[254]).toBe(4);
    expect(ends[255]).toBe(5);
  });

  it('counts the same repeats through addBucketed as one by one, in random batches', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 5 })), { maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (rows, size) => {
        const pairs = new Uint32Array(2 * rows.length);
        rows.forEach(([b, lo], k) => {
          pairs[2 * k] = ((b * 37) << 24) | 1;
          pairs[2 * k + 1] = lo;
        });
        const one = new FingerprintLog();
        for (let k = 0; k < rows.length; k++) one.addFingerprint(pairs[2 * k] >>> 0, pairs[2 * k + 1]);
        const batched = new FingerprintLog();
        for (let at = 0; at < rows.length; at += size) {
          const part = pairs.slice(2 * at, 2 * Math.min(rows.length, at + size));
          batched.addBucketed(bucketed(part, part.length / 2));
        }
        // Repeats by hand: rows less distinct (bucket, lo) pairs.
        expect(batched.countRepeats()).toBe(rows.length - new Set(rows.map(([b, lo]) => `${b}:${lo}`)).size);
        expect(batched.countRepeats()).toBe(one.countRepeats());
      }),
      { numRuns: 300, seed: 21 },
    );
  });
});
