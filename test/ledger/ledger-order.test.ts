import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellStore, type CellBlock } from '../../src/ledger/cell-store.js';
import { Ledger } from '../../src/ledger/ledger.js';

const D = 86_400_000;

function seriesOf(ledger: Ledger, id: string) {
  const s = ledger.snapshot().stakeholders.find((x) => x.id === id)!;
  return { days: [...s.series.days], counts: [...s.series.counts], volumes: [...s.series.volumes], squares: [...s.series.squares] };
}

describe('cells arriving in and out of day order', () => {
  it('sums a day that arrives both in order and after a later day', () => {
    const ledger = new Ledger();
    // A: day 5 (w 1), day 7 (w 2), then day 5 again (w 3) after day 7, then day 6 (w 4), then day 7 (w 5).
    for (const [day, w] of [[5, 1], [7, 2], [5, 3], [6, 4], [7, 5]] as const) ledger.add('A', day, day * D, w, []);
    expect(seriesOf(ledger, 'A')).toEqual({ days: [5, 6, 7], counts: [2, 1, 2], volumes: [4, 4, 7], squares: [1 + 9, 16, 4 + 25] });
  });

  it('orders and sums days before 1970 (negative day numbers) as well', () => {
    const ledger = new Ledger();
    // 1900-01-01 is day −25567; rows arrive newest first.
    for (const [day, w] of [[-10, 1], [-25567, 2], [-10, 3], [-11, 4]] as const) ledger.add('A', day, day * D, w, []);
    expect(seriesOf(ledger, 'A')).toEqual({ days: [-25567, -11, -10], counts: [1, 1, 2], volumes: [2, 4, 4], squares: [4, 16, 10] });
  });

  it('keeps members apart and segments summed alike', () => {
    const ledger = new Ledger(['ch']);
    const ch = ledger.dimensionIndex('ch');
    const rows: [string, number, string][] = [['A', 3, 'x'], ['B', 1, 'x'], ['A', 1, 'x'], ['B', 1, 'y'], ['A', 3, 'x'], ['B', 0, 'x']];
    for (const [id, day, v] of rows) {
      const dims: string[] = [];
      dims[ch] = v;
      ledger.add(id, day, day * D, 1, dims);
    }
    const snap = ledger.snapshot();
    const a = snap.stakeholders.find((s) => s.id === 'A')!;
    const b = snap.stakeholders.find((s) => s.id === 'B')!;
    expect([...a.series.days]).toEqual([1, 3]);
    expect([...a.series.counts]).toEqual([1, 2]);
    expect([...b.series.days]).toEqual([0, 1]);
    expect([...b.series.counts]).toEqual([1, 2]);
    const bx = snap.segments.find((s) => s.value === 'x')!.stakeholders.find((m) => m.id === 'B')!;
    expect([...bx.series.days]).toEqual([0, 1]);
    expect([...bx.series.counts]).toEqual([1, 1]);
  });
});

describe('CellStore', () => {
  it('visits appended runs, then out-of-order cells, with every sum kept', () => {
    const store = new CellStore();
    store.addCell(0, 10, 1, 2, 4);
    store.addCell(0, 10, 1, 3, 9);
    store.addCell(0, 12, 1, 1, 1);
    store.addCell(5000, 3, 2, 2, 2); // a member far past the first capacity
    store.addCell(0, 11, 1, 1, 1); // older than member 0's newest day
    const seen: number[][] = [];
    store.forEach((m, d, c, n, sq) => seen.push([m, d, c, n, sq]));
    expect(seen).toEqual([
      [0, 10, 2, 5, 13],
      [0, 12, 1, 1, 1],
      [5000, 3, 2, 2, 2],
      [0, 11, 1, 1, 1],
    ]);
  });
});

describe('CellStore sharing one array for c, n and sq', () => {
  type Add = { member: number; day: number; c: number; n: number; sq: number };

  /** Per (member, day), the three sums in arrival order: what the store must give, summed over its two parts. */
  function reference(adds: readonly Add[]): Map<string, [number, number, number]> {
    const out = new Map<string, [number, number, number]>();
    for (const a of adds) {
      const key = `${a.member}/${a.day}`;
      const s = out.get(key) ?? [0, 0, 0];
      out.set(key, [s[0] + a.c, s[1] + a.n, s[2] + a.sq]);
    }
    return out;
  }

  function contents(store: CellStore): Map<string, [number, number, number]> {
    const out = new Map<string, [number, number, number]>();
    store.forEach((m, d, c, n, sq) => {
      const key = `${m}/${d}`;
      const s = out.get(key) ?? [0, 0, 0];
      out.set(key, [s[0] + c, s[1] + n, s[2] + sq]);
    });
    return out;
  }

  it('keeps one array while every cell\'s n and sq are its c, and three with the same sums from the first that differs', () => {
    const store = new CellStore();
    store.addCell(0, 10, 2, 2, 2);
    store.addCell(0, 10, 1, 1, 1); // merged into the appended cell
    store.addCell(1, 10, 3, 3, 3);
    store.addCell(0, 9, 1, 1, 1); // older: the spill table
    let blocks: CellBlock[] = [];
    store.forEachBlock((b) => blocks.push(b));
    expect(blocks[0].n).toBe(blocks[0].c);
    expect(blocks[0].sq).toBe(blocks[0].c);
    // A weighted interaction merged into member 0's day 10: n and sq part from c, the earlier sums kept.
    store.addCell(0, 10, 1, 0.5, 0.25);
    store.addCell(1, 11, 1, 1, 1);
    blocks = [];
    store.forEachBlock((b) => blocks.push(b));
    expect(blocks[0].n).not.toBe(blocks[0].c);
    expect(blocks[0].sq).not.toBe(blocks[0].n);
    expect(contents(store)).toEqual(
      new Map([
        ['0/10', [4, 3.5, 3.25]],
        ['1/10', [3, 3, 3]],
        ['1/11', [1, 1, 1]],
        ['0/9', [1, 1, 1]],
      ]),
    );
    // A store told not to share (gap sums) never does.
    const gaps = new CellStore(false);
    gaps.addCell(0, 1, 1, 1, 1);
    gaps.forEachBlock((b) => expect(b.n).not.toBe(b.c));
  });

  it('gives the sums added, in any order, cells and batches, whether and wherever a weighted one comes', () => {
    const add = fc.record({
      member: fc.integer({ min: 0, max: 5 }),
      day: fc.integer({ min: 0, max: 12 }),
      c: fc.integer({ min: 1, max: 4 }),
      // Mostly unweighted; integral weights keep every sum exact in any order of addition.
      w: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 5 }) }),
      batch: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(add, { minLength: 1, maxLength: 80 }), (raw) => {
        const adds: Add[] = raw.map((a) => ({ member: a.member, day: a.day, c: a.c, n: a.c * a.w, sq: a.c * a.w * a.w }));
        const store = new CellStore();
        let k = 0;
        while (k < adds.length) {
          if (!raw[k].batch) {
            const a = adds[k++];
            store.addCell(a.member, a.day, a.c, a.n, a.sq);
            continue;
          }
          // A batch of the following rows marked for one, as the ledger files rollup rows.
          let end = k;
          while (end < adds.length && raw[end].batch) end++;
          const part = adds.slice(k, end);
          store.addCells(
            Int32Array.from(part, (a) => a.member),
            Int32Array.from(part, (a) => a.day),
            Float64Array.from(part, (a) => a.c),
            Float64Array.from(part, (a) => a.n),
            Float64Array.from(part, (a) => a.sq),
            part.length,
            false,
          );
          k = end;
        }
        expect(contents(store)).toEqual(reference(adds));
        const weighted = adds.some((a) => a.n !== a.c);
        store.forEachBlock((b, length) => {
          if (length > 0 && b.members.length === 65_536) expect(b.n === b.c).toBe(!weighted);
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('CellStore.addCells', () => {
  it('makes chunks ahead for a batch, which forEachBlock skips until cells fill them and addCell goes on into', () => {
    const store = new CellStore();
    // 70,000 rows into one cell: chunks were made for 70,000 cells, one holds a cell.
    const rows = 70_000;
    const ones = new Float64Array(rows).fill(1);
    store.addCells(new Int32Array(rows), new Int32Array(rows).fill(5), ones, ones, ones, rows, false);
    const blocks: number[] = [];
    store.forEachBlock((_, length) => blocks.push(length));
    expect(blocks).toEqual([1]);
    // 65,536 more cells (member 1, days 0…65,535) spill into the second chunk, made ahead.
    for (let d = 0; d < 65_536; d++) store.addCell(1, d, 1, 1, 1);
    blocks.length = 0;
    let cells = 0;
    let lastMember = -1;
    store.forEachBlock((block, length) => {
      blocks.push(length);
      cells += length;
      lastMember = block.members[length - 1];
    });
    expect(blocks).toEqual([65_536, 1]);
    expect(cells).toBe(65_537);
    expect(lastMember).toBe(1);
    const sums: number[][] = [];
    store.forEach((m, d, c) => {
      if (m === 0) sums.push([d, c]);
    });
    expect(sums).toEqual([[5, 70_000]]);
  });
});

describe('snapshot series: views of unbroken runs, copies of the rest', () => {
  type Row = { id: string; day: number; w: number };

  /** Per stakeholder, days inside [from, to] with their sums, summed straight from the rows. */
  function expected(rows: readonly Row[], from: number, to: number) {
    const out = new Map<string, Map<number, [number, number, number]>>();
    for (const r of rows) {
      if (r.day < from || r.day > to) continue;
      let days = out.get(r.id);
      if (!days) out.set(r.id, (days = new Map()));
      const s = days.get(r.day) ?? [0, 0, 0];
      days.set(r.day, [s[0] + 1, s[1] + r.w, s[2] + r.w * r.w]);
    }
    return [...out.keys()].sort().map((id) => {
      const days = [...out.get(id)!.entries()].sort((a, b) => a[0] - b[0]);
      return { id, days: days.map((d) => d[0]), counts: days.map((d) => d[1][0]), volumes: days.map((d) => d[1][1]), squares: days.map((d) => d[1][2]) };
    });
  }

  function actual(rows: readonly Row[], from: number, to: number) {
    const ledger = new Ledger();
    for (const r of rows) ledger.add(r.id, r.day, r.day * D, r.w, []);
    return ledger.snapshot(from, to).stakeholders.map((s) => ({
      id: s.id,
      days: [...s.series.days],
      counts: [...s.series.counts],
      volumes: [...s.series.volumes],
      squares: [...s.series.squares],
    }));
  }

  const rowsArb = fc.array(
    fc.record({ id: fc.constantFrom('A', 'B', 'C', 'D'), day: fc.integer({ min: 0, max: 30 }), w: fc.integer({ min: 1, max: 9 }) }),
    { maxLength: 120 },
  );

  it('equal the rows summed per day, in file order, sorted by stakeholder and day (a rollup), or by day', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: -2, max: 32 }), fc.integer({ min: -2, max: 32 }), fc.constantFrom('as-is', 'by-stakeholder', 'by-day'), fc.boolean(), (raw, a, b, order, unweighted) => {
        fc.pre(raw.length > 0);
        // Unweighted, the copied series keep one array for counts, volumes and squares.
        const rows = unweighted ? raw.map((r) => ({ ...r, w: 1 })) : raw;
        const from = Math.min(a, b);
        const to = Math.max(a, b);
        const sorted =
          order === 'as-is'
            ? rows
            : [...rows].sort((x, y) => (order === 'by-day' ? x.day - y.day : x.id.localeCompare(y.id) || x.day - y.day));
        expect(actual(sorted, from, to)).toEqual(expected(sorted, from, to));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps one array for the counts, volumes and squares of copied series while no row is weighted, in segments too', () => {
    // A and B interleave (their series are copied); A's day 2 comes after its day 3 (sorted by day).
    const rows: [string, number, string, number][] = [['A', 1, 'x', 1], ['B', 1, 'y', 1], ['A', 3, 'x', 1], ['B', 2, 'x', 1], ['A', 2, 'y', 1], ['A', 3, 'x', 1]];
    const fill = (weightOfLast: number): Ledger => {
      const ledger = new Ledger(['ch']);
      const ch = ledger.dimensionIndex('ch');
      rows.forEach(([id, day, v, w], i) => {
        const dims: string[] = [];
        dims[ch] = v;
        ledger.add(id, day, day * D, i === rows.length - 1 ? weightOfLast : w, dims);
      });
      return ledger;
    };
    const plain = fill(1).snapshot();
    const a = plain.stakeholders.find((s) => s.id === 'A')!.series;
    expect(a.volumes).toBe(a.counts);
    expect(a.squares).toBe(a.counts);
    expect({ days: [...a.days], counts: [...a.counts] }).toEqual({ days: [1, 2, 3], counts: [1, 1, 2] });
    const ax = plain.segments.find((s) => s.value === 'x')!.stakeholders.find((m) => m.id === 'A')!.series;
    expect(ax.volumes).toBe(ax.counts);
    expect([...ax.counts]).toEqual([1, 2]);
    // One weighted row, the last, and every series keeps three arrays, with the right sums.
    const weighted = fill(3).snapshot();
    const w = weighted.stakeholders.find((s) => s.id === 'A')!.series;
    expect(w.volumes).not.toBe(w.counts);
    expect({ counts: [...w.counts], volumes: [...w.volumes], squares: [...w.squares] }).toEqual({ counts: [1, 1, 2], volumes: [1, 1, 4], squares: [1, 1, 10] });
    const wx = weighted.segments.find((s) => s.value === 'x')!.stakeholders.find((m) => m.id === 'A')!.series;
    expect([...wx.volumes]).toEqual([1, 4]);
    // As a parse worker's batches file them: groups of count c (volume c), then a weighted row.
    const grouped = new Ledger();
    const [ga, gb] = ['A', 'B'].map((id) => grouped.stakeholderIndex(id));
    grouped.addGroup(ga, 1, 2, []);
    grouped.addGroup(gb, 1, 1, []);
    grouped.addGroup(ga, 2, 1, []);
    const gs = grouped.snapshot().stakeholders[0].series;
    expect(gs.volumes).toBe(gs.counts);
    expect([...gs.counts]).toEqual([2, 1]);
    const mixed = new Ledger();
    const [ma, mb] = ['A', 'B'].map((id) => mixed.stakeholderIndex(id));
    mixed.addGroup(ma, 1, 2, []);
    mixed.addGroup(mb, 1, 1, []);
    mixed.addRow(ma, 2, 2 * D, 0.5, []);
    const ms = mixed.snapshot().stakeholders[0].series;
    expect({ counts: [...ms.counts], volumes: [...ms.volumes], squares: [...ms.squares] }).toEqual({ counts: [2, 1], volumes: [2, 0.5], squares: [2, 0.25] });
  });

  it('keeps three arrays when a rollup batch or row has volumes other than its counts, or a count of zero', () => {
    const sums = (c: number, v: number) => ({ interactions: c, volume: v, volumeSq: v, gapCount: 0, gapSum: 0, gapSumSq: 0 });
    // Interleaved and broken (B before A's day 2): the rows are filed as cells, and the series copied.
    const zero = new Ledger();
    zero.addRollupRow('A', 1, [], sums(0, -0));
    zero.addRollupRow('B', 1, [], sums(1, 1));
    zero.addRollupRow('A', 2, [], sums(1, 1));
    const za = zero.snapshot().stakeholders.find((s) => s.id === 'A')!.series;
    expect(Object.is(za.volumes[0], -0)).toBe(true);
    expect(Object.is(za.counts[0], 0)).toBe(true);
    const batch = new Ledger();
    const [a, b] = ['A', 'B'].map((id) => batch.stakeholderIndex(id));
    // Six columns, row 3's volume 2.5: by column, interactions, volume, volume_sq, gap_count, gap_sum, gap_sum_sq.
    batch.addRollupRows(Int32Array.of(a, b, a), Int32Array.of(1, 1, 2), Float64Array.of(1, 1, 1, 1, 1, 2.5, 1, 1, 6.25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 3, false);
    const ba = batch.snapshot().stakeholders.find((s) => s.id === 'A')!.series;
    expect([...ba.volumes]).toEqual([1, 2.5]);
    expect([...ba.squares]).toEqual([1, 6.25]);
  });

  it('copies a run that crosses from one block of cells to the next', () => {
    // 65,536 cells fill the first block; stakeholder Z's ten days start 5 cells before its end.
    const rows: Row[] = [];
    for (let i = 0; i < 65_536 - 5; i++) rows.push({ id: `S${i % 1000}`, day: Math.floor(i / 1000), w: 1 });
    for (let d = 0; d < 10; d++) rows.push({ id: 'Z', day: d, w: d + 1 });
    const z = actual(rows, 0, 100).find((s) => s.id === 'Z')!;
    expect(z).toEqual({ id: 'Z', days: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], counts: Array(10).fill(1), volumes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], squares: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100] });
  });
});

describe('a snapshot is final', () => {
  it('refuses rows after snapshot(), whose series are views of the cells, and a second snapshot is the same', () => {
    const ledger = new Ledger();
    ledger.add('A', 1, D, 1, []);
    ledger.add('A', 2, 2 * D, 1, []);
    const first = ledger.snapshot();
    expect(() => ledger.add('A', 2, 2 * D, 1, [])).toThrow(/after snapshot/);
    expect(() => ledger.addGroup(ledger.stakeholderIndex('A'), 2, 1, [])).toThrow(/after snapshot/);
    expect(() => ledger.addRow(ledger.stakeholderIndex('A'), 2, 2 * D, 1, [])).toThrow(/after snapshot/);
    expect([...first.stakeholders[0].series.counts]).toEqual([1, 1]);
    expect([...ledger.snapshot().stakeholders[0].series.counts]).toEqual([1, 1]);
    const rollup = new Ledger();
    const sums = { interactions: 1, volume: 1, volumeSq: 1, gapCount: 0, gapSum: 0, gapSumSq: 0 };
    rollup.addRollupRow('A', 1, [], sums);
    rollup.snapshot();
    expect(() => rollup.addRollupRow('A', 1, [], sums)).toThrow(/after snapshot/);
  });
});

/** Rows' six sums laid out by column, as a RollupBatch holds them. */
function byColumn(rows: readonly (readonly number[])[]): Float64Array {
  const out = new Float64Array(rows.length * 6);
  rows.forEach((r, k) => r.forEach((v, j) => (out[j * rows.length + k] = v)));
  return out;
}

describe('rollup rows a batch at a time', () => {
  type RollupRow = { id: string; day: number; sums: [number, number, number, number, number, number] };

  function sumsOf(r: RollupRow) {
    const [interactions, volume, volumeSq, gapCount, gapSum, gapSumSq] = r.sums;
    return { interactions, volume, volumeSq, gapCount, gapSum, gapSumSq };
  }

  /**
   * Ids the ledger has positions for before any row: `filler` of them, then the
   * rows' own ids in reverse order, so positions from 1,024 on (where
   * the runs' tables grow) come out of first-seen order.
   */
  function preRegister(ledger: Ledger, ids: readonly string[], filler: number): void {
    for (let k = 0; k < filler; k++) ledger.stakeholderIndex(`filler-${k}`);
    for (const id of [...new Set(ids)].reverse()) ledger.stakeholderIndex(id);
  }

  function oneByOne(rows: readonly RollupRow[], rowsAreInteractions: boolean, filler = 0): Ledger {
    const ledger = new Ledger();
    if (filler > 0) preRegister(ledger, rows.map((r) => r.id), filler);
    for (const r of rows) ledger.addRollupRow(r.id, r.day, [], sumsOf(r), rowsAreInteractions ? r.sums[0] : 1);
    return ledger;
  }

  /**
   * The rows in batches cut at `cuts`; the batch numbered `rowByRow` goes in one
   * row at a time instead. With `pack`, a batch whose volumes and squares are
   * its interactions comes in four columns, as a parse worker sends it. Also
   * returns each batch's rows and day array.
   */
  function inBatchesWithArrays(rows: readonly RollupRow[], cuts: readonly number[], rowsAreInteractions: boolean, rowByRow = -1, filler = 0, pack = false) {
    const ledger = new Ledger();
    if (filler > 0) preRegister(ledger, rows.map((r) => r.id), filler);
    const batches: { rows: RollupRow[]; days: Int32Array }[] = [];
    let from = 0;
    [...cuts.filter((c) => c > 0 && c < rows.length).sort((a, b) => a - b), rows.length].forEach((to, i) => {
      const batch = rows.slice(from, to);
      from = to;
      if (i === rowByRow) {
        for (const r of batch) ledger.addRollupRow(r.id, r.day, [], sumsOf(r), rowsAreInteractions ? r.sums[0] : 1);
        return;
      }
      const s = Int32Array.from(batch, (r) => ledger.stakeholderIndex(r.id));
      const day = Int32Array.from(batch, (r) => r.day);
      const packed = pack && batch.every((r) => Object.is(r.sums[1], r.sums[0]) && Object.is(r.sums[2], r.sums[0]));
      const sums = packed ? byColumn(batch.map((r) => [r.sums[0], r.sums[3], r.sums[4], r.sums[5]])) : byColumn(batch.map((r) => r.sums));
      // The ledger reads only `rows` rows of arrays that may be longer (a reused scratch array).
      const longer = new Int32Array(s.length + 3).fill(77);
      longer.set(s);
      ledger.addRollupRows(longer, day, sums, batch.length, rowsAreInteractions, packed);
      if (packed) packedBatches++;
      batches.push({ rows: batch, days: day });
    });
    return { ledger, batches };
  }

  let packedBatches = 0;

  function inBatches(rows: readonly RollupRow[], cuts: readonly number[], rowsAreInteractions: boolean, rowByRow = -1): Ledger {
    return inBatchesWithArrays(rows, cuts, rowsAreInteractions, rowByRow).ledger;
  }

  /** Sorted by stakeholder and day, each (stakeholder, day) once: the shape whose batches the ledger keeps whole. */
  function strictlySorted(rows: readonly RollupRow[]): RollupRow[] {
    const sorted = [...rows].sort((x, y) => x.id.localeCompare(y.id) || x.day - y.day);
    return sorted.filter((r, i) => i === 0 || r.id !== sorted[i - 1].id || r.day !== sorted[i - 1].day);
  }

  const rowArb = fc
    .record({
      id: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G'),
      day: fc.integer({ min: -3, max: 20 }),
      n: fc.integer({ min: 1, max: 5 }),
      // Often unweighted (weight 1: volume and volume_sq are the interactions), as a rollup made without --weight-col.
      w: fc.oneof(fc.constant(1), fc.double({ min: 0.1, max: 9, noNaN: true })),
      gaps: fc.integer({ min: 0, max: 5 }),
      g: fc.double({ min: 0, max: 1e5, noNaN: true }),
      // A warehouse may write a row without gaps as −0 (SUM over nothing, negated or cast).
      negativeZero: fc.boolean(),
    })
    .map(({ id, day, n, w, gaps, g, negativeZero }): RollupRow => {
      const k = Math.min(gaps, n);
      const none = negativeZero ? -0 : 0;
      return { id, day, sums: k === 0 ? [n, n * w, n * w * w, none, none, none] : [n, n * w, n * w * w, k, k * g, k * g * g] };
    });

  const periodArb = fc.tuple(fc.integer({ min: -5, max: 22 }), fc.integer({ min: -5, max: 22 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

  it('fills the ledger exactly as rows one by one do, in any order, cut anywhere, for any period, snapshot after snapshot', () => {
    let viewsChecked = 0;
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 60 }),
        fc.array(rowArb, { maxLength: 8 }),
        // Cuts as fractions of the input's length, so they land anywhere in it.
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.constantFrom('any', 'sorted', 'strict', 'strict', 'strict, then any'),
        fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 6 }) }),
        fc.boolean(),
        fc.constantFrom(0, 0, 0, 1024),
        periodArb,
        periodArb,
        fc.constantFrom('no', 'yes', 'unweighted'),
        (rows, tail, cutAt, shape, rowByRow, rowsAreInteractions, filler, [from, to], [from2, to2], packing) => {
          const pack = packing !== 'no';
          // A whole rollup unweighted (every batch packed), or rows of both kinds (some batches are).
          const weighed = (r: RollupRow): RollupRow => (packing === 'unweighted' ? { ...r, sums: [r.sums[0], r.sums[0], r.sums[0], r.sums[3], r.sums[4], r.sums[5]] } : r);
          const input = (
            shape === 'any'
              ? rows
              : shape === 'sorted'
                ? [...rows].sort((x, y) => x.id.localeCompare(y.id) || x.day - y.day)
                : shape === 'strict'
                  ? strictlySorted(rows)
                  : [...strictlySorted(rows), ...tail]
          ).map(weighed);
          const cuts = cutAt.map((f) => Math.round(f * input.length));
          const one = oneByOne(input, rowsAreInteractions, filler);
          const { ledger: many, batches } = inBatchesWithArrays(input, cuts, rowsAreInteractions, rowByRow, filler, pack);
          expect(many.fromRollup).toBe(true);
          expect(many.dayRange).toEqual(one.dayRange);
          const snapshot = many.snapshot(from, to);
          expect(snapshot).toEqual(one.snapshot(from, to));
          if (shape === 'strict' && rowByRow === -1) {
            // Kept whole: a stakeholder whose days in P all came in one batch gets a view of that batch's days.
            for (const s of snapshot.stakeholders) {
              const holding = batches.filter((b) => b.rows.some((r) => r.id === s.id && r.day >= from && r.day <= to));
              if (holding.length !== 1) continue;
              expect(s.series.days.buffer).toBe(holding[0].days.buffer);
              viewsChecked++;
            }
          }
          // A second snapshot, over another period, reads the same kept data.
          expect(many.snapshot(from2, to2)).toEqual(one.snapshot(from2, to2));
          expect(many.snapshot()).toEqual(one.snapshot());
        },
      ),
      { numRuns: 400 },
    );
    expect(viewsChecked).toBeGreaterThan(100);
    expect(packedBatches).toBeGreaterThan(100);
  });

  it('selects the days of a period whose ends are not whole days as the cell stores do', () => {
    const rows: RollupRow[] = [1, 2, 3, 4].map((day) => ({ id: 'A', day, sums: [day, day, day, 1, day, day * day] }));
    for (const [from, to] of [[1.5, 3.5], [2, 2.5], [0.5, 1], [NaN, 3], [2, NaN], [NaN, NaN]]) {
      expect(inBatches(rows, [], false).snapshot(from, to)).toEqual(oneByOne(rows, false).snapshot(from, to));
    }
  });

  it('keeps a sorted rollup\'s batches and hands out views of them as series, copying only a run cut between batches', () => {
    const ledger = new Ledger();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => ledger.stakeholderIndex(id));
    // A on days 1 and 2, then B on days 1, 3 and (next batch) 4, then C on day 2; C's row has no gap.
    const day1 = Int32Array.of(1, 2, 1, 3);
    const sums1 = byColumn([[1, 1, 1, 0, 0, 0], [2, 2, 2, 1, 5, 25], [1, 2, 4, 0, 0, 0], [3, 3, 3, 2, 6, 20]]);
    ledger.addRollupRows(Int32Array.of(a, a, b, b), day1, sums1, 4, false);
    const day2 = Int32Array.of(4, 2);
    ledger.addRollupRows(Int32Array.of(b, c), day2, byColumn([[1, 1, 1, 1, 7, 49], [5, 5, 5, 0, 0, 0]]), 2, false);
    const snapshot = ledger.snapshot();
    const [sa, sb, sc] = snapshot.stakeholders;
    expect(sa.series.days.buffer).toBe(day1.buffer);
    expect(sa.series.counts.buffer).toBe(sums1.buffer);
    expect(sc.series.days.buffer).toBe(day2.buffer);
    expect(sb.series.days.buffer).not.toBe(day1.buffer);
    expect([...sb.series.days]).toEqual([1, 3, 4]);
    expect([...sb.series.counts]).toEqual([1, 3, 1]);
    expect([...sb.series.volumes]).toEqual([2, 3, 1]);
    expect([...sb.series.squares]).toEqual([4, 3, 1]);
    expect([...sa.series.volumes]).toEqual([1, 2]);
    expect(sa.gapMoments).toEqual({ count: 1, sum: 5, sumSq: 25 });
    expect(sb.gapMoments).toEqual({ count: 3, sum: 13, sumSq: 69 });
    expect(sc.gapMoments).toEqual({ count: 0, sum: 0, sumSq: 0 });
    // Days 2–3 only: A's day 2, B's day 3, C's day 2.
    const narrow = ledger.snapshot(2, 3);
    expect(narrow.stakeholders.map((s) => [...s.series.days])).toEqual([[2], [3], [2]]);
    expect(narrow.stakeholders.map((s) => s.gapMoments!.sum)).toEqual([5, 6, 0]);
  });

  it('files the kept batches as cells once a row breaks the pattern: a run resumed, a day not later, a row one by one', () => {
    const rows = (spec: [string, number][]): RollupRow[] => spec.map(([id, day], i) => ({ id, day, sums: [i + 1, i + 1.5, i + 2.25, 1, i * 10, i * i * 100] }));
    const cases: { rows: RollupRow[]; cuts: number[]; rowByRow?: number }[] = [
      // A resumed after B, in the same batch and in a later one.
      { rows: rows([['A', 1], ['B', 1], ['A', 2]]), cuts: [] },
      { rows: rows([['A', 1], ['B', 1], ['A', 2]]), cuts: [2] },
      // A day repeated, or going back, within a run (the repeat sums into one cell).
      { rows: rows([['A', 1], ['A', 1], ['B', 3]]), cuts: [1] },
      { rows: rows([['A', 2], ['A', 1]]), cuts: [] },
      // A sorted batch, then one row by row, then a sorted batch again.
      { rows: rows([['A', 1], ['A', 2], ['B', 1], ['C', 5]]), cuts: [2, 3], rowByRow: 1 },
    ];
    for (const { rows: input, cuts, rowByRow } of cases) {
      expect(inBatches(input, cuts, false, rowByRow).snapshot()).toEqual(oneByOne(input, false).snapshot());
    }
  });

  it('adds a repeated day to its cell and keeps a row without gaps out of the gap sums', () => {
    const ledger = new Ledger();
    const a = ledger.stakeholderIndex('A');
    // Day 4 twice (the second with no gaps), then day 2 after it; 1 + 2 + 3 interactions.
    ledger.addRollupRows(
      Int32Array.of(a, a, a),
      Int32Array.of(4, 4, 2),
      // By column: interactions, volume, volume_sq, gap_count, gap_sum, gap_sum_sq of the three rows.
      Float64Array.of(1, 2, 3, 1.5, 3, 3, 2.25, 5, 3, 1, 0, 2, 10, 0, 4, 100, 0, 8),
      3,
      false,
    );
    const [s] = ledger.snapshot(2, 4).stakeholders;
    expect([...s.series.days]).toEqual([2, 4]);
    expect([...s.series.counts]).toEqual([3, 3]);
    expect([...s.series.volumes]).toEqual([3, 4.5]);
    expect([...s.series.squares]).toEqual([3, 7.25]);
    // Gap moments over the period: 1 + 2 gaps, 10 + 4 seconds, 100 + 8 squared.
    expect(s.gapMoments).toMatchObject({ count: 3, sum: 14, sumSq: 108 });
  });

  it('changes nothing for a batch of no rows, as no call row by row would', () => {
    const empty = new Ledger();
    empty.addRollupRows(new Int32Array(0), new Int32Array(0), new Float64Array(0), 0, false);
    expect(empty.fromRollup).toBe(false);
    const interactions = new Ledger();
    interactions.add('A', 1, D, 1, []);
    expect(() => interactions.addRollupRows(new Int32Array(0), new Int32Array(0), new Float64Array(0), 0, false)).not.toThrow();
    expect(interactions.fromRollup).toBe(false);
  });

  it('sends a day older than its member\'s newest cell to the spill table, summing as row by row does', () => {
    // Large, fractional sums: adding day 3's second row to the appended cell instead of the spill
    // would change the order of the additions, and the last digits.
    // Day 3's volume is 1e16 + (1 + 1) = 10000000000000002; added in arrival order, 1e16 + 1 + 1 rounds to 1e16.
    const rows: RollupRow[] = [
      { id: 'A', day: 3, sums: [1, 1e16, 1, 0, 0, 0] },
      { id: 'A', day: 5, sums: [1, 3.3, 1, 0, 0, 0] },
      { id: 'A', day: 3, sums: [1, 1, 1, 0, 0, 0] },
      { id: 'A', day: 5, sums: [1, 0.1, 1, 0, 0, 0] },
      { id: 'A', day: 3, sums: [1, 1, 1, 0, 0, 0] },
    ];
    const snapshot = inBatches(rows, [], false).snapshot();
    expect(snapshot).toEqual(oneByOne(rows, false).snapshot());
    expect([...snapshot.stakeholders[0].series.volumes]).toEqual([10000000000000002, 3.4]);
  });

  it('refuses rows with dimensions, after interactions, and after snapshot()', () => {
    const one = Int32Array.of(0);
    const day = Int32Array.of(1);
    const sums = Float64Array.of(1, 1, 1, 0, 0, 0);
    const withDimension = new Ledger();
    withDimension.dimensionIndex('channel');
    expect(withDimension.takesPlainRollupRows).toBe(false);
    expect(() => withDimension.addRollupRows(one, day, sums, 1, false)).toThrow(/without dimensions/);
    const segmented = new Ledger(['channel']);
    expect(segmented.takesPlainRollupRows).toBe(false);
    expect(() => segmented.addRollupRows(one, day, sums, 1, false)).toThrow(/without dimensions/);
    const interactions = new Ledger();
    interactions.add('A', 1, D, 1, []);
    expect(() => interactions.addRollupRows(one, day, sums, 1, false)).toThrow(/either interactions or rollup rows/);
    const frozen = new Ledger();
    frozen.stakeholderIndex('A');
    frozen.addRollupRows(one, day, sums, 1, false);
    frozen.snapshot();
    expect(() => frozen.addRollupRows(one, day, sums, 1, false)).toThrow(/after snapshot/);
  });
});
