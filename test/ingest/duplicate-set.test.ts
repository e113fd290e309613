import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DuplicateSet, FingerprintLog } from '../../src/ingest/duplicate-set.js';

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
    log.addFingerprints(Uint32Array.of(0x01000001, 5, 0x01000001, 0x80000005, 0x01800001, 5, 0x01800001, 0x80000005));
    expect(log.countRepeats()).toBe(0);
    log.addFingerprints(Uint32Array.of(0x01800001, 0x80000005, 0x01000001, 5, 0x01000001, 5));
    expect(log.countRepeats()).toBe(3);
  });

  it('counts repeats across a large bucket\'s chunks, added in batches and one by one', () => {
    const log = new FingerprintLog();
    // 150,000 distinct fingerprints in bucket 0x05 fill its chunks of 64, 128, … 65,536 and more.
    const pairs = new Uint32Array(2 * 150_000);
    for (let i = 0; i < 150_000; i++) {
      pairs[2 * i] = 0x05000001;
      pairs[2 * i + 1] = i;
    }
    for (let at = 0; at < pairs.length; at += 2 * 4_999) log.addFingerprints(pairs.subarray(at, at + 2 * 4_999));
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
