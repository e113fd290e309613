import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LedgerPositions } from '../../src/ingest/ledger-positions.js';
import { Ledger } from '../../src/ledger/ledger.js';

describe('LedgerPositions', () => {
  it('finds each id once per worker table and says when a stakeholder is new to the ledger', () => {
    const ledger = new Ledger();
    const positions = new LedgerPositions(ledger);
    const tableA = ['A', 'x', 'B'];
    const tableB = ['y', 'B', 'C'];
    expect(positions.of(tableA).at(0)).toBe(0);
    expect(positions.added).toBe(true);
    expect(positions.at(0)).toBe(0);
    expect(positions.added).toBe(false);
    expect(positions.at(2)).toBe(1);
    expect(positions.added).toBe(true);
    // Another worker's table: B is known to the ledger already, C is new.
    expect(positions.of(tableB).at(1)).toBe(1);
    expect(positions.added).toBe(false);
    expect(positions.at(2)).toBe(2);
    expect(positions.added).toBe(true);
    expect(positions.of(tableA).at(2)).toBe(1);
    expect(positions.added).toBe(false);
  });

  it('gives addAt the same ledger as add by text, a dimension registered after the first rows included', () => {
    // Rows: (stakeholder, worker table, dimension value); the dimension "team" is registered after row `late`.
    const row = fc.tuple(fc.constantFrom('A', 'B', 'C'), fc.constantFrom(0, 1), fc.constantFrom('', 'red', 'blue'));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.nat(30), (rows, late) => {
        const byText = new Ledger();
        const byPosition = new Ledger();
        const positions = new LedgerPositions(byPosition);
        // Each worker numbers the ids in its own order.
        const tables = [['C', 'B', 'A'], ['A', 'B', 'C']];
        rows.forEach(([id, w, team], k) => {
          const dims: string[] = [];
          if (k >= late) {
            dims[byText.dimensionIndex('team')] = team;
            byPosition.dimensionIndex('team');
          }
          byText.add(id, 19_000 + k, k * 1000, 1, dims);
          const s = positions.of(tables[w]).at(tables[w].indexOf(id));
          byPosition.addAt(s, positions.added, 19_000 + k, k * 1000, 1, dims);
        });
        expect(byPosition.snapshot()).toEqual(byText.snapshot());
      }),
      { numRuns: 300, seed: 31 },
    );
  });
});
