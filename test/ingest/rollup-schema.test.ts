import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRollupHeader, isRollupProblem, mapRollupColumns, validateRollupRow } from '../../src/ingest/rollup-schema.js';
import { UsageError } from '../../src/errors.js';

const HEADER = ['stakeholder', 'day', 'channel', 'interactions', 'volume', 'volume_sq', 'gap_count', 'gap_sum', 'gap_sum_sq'];
const m = mapRollupColumns(HEADER, 'r.csv');
const row = (over: Record<string, unknown> = {}) => {
  const base: Record<string, unknown> = { stakeholder: ' A ', day: '2024-01-10', channel: 'call', interactions: '2', volume: '2.5', volume_sq: '3.25', gap_count: '1', gap_sum: '3600', gap_sum_sq: '12960000', ...over };
  return HEADER.map((h) => base[h]);
};

describe('rollup schema', () => {
  it('recognises a rollup header in any order and case, the rest being dimensions', () => {
    expect(isRollupHeader(HEADER)).toBe(true);
    expect(isRollupHeader(['GAP_SUM_SQ', ...HEADER.slice(0, -1).reverse().map((h) => h.toUpperCase())])).toBe(true);
    expect(isRollupHeader(HEADER.filter((h) => h !== 'gap_sum'))).toBe(false);
    expect(isRollupHeader(['timestamp', 'stakeholder_id'])).toBe(false);
    expect(m.dimensions).toEqual([{ index: 2, name: 'channel' }]);
    expect(m.at.gap_sum_sq).toBe(8);
  });

  it('keeps a repeated dimension as a column of its own, named as the interaction header names it', () => {
    expect(mapRollupColumns([...HEADER, 'channel'], 'r.csv').dimensions).toEqual([
      { index: 2, name: 'channel' },
      { index: 9, name: 'channel_1' },
    ]);
  });

  it('names every missing column, and a doubled one', () => {
    expect(() => mapRollupColumns(['stakeholder', 'day', 'x'], 'r.csv')).toThrow(/lacks "interactions", "volume", "volume_sq", "gap_count", "gap_sum", "gap_sum_sq"/);
    expect(() => mapRollupColumns([...HEADER, 'Volume'], 'r.csv')).toThrow(UsageError);
  });

  it('reads a valid row, trimming the id and accepting JSON numbers', () => {
    const r = validateRollupRow(row(), m);
    expect(r).toEqual({
      stakeholder: 'A',
      day: 19732,
      sums: { interactions: 2, volume: 2.5, volumeSq: 3.25, gapCount: 1, gapSum: 3600, gapSumSq: 12_960_000 },
    });
    expect(validateRollupRow(row({ interactions: 2, volume: 2.5, gap_sum: 3.6e3 }), m)).toEqual(r);
  });

  it('reads sums as engines print them: zero fractions, padding, leading zeros, exponents', () => {
    const sums = (over: Record<string, unknown>) => {
      const r = validateRollupRow(row(over), m);
      if (isRollupProblem(r)) throw new Error(r.message);
      return r.sums;
    };
    expect(sums({ interactions: '2.0', volume: '16386295904001.0', volume_sq: ' 1.5e26 ', gap_count: '001', gap_sum: '1.', gap_sum_sq: '1.50e2' })).toEqual({
      interactions: 2,
      volume: 16_386_295_904_001,
      volumeSq: 1.5e26,
      gapCount: 1,
      gapSum: 1,
      gapSumSq: 150,
    });
    expect(sums({ volume: '1234567890123456789.0', volume_sq: '1e40' }).volume).toBe(1234567890123456789);
  });

  it('reads any text exactly as trim, the number pattern and Number() would (its digit fast path included)', () => {
    const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    const reference = (text: string): number | null => {
      const t = text.trim();
      const n = Number(t);
      return t !== '' && NUMBER.test(t) && Number.isFinite(n) ? n : null;
    };
    const chars = fc.constantFrom('0', '1', '5', '9', '.', '+', '-', 'e', ' ', '\u00a0', '\u0661', 'x');
    fc.assert(
      fc.property(fc.oneof(fc.array(chars, { maxLength: 8 }).map((a) => a.join('')), fc.bigInt({ min: 0n, max: 10n ** 18n }).map((b) => `${b}.0`)), (text) => {
        // With one gap of 0 s, any gap_sum_sq from 0 up is consistent: only the reading is tested.
        const r = validateRollupRow(row({ gap_sum: '0', gap_sum_sq: text }), m);
        const expected = reference(text);
        if (expected === null || expected < 0) {
          expect(isRollupProblem(r)).toBe(true);
        } else {
          expect(isRollupProblem(r)).toBe(false);
          if (!isRollupProblem(r)) expect(Object.is(r.sums.gapSumSq, expected)).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it.each([
    [{ stakeholder: '' }, 'stakeholder', 'empty stakeholder id'],
    [{ stakeholder: { id: 1 } }, 'stakeholder', 'not text or a number'],
    [{ stakeholder: 12345678901234567890 }, 'stakeholder', 'stakeholder id is a number too large to read exactly (read as 12345678901234567000;'],
    [{ day: '2024-1-10' }, 'day', 'is not a YYYY-MM-DD day'],
    [{ day: '2023-02-29' }, 'day', 'is not a YYYY-MM-DD day'],
    [{ day: '2400-01-01' }, 'day', 'year outside 1900–2200'],
    [{ day: '0001-01-01' }, 'day', 'year outside 1900–2200'],
    [{ day: '1899-12-31' }, 'day', 'year outside 1900–2200'],
    [{ interactions: '1.5' }, 'interactions', 'not a whole number of at least 1'],
    [{ interactions: '0' }, 'interactions', 'not a whole number of at least 1'],
    [{ interactions: '' }, 'interactions', 'is not a number'],
    [{ volume: '0' }, 'volume', 'volume 0 is not positive'],
    [{ volume: 'NaN' }, 'volume', 'is not a number'],
    [{ volume_sq: '-1' }, 'volume_sq', 'not positive'],
    [{ gap_count: '3' }, 'gap_count', 'from 0 to interactions (2)'],
    [{ gap_count: '-1' }, 'gap_count', 'from 0 to interactions'],
    [{ gap_sum: '-5' }, 'gap_sum', 'negative'],
    [{ gap_sum_sq: '1e999' }, 'gap_sum_sq', 'is not a number'],
    [{ gap_sum: '0x10' }, 'gap_sum', 'is not a number'],
    [{ gap_sum: '1.2.0' }, 'gap_sum', 'is not a number'],
    [{ gap_sum: 'Infinity' }, 'gap_sum', 'is not a number'],
    [{ gap_count: '0' }, 'gap_count', 'gap_count is 0 but gap_sum or gap_sum_sq is not'],
  ])('rejects %o in field %s', (over, field, message) => {
    const r = validateRollupRow(row(over), m);
    expect(isRollupProblem(r)).toBe(true);
    if (!isRollupProblem(r)) return;
    expect(r.field).toBe(field);
    expect(r.message).toContain(message);
  });
});
