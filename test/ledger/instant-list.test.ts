import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StakeholderInput } from '../../src/analysis/types.js';
import { InstantList, Ledger } from '../../src/ledger/ledger.js';
import { flattened, instantsOf } from '../helpers/flat-snapshot.js';

describe('InstantList', () => {
  it('keeps what is pushed, in order, across its doublings', () => {
    const list = new InstantList();
    // Empty until the first push: most lists stay empty when workers read the file.
    expect(list.values.length).toBe(0);
    expect(list.values).toBe(new InstantList().values);
    expect(list.sorted().length).toBe(0);
    list.push(100);
    expect(list.values.length).toBe(4);
    for (let t = 1; t < 37; t++) list.push(100 - t);
    expect(list.count).toBe(37);
    expect(list.values.length).toBe(64); // 4 → 8 → 16 → 32 → 64
    expect([...list.values.subarray(0, list.count)]).toEqual(Array.from({ length: 37 }, (_, t) => 100 - t));
  });

  it('sorts only when out of order, and orders −0 before +0 as sort() does', () => {
    const inOrder = new InstantList();
    for (const t of [1, 2, 2, 5]) inOrder.push(t);
    expect([...inOrder.sorted()]).toEqual([1, 2, 2, 5]);

    const shuffled = new InstantList();
    for (const t of [5, 1, 2, 2]) shuffled.push(t);
    expect([...shuffled.sorted()]).toEqual([1, 2, 2, 5]);

    const zeros = new InstantList();
    for (const t of [-3, 0, -0, 4]) zeros.push(t);
    const z = zeros.sorted();
    expect(Object.is(z[1], -0)).toBe(true);
    expect(Object.is(z[2], 0)).toBe(true);
  });
});

describe('Ledger.addInstants', () => {
  it('gives each stakeholder its runs, sorted, across many short batches', () => {
    const ledger = new Ledger();
    const a = ledger.stakeholderIndex('A');
    const b = ledger.stakeholderIndex('B');
    // 200 batches of [A: 3 instants, B: 2 instants]; A's arrive newest batch first.
    for (let k = 0; k < 200; k++) {
      const tA = (199 - k) * 10;
      const batch = Float64Array.of(tA, tA + 1, tA + 2, k * 10, k * 10 + 5);
      ledger.addGroup(a, 0, 3, []);
      ledger.addGroup(b, 0, 2, []);
      ledger.addInstants(a, batch, 0, 3);
      ledger.addInstants(b, batch, 3, 5);
    }
    const snap = ledger.snapshot();
    const ia = instantsOf(snap.stakeholders.find((s) => s.id === 'A')!);
    const ib = instantsOf(snap.stakeholders.find((s) => s.id === 'B')!);
    expect(ia).toHaveLength(600);
    expect(ia.slice(0, 6)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(ia.slice(-3)).toEqual([1990, 1991, 1992]);
    expect(ib).toHaveLength(400);
    expect(ib.slice(0, 4)).toEqual([0, 5, 10, 15]);
    expect(ib.slice(-2)).toEqual([1990, 1995]);
  });

  it('gives what add() gives row by row, with runs from many batches, rows pushed between them, any period', () => {
    const D = 86_400_000;
    // Instants repeat, and include both zeros, which sort() orders −0 first.
    const instant = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 20 * D }) }, { weight: 1, arbitrary: fc.constantFrom(0, -0, D, 3 * D + 1) });
    const row = fc.record({ id: fc.constantFrom('A', 'B', 'C', 'D'), t: instant, pushed: fc.boolean() });
    // −0 is an instant here, never a day: day numbers come from integer arithmetic (+ 0 makes −0 plain 0).
    const dayOf = (t: number): number => Math.floor(t / D) + 0;
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 80 }), fc.array(fc.integer({ min: 1, max: 79 }), { maxLength: 6 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (rows, cuts, a, b) => {
        const one = new Ledger();
        for (const r of rows) one.add(r.id, dayOf(r.t), r.t, 1, []);
        const grouped = new Ledger();
        let from = 0;
        for (const to of [...new Set(cuts.filter((c) => c < rows.length)), rows.length].sort((x, y) => x - y)) {
          const batch = rows.slice(from, to);
          from = to;
          // As a parse worker's batch: one run of instants per stakeholder, in the order each first appears.
          const ids = [...new Set(batch.filter((r) => !r.pushed).map((r) => r.id))];
          const instants = Float64Array.from(ids.flatMap((id) => batch.filter((r) => !r.pushed && r.id === id).map((r) => r.t)));
          let at = 0;
          for (const id of ids) {
            const s = grouped.stakeholderIndex(id);
            const mine = batch.filter((r) => !r.pushed && r.id === id);
            for (const r of mine) grouped.addGroup(s, dayOf(r.t), 1, []);
            grouped.addInstants(s, instants, at, at + mine.length);
            at += mine.length;
          }
          for (const r of batch.filter((x) => x.pushed)) grouped.addRow(grouped.stakeholderIndex(r.id), dayOf(r.t), r.t, 1, []);
        }
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        expect(flattened(grouped.snapshot(lo, hi))).toEqual(one.snapshot(lo, hi));
        // A second snapshot finds the pieces built already.
        expect(flattened(grouped.snapshot())).toEqual(one.snapshot());
      }),
      { numRuns: 300 },
    );
  });

  it('hands out each stakeholder\'s runs as pieces of the workers\' arrays, its own list first, and copies none', () => {
    const ledger = new Ledger();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => ledger.stakeholderIndex(id));
    // A's two runs arrive newest first (they need sorting); B's and C's are in order; C also has a row of its own.
    const first = Float64Array.of(50, 60, 1, 2, 100, 101);
    const second = Float64Array.of(10, 20, 3, 102);
    for (const [s, arr, from, to] of [[a, first, 0, 2], [b, first, 2, 4], [c, first, 4, 6], [a, second, 0, 2], [b, second, 2, 3], [c, second, 3, 4]] as const) {
      ledger.addGroup(s, 0, to - from, []);
      ledger.addInstants(s, arr, from, to);
    }
    ledger.addRow(c, 0, 99, 1, []);
    const [sa, sb, sc] = ledger.snapshot().stakeholders;
    expect(sa.instants).toHaveLength(0);
    expect(sa.instantPieces!.arrays).toBe(sc.instantPieces!.arrays);
    expect(sa.instantPieces!.arrays[0]).toBe(first);
    expect(sa.instantPieces!.arrays[1]).toBe(second);
    const triples = (s: StakeholderInput): number[][] => {
      const p = s.instantPieces!;
      return Array.from({ length: p.pieces }, (_, j) => [...p.table.subarray(3 * (p.first + j), 3 * (p.first + j) + 3)]);
    };
    expect(triples(sa)).toEqual([[0, 0, 2], [1, 0, 2]]);
    expect(triples(sb)).toEqual([[0, 2, 2], [1, 2, 1]]);
    // C's own list (the row added on this thread) comes first, as a piece of an array of its own.
    expect(triples(sc)).toEqual([[2, 0, 1], [0, 4, 2], [1, 3, 1]]);
    expect(instantsOf(sa)).toEqual([10, 20, 50, 60]);
    expect(instantsOf(sb)).toEqual([1, 2, 3]);
    expect(instantsOf(sc)).toEqual([99, 100, 101, 102]);
    // Sorting A's instants sorted a copy: the workers' arrays are as they were.
    expect([...first]).toEqual([50, 60, 1, 2, 100, 101]);
    expect([...second]).toEqual([10, 20, 3, 102]);
    expect(ledger.snapshot().stakeholders[0].instantPieces!.table).toBe(sa.instantPieces!.table);
  });

  it('takes no instants after snapshot()', () => {
    const ledger = new Ledger();
    const a = ledger.stakeholderIndex('A');
    ledger.addGroup(a, 0, 1, []);
    ledger.addInstants(a, Float64Array.of(5), 0, 1);
    ledger.snapshot();
    expect(() => ledger.addInstants(a, Float64Array.of(6), 0, 1)).toThrow(/after snapshot/);
  });
});
