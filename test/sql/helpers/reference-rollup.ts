import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { mapColumns } from '../../../src/ingest/column-mapping.js';
import { isProblem, validateRow } from '../../../src/ingest/validate-row.js';
import { createTimestampParser } from '../../../src/time/parse-timestamp.js';
import { Zone } from '../../../src/time/zone.js';

/** One rollup row with numbers as numbers and dimension values by name. */
export interface RollupRow {
  stakeholder: string;
  day: string;
  dims: string[];
  interactions: number;
  volume: number;
  volume_sq: number;
  gap_count: number;
  gap_sum: number;
  gap_sum_sq: number;
}

export interface TextTable {
  header: string[];
  rows: string[][];
}

/** The CSV as text cells; an empty cell stays '' (the loaders turn it into NULL, which the query reads as '' too). */
export function readCsvTable(path: string): TextTable {
  const records = parse(readFileSync(path, 'utf8'), { relax_column_count: true }) as string[][];
  return { header: records[0], rows: records.slice(1) };
}

function utcParts(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

export interface Columns {
  stakeholder: string;
  timestamp: string;
  weight?: string;
  by: string[];
}

/**
 * The rollup by its definition, written out plainly: rows are read and
 * validated as the JS reader does (its own parser and validator), and
 * everything after that, days, sums and gaps, is computed here.
 */
export function referenceRollup(table: TextTable, cols: Columns, tz: string): RollupRow[] {
  const zone = new Zone(tz);
  const mapping = mapColumns(table.header, { stakeholderCol: cols.stakeholder, timestampCol: cols.timestamp, weightCol: cols.weight }, 'fixture');
  const parseTime = createTimestampParser(zone);
  const dimIndex = cols.by.map((d) => table.header.indexOf(d));
  const valid: { sid: string; t: number; day: string; w: number; dims: string[] }[] = [];
  for (const cells of table.rows) {
    const r = validateRow(cells, mapping, parseTime, table.header.length);
    if (isProblem(r)) continue;
    // The day of the instant in the zone, found independently of the tool's day numbers.
    const local = r.instant + zone.offsetAt(r.instant);
    const wallDay = utcParts(local).slice(0, 10);
    valid.push({ sid: r.stakeholder, t: r.instant, day: wallDay, w: r.weight, dims: dimIndex.map((i) => (cells[i] ?? '').trim()) });
  }
  // Per stakeholder in time order; ties by dimension values, as the query orders them.
  const bySid = new Map<string, typeof valid>();
  for (const v of valid) bySid.set(v.sid, [...(bySid.get(v.sid) ?? []), v]);
  const out = new Map<string, RollupRow>();
  for (const list of bySid.values()) {
    list.sort((a, b) => a.t - b.t || compareDims(a.dims, b.dims));
    list.forEach((v, i) => {
      const key = JSON.stringify([v.sid, v.day, ...v.dims]);
      let row = out.get(key);
      if (!row) {
        row = { stakeholder: v.sid, day: v.day, dims: v.dims, interactions: 0, volume: 0, volume_sq: 0, gap_count: 0, gap_sum: 0, gap_sum_sq: 0 };
        out.set(key, row);
      }
      row.interactions += 1;
      row.volume += v.w;
      row.volume_sq += v.w * v.w;
      if (i > 0) {
        const gap = (v.t - list[i - 1].t) / 1000;
        row.gap_count += 1;
        row.gap_sum += gap;
        row.gap_sum_sq += gap * gap;
      }
    });
  }
  return [...out.values()];
}

function compareDims(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * The same log with the timestamp column rewritten for a typed column: `instant` as
 * ISO with Z, `utc` as the UTC wall clock, `wall` as the wall clock in `tz`, and
 * an empty cell where the reader rejects the value. Returns the table to load and
 * the text the reference should read for each row (the same instants).
 */
export function retypeTimestamps(table: TextTable, timestampCol: string, type: 'instant' | 'utc' | 'wall', tz: string): { load: TextTable; reference: TextTable } {
  const zone = new Zone(tz);
  const parseTime = createTimestampParser(zone);
  const i = table.header.indexOf(timestampCol);
  const load: string[][] = [];
  const reference: string[][] = [];
  for (const cells of table.rows) {
    const r = cells.length === table.header.length ? parseTime(cells[i]) : 'bad';
    const copy = (v: string) => cells.map((c, j) => (j === i ? v : c));
    if (typeof r === 'string') {
      load.push(copy(''));
      reference.push(copy(''));
      continue;
    }
    const utc = utcParts(r.instant);
    if (type === 'instant') {
      load.push(copy(`${utc}Z`));
      reference.push(copy(`${utc}Z`));
    } else if (type === 'utc') {
      load.push(copy(utc));
      reference.push(copy(`${utc}Z`));
    } else {
      // The wall clock of the instant; a repeated hour's second occurrence thereby becomes its first, as the reader reads it.
      const wall = utcParts(r.instant + zone.offsetAt(r.instant));
      load.push(copy(wall));
      reference.push(copy(wall));
    }
  }
  return { load: { header: table.header, rows: load }, reference: { header: table.header, rows: reference } };
}

/** Counts and volumes exactly; gap sums to 1e-9 relative, since engines add in another order. */
export function expectSameRollup(actual: RollupRow[], expected: RollupRow[]): void {
  const key = (r: RollupRow) => JSON.stringify([r.stakeholder, r.day, ...r.dims]);
  const a = new Map(actual.map((r) => [key(r), r]));
  const e = new Map(expected.map((r) => [key(r), r]));
  expect([...a.keys()].sort()).toEqual([...e.keys()].sort());
  for (const [k, want] of e) {
    const got = a.get(k)!;
    expect({ k, interactions: got.interactions, volume: got.volume, volume_sq: got.volume_sq, gap_count: got.gap_count }).toEqual({
      k,
      interactions: want.interactions,
      volume: want.volume,
      volume_sq: want.volume_sq,
      gap_count: want.gap_count,
    });
    for (const f of ['gap_sum', 'gap_sum_sq'] as const) {
      const tol = 1e-9 * Math.max(1, Math.abs(want[f]));
      if (Math.abs(got[f] - want[f]) > tol) expect({ k, [f]: got[f] }).toEqual({ k, [f]: want[f] });
    }
  }
}

/** Turns rows of any engine (numbers possibly as strings or bigints) into RollupRows. */
export function toRollupRows(rows: Record<string, unknown>[], by: string[]): RollupRow[] {
  return rows.map((r) => ({
    stakeholder: String(r.stakeholder),
    day: String(r.day),
    dims: by.map((d) => String(r[d])),
    interactions: Number(r.interactions),
    volume: Number(r.volume),
    volume_sq: Number(r.volume_sq),
    gap_count: Number(r.gap_count),
    gap_sum: Number(r.gap_sum),
    gap_sum_sq: Number(r.gap_sum_sq),
  }));
}

/** CSV text of a table, every cell quoted (an empty unquoted cell is what the loaders read as NULL). */
export function toCsv(table: TextTable): string {
  const cell = (v: string) => (v === '' ? '' : `"${v.replace(/"/g, '""')}"`);
  return [table.header, ...table.rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
