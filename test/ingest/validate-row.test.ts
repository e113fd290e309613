import { describe, expect, it } from 'vitest';
import { mapColumns } from '../../src/ingest/column-mapping.js';
import { asText, dimensionText, isProblem, MAX_NESTING, validateRow, type RowProblem, type ValidRow } from '../../src/ingest/validate-row.js';
import { createTimestampParser } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';

const DAY = 86_400_000;
const parse = createTimestampParser(new Zone('UTC'));
const plain = mapColumns(['timestamp', 'stakeholder_id', 'team'], {}, 'f.csv');
const weighted = mapColumns(['timestamp', 'stakeholder_id', 'amount'], { weightCol: 'amount' }, 'f.csv');

const ok = (r: ValidRow | RowProblem): ValidRow => {
  expect(isProblem(r)).toBe(false);
  return r as ValidRow;
};
const bad = (r: ValidRow | RowProblem): RowProblem => {
  expect(isProblem(r)).toBe(true);
  return r as RowProblem;
};

describe('validateRow', () => {
  it('a valid row: stakeholder text, day and instant, weight 1 without a weight column', () => {
    const r = ok(validateRow(['2024-01-02T10:00:00Z', 'A', 'x'], plain, parse, 3));
    expect(r).toEqual({ stakeholder: 'A', weight: 1, day: Date.UTC(2024, 0, 2) / DAY, instant: Date.UTC(2024, 0, 2, 10) });
  });

  it('ids stay text: "00123" keeps its leading zeros; a JSON number is its JavaScript text', () => {
    expect(ok(validateRow(['2024-01-02', '00123', 'x'], plain, parse, 3)).stakeholder).toBe('00123');
    expect(ok(validateRow(['2024-01-02', '1.50', 'x'], plain, parse, 3)).stakeholder).toBe('1.50');
    expect(ok(validateRow(['2024-01-02', 123, 'x'], plain, parse, null)).stakeholder).toBe('123');
  });

  it('an empty or non-text stakeholder is rejected with reason "stakeholder"', () => {
    for (const v of ['', '   ', null, undefined]) {
      const p = bad(validateRow(['2024-01-02', v, 'x'], plain, parse, null));
      expect(p.reason).toBe('stakeholder');
      expect(p.field).toBe('stakeholder_id');
    }
    expect(bad(validateRow(['2024-01-02', { id: 1 }, 'x'], plain, parse, null)).reason).toBe('stakeholder');
  });

  it('a JSON number id past 2^53 − 1 is rejected: its last digits are gone, and two ids would merge', () => {
    // JSON.parse reads 12345678901234567890 and 12345678901234567891 as one double.
    for (const v of [JSON.parse('12345678901234567890'), JSON.parse('12345678901234567891'), 2 ** 53, -(2 ** 53), 1e21]) {
      const p = bad(validateRow(['2024-01-02', v, 'x'], plain, parse, null));
      expect(p.reason).toBe('stakeholder');
      expect(p.field).toBe('stakeholder_id');
      expect(p.message).toBe(`stakeholder id is a number too large to read exactly (read as ${String(v)}; past 2^53 − 1 digits are lost and different ids would merge): store ids as text (JSON strings, VARCHAR)`);
    }
    // The largest exact integers, and fractions, are ids as JavaScript writes them.
    expect(ok(validateRow(['2024-01-02', 2 ** 53 - 1, 'x'], plain, parse, null)).stakeholder).toBe('9007199254740991');
    expect(ok(validateRow(['2024-01-02', -(2 ** 53 - 1), 'x'], plain, parse, null)).stakeholder).toBe('-9007199254740991');
    expect(ok(validateRow(['2024-01-02', JSON.parse('1.50'), 'x'], plain, parse, null)).stakeholder).toBe('1.5');
    // As text the same digits are an id like any other.
    expect(ok(validateRow(['2024-01-02', '12345678901234567890', 'x'], plain, parse, 3)).stakeholder).toBe('12345678901234567890');
  });

  it('an unusable timestamp is rejected with reason "timestamp", naming the field and the value', () => {
    const p = bad(validateRow(['2024-02-30', 'A', 'x'], plain, parse, 3));
    expect(p.reason).toBe('timestamp');
    expect(p.field).toBe('timestamp');
    expect(p.message).toContain('2024-02-30');
    expect(bad(validateRow(['', 'A', 'x'], plain, parse, 3)).reason).toBe('timestamp');
  });

  it('wrong column count is rejected with reason "column-count" (delimited input only)', () => {
    expect(bad(validateRow(['2024-01-02', 'A'], plain, parse, 3)).reason).toBe('column-count');
    expect(bad(validateRow(['2024-01-02', 'A', 'x', 'y'], plain, parse, 3)).reason).toBe('column-count');
    // JSON objects may omit keys: no width check
    expect(ok(validateRow(['2024-01-02', 'A'], plain, parse, null)).stakeholder).toBe('A');
  });

  it.each([
    ['2.5', 2.5],
    ['1', 1],
    [' 3 ', 3],
    ['0.001', 0.001],
    ['1e2', 100],
    ['+4', 4],
    [7, 7],
    [0.5, 0.5],
  ])('weight %j → %d', (cell, w) => {
    expect(ok(validateRow(['2024-01-02', 'A', cell], weighted, parse, null)).weight).toBe(w);
  });

  it.each(['', '   ', '0', '0.0', '-1', '-0.5', 'abc', '1,5', 'NaN', 'Infinity', '0x10', '2 kg', 0, -3, Number.NaN, Number.POSITIVE_INFINITY, null, undefined])(
    'weight %j is rejected with reason "weight"',
    (cell) => {
      const p = bad(validateRow(['2024-01-02', 'A', cell], weighted, parse, null));
      expect(p.reason).toBe('weight');
      expect(p.field).toBe('amount');
    },
  );

  it.each([
    [true, 'weight true is not a number'],
    [[1], 'weight [1] is not a number'],
    [{ v: 1 }, 'weight {"v":1} is not a number'],
    ['1e400', 'weight 1e400 is outside the supported range 1e-150 to 1e150 (rescale the column)'],
    [JSON.parse('1e400'), 'weight Infinity is outside the supported range 1e-150 to 1e150 (rescale the column)'],
    ['-1e400', 'weight -1e400 is not positive'],
    ['1e200', 'weight 1e200 is outside the supported range 1e-150 to 1e150 (rescale the column)'],
    ['', 'empty weight (a mapped weight column needs a positive number in every row)'],
    [null, 'empty weight (a mapped weight column needs a positive number in every row)'],
    ['abc', 'weight "abc" is not a number'],
    ['-2', 'weight -2 is not positive'],
  ])('weight %j is rejected as: %s', (cell, message) => {
    expect(bad(validateRow(['2024-01-02', 'A', cell], weighted, parse, null)).message).toBe(message);
  });

  it('a weight-like column is ignored when no weight is mapped', () => {
    const m = mapColumns(['timestamp', 'stakeholder_id', 'weight'], {}, 'f.csv');
    expect(ok(validateRow(['2024-01-02', 'A', 'garbage'], m, parse, 3)).weight).toBe(1);
  });
});

describe('asText', () => {
  it('turns scalars into text and refuses objects', () => {
    expect(asText('00123')).toBe('00123');
    expect(asText(42)).toBe('42');
    expect(asText(true)).toBe('true');
    expect(asText(null)).toBe('');
    expect(asText(undefined)).toBe('');
    expect(asText({})).toBeNull();
    expect(asText([1])).toBeNull();
  });
});

describe('dimensionText', () => {
  const nest = (levels: number): unknown => JSON.parse('['.repeat(levels) + '1' + ']'.repeat(levels));
  it('writes objects and arrays as JSON up to the nesting limit, and [nested value] past it, whatever the stack', () => {
    expect(dimensionText({ a: [1, 'x'] })).toBe('{"a":[1,"x"]}');
    expect(dimensionText(nest(MAX_NESTING))).toBe('['.repeat(1000) + '1' + ']'.repeat(1000));
    expect(dimensionText(nest(MAX_NESTING + 1))).toBe('[nested value]');
    // Deeper than the main thread's stack could stringify (about 4,000 levels on Node 20).
    expect(dimensionText(nest(6000))).toBe('[nested value]');
    expect(dimensionText({ a: nest(MAX_NESTING) })).toBe('[nested value]');
  });
});
