import { describe, expect, it } from 'vitest';
import { InstantList, Ledger } from '../../src/ledger/ledger.js';

describe('InstantList', () => {
  it('appends many short runs across its doublings, in order', () => {
    const source = Float64Array.from({ length: 100 }, (_, i) => 1000 + i);
    const list = new InstantList();
    // 300 runs of 17: instants 1000+(r%5)..1016+(r%5) each; capacity 4 → 8 → … → 8192.
    for (let r = 0; r < 300; r++) list.pushRange(source, r % 5, (r % 5) + 17);
    expect(list.count).toBe(5100);
    expect(list.values.length).toBe(8192);
    for (let r = 0; r < 300; r++) for (let k = 0; k < 17; k++) expect(list.values[r * 17 + k]).toBe(1000 + (r % 5) + k);
  });

  it('grows straight to a run longer than twice its capacity, and mixes with push', () => {
    const list = new InstantList();
    list.push(-1);
    list.pushRange(Float64Array.from({ length: 40 }, (_, i) => i), 3, 40); // 37 more: 38 > 4, 8, 16, 32 → 64
    expect(list.count).toBe(38);
    expect(list.values.length).toBe(64);
    list.pushRange(new Float64Array(5), 2, 2); // empty run
    list.push(7);
    expect([...list.values.subarray(0, list.count)]).toEqual([-1, ...Array.from({ length: 37 }, (_, i) => i + 3), 7]);
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
    const ia = [...snap.stakeholders.find((s) => s.id === 'A')!.instants];
    const ib = [...snap.stakeholders.find((s) => s.id === 'B')!.instants];
    expect(ia).toHaveLength(600);
    expect(ia.slice(0, 6)).toEqual([0, 1, 2, 10, 11, 12]);
    expect(ia.slice(-3)).toEqual([1990, 1991, 1992]);
    expect(ib).toHaveLength(400);
    expect(ib.slice(0, 4)).toEqual([0, 5, 10, 15]);
    expect(ib.slice(-2)).toEqual([1990, 1995]);
  });
});
