import { describe, expect, it } from 'vitest';
import { sameAsCount, sumColumns, volumeIsCount } from '../../src/ledger/rollup-columns.js';

describe('rollup sum columns', () => {
  it('places the six sums in six columns, or volume and volume_sq in the interactions\' column of four', () => {
    expect(sumColumns(false)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sumColumns(true)).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('finds volume and volume_sq equal to the interactions only when every one of the first `rows` rows has them so', () => {
    const c = Float64Array.of(1, 2, 3);
    expect(volumeIsCount(c, Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3), 3)).toBe(true);
    expect(volumeIsCount(c, Float64Array.of(1, 2, 3.5), Float64Array.of(1, 2, 3), 3)).toBe(false);
    expect(volumeIsCount(c, Float64Array.of(1, 2, 3), Float64Array.of(1, 4, 3), 3)).toBe(false);
    // Rows past `rows` (a reused array's tail) do not count.
    expect(volumeIsCount(c, Float64Array.of(1, 2, 9), Float64Array.of(1, 2, 9), 2)).toBe(true);
    expect(volumeIsCount(c, c, c, 0)).toBe(true);
    // NaN equals nothing; a zero must match in sign too, or the interactions' column would change it.
    expect(volumeIsCount(Float64Array.of(NaN), Float64Array.of(NaN), Float64Array.of(NaN), 1)).toBe(false);
    expect(volumeIsCount(Float64Array.of(0), Float64Array.of(-0), Float64Array.of(0), 1)).toBe(false);
    expect(volumeIsCount(Float64Array.of(0), Float64Array.of(0), Float64Array.of(-0), 1)).toBe(false);
    expect(volumeIsCount(Float64Array.of(-0), Float64Array.of(-0), Float64Array.of(-0), 1)).toBe(true);
  });

  it('holds a single cell to the same rule (the cell stores use it)', () => {
    expect(sameAsCount(2, 2, 2)).toBe(true);
    expect(sameAsCount(0, 0, 0)).toBe(true);
    expect(sameAsCount(0, -0, 0)).toBe(false);
    expect(sameAsCount(0, 0, -0)).toBe(false);
    expect(sameAsCount(2, 2, 4)).toBe(false);
    expect(sameAsCount(NaN, NaN, NaN)).toBe(false);
  });
});
