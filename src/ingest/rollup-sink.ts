import { assertByAvailable } from './column-mapping.js';
import type { Ledger } from '../ledger/ledger.js';
import { sumColumns } from '../ledger/rollup-columns.js';
import { LedgerPositions } from './ledger-positions.js';
import type { InputFormat } from './input-format.js';
import type { RejectedRow } from './rejects.js';
import { isRollupProblem, mapRollupColumns, validateRollupRow, type RollupMapping } from './rollup-schema.js';
import type { ParallelColumns } from './parallel-read.js';
import { fileRejects, type RollupBatch } from './parse-records.js';
import type { SourceItem } from './source-item.js';
import { dimensionText } from './validate-row.js';

export interface RollupSinkOptions {
  name: string;
  /** Account for each row's interactions as input rows (an engine rolled up raw rows) rather than for the row itself. */
  rowsAreInteractions?: boolean;
  format: InputFormat;
  by: readonly string[];
  reject: (row: RejectedRow) => void;
}

/**
 * Turns one rollup file's records into ledger sums and rejects. A rollup row
 * is what was read, so the accounting (read = used + rejected + out of range)
 * counts rollup rows, not the interactions inside them.
 */
export class RollupSink {
  mapping: RollupMapping | null = null;
  readonly missing = null;
  sawColumns = false;
  rowsRead = 0;
  rowsUsed = 0;
  /** The used row with the earliest day, for the warning about an absurdly long period. */
  earliest: { line: number; day: number } | null = null;
  /** Interactions inside the rows used. */
  interactions = 0;
  readonly dimensionsSeen = new Set<string>();
  private width: number | null = null;
  private dimIndex: number[] = [];
  private readonly dims: string[] = [];
  private readonly positions: LedgerPositions;

  constructor(
    private readonly ledger: Ledger,
    private readonly opts: RollupSinkOptions,
  ) {
    this.positions = new LedgerPositions(ledger);
  }

  private columns(columns: readonly string[]): void {
    const { opts } = this;
    this.sawColumns = true;
    const mapping = mapRollupColumns(columns, opts.name);
    this.mapping = mapping;
    const delimited = opts.format === 'csv' || opts.format === 'tsv';
    this.width = delimited ? columns.length : null;
    this.dimIndex = mapping.dimensions.map((d) => this.ledger.dimensionIndex(d.name));
    for (const d of mapping.dimensions) this.dimensionsSeen.add(d.name);
    if (delimited) {
      const names = mapping.dimensions.map((d) => d.name);
      assertByAvailable(opts.by, names, {
        file: opts.name,
        where: 'is not a column of the rollup',
        hint: `A rollup carries only the dimensions it was grouped by: ${names.join(', ') || '(none)'}. Generate it again with that --by.`,
      });
    }
  }

  /** The mapping and width parse workers need, once a delimited header has been mapped. */
  parsedColumns(): ParallelColumns | null {
    return this.mapping !== null && this.width !== null ? { kind: 'rollup', mapping: this.mapping, width: this.width } : null;
  }

  /**
   * Stores rollup rows validated in a worker: the same rejects and ledger rows,
   * in the same order, as accept() gives for those records (see RecordSink.acceptParsed).
   */
  acceptParsed(batch: RollupBatch, strings: readonly string[], lineOffset: number): void {
    const { opts, ledger } = this;
    this.rowsRead += batch.rowsRead;
    for (const r of fileRejects(batch.rejects, opts.name, lineOffset)) opts.reject(r);
    const nd = this.dimIndex.length;
    const x = batch.sums;
    const positions = this.positions.of(strings);
    if (nd === 0 && ledger.takesPlainRollupRows) {
      // Without dimensions a row is its stakeholder, day and sums: the ledger files the batch in one loop.
      const at = this.scratch.length >= batch.rows ? this.scratch : (this.scratch = new Int32Array(Math.max(batch.rows, 2 * this.scratch.length)));
      this.interactions = positionsOf(batch, positions, at, this.interactions);
      ledger.addRollupRows(at, batch.day, x, batch.rows, opts.rowsAreInteractions === true, batch.volumeIsCount);
    } else {
      this.fileRows(batch, strings, positions);
    }
    this.rowsUsed += batch.rows;
    const e = batch.earliest;
    if (!opts.rowsAreInteractions && e !== null && (this.earliest === null || e.day < this.earliest.day)) this.earliest = { line: e.line + lineOffset, day: e.day };
  }

  /** Ledger positions of a batch's rows, reused from batch to batch. */
  private scratch = new Int32Array(0);

  private fileRows(batch: RollupBatch, strings: readonly string[], positions: LedgerPositions): void {
    const { opts, ledger, dims, dimIndex } = this;
    const nd = dimIndex.length;
    const x = batch.sums;
    const n = batch.rows;
    const c = sumColumns(batch.volumeIsCount);
    const sums = { interactions: 0, volume: 0, volumeSq: 0, gapCount: 0, gapSum: 0, gapSumSq: 0 };
    // Every row of the batch sets the same dimensions: clearing once is enough.
    dims.length = 0;
    for (let k = 0; k < batch.rows; k++) {
      for (let i = 0; i < nd; i++) dims[dimIndex[i]] = strings[batch.dims[k * nd + i]];
      sums.interactions = x[c[0] * n + k];
      sums.volume = x[c[1] * n + k];
      sums.volumeSq = x[c[2] * n + k];
      sums.gapCount = x[c[3] * n + k];
      sums.gapSum = x[c[4] * n + k];
      sums.gapSumSq = x[c[5] * n + k];
      const s = positions.at(batch.stakeholder[k]);
      ledger.addRollupRowAt(s, positions.added, batch.day[k], dims, sums, opts.rowsAreInteractions ? sums.interactions : 1);
      this.interactions += sums.interactions;
    }
  }

  accept(batch: readonly SourceItem[]): void {
    const { opts, ledger, dims } = this;
    for (const item of batch) {
      if (item.kind === 'columns') {
        this.columns(item.columns);
        continue;
      }
      this.rowsRead++;
      if (item.kind === 'malformed') {
        opts.reject({ file: opts.name, line: item.line, reason: 'malformed', field: null, message: item.reason, raw: item.raw });
        continue;
      }
      if (this.mapping === null) this.columns([]);
      const mapping = this.mapping;
      if (mapping === null) throw new Error('reader yielded a record before its columns');
      if (this.width !== null && item.values.length !== this.width) {
        opts.reject({
          file: opts.name,
          line: item.line,
          reason: 'column-count',
          field: null,
          message: `expected ${this.width} fields as in the header, found ${item.values.length}`,
          raw: item.raw,
        });
        continue;
      }
      const row = validateRollupRow(item.values, mapping);
      if (isRollupProblem(row)) {
        opts.reject({ file: opts.name, line: item.line, reason: row.reason, field: row.field, message: row.message, raw: item.raw });
        continue;
      }
      dims.length = 0;
      for (let i = 0; i < this.dimIndex.length; i++) dims[this.dimIndex[i]] = dimensionText(item.values[mapping.dimensions[i].index]);
      ledger.addRollupRow(row.stakeholder, row.day, dims, row.sums, opts.rowsAreInteractions ? row.sums.interactions : 1);
      this.rowsUsed++;
      this.interactions += row.sums.interactions;
      if (!opts.rowsAreInteractions && (this.earliest === null || row.day < this.earliest.day)) this.earliest = { line: item.line, day: row.day };
    }
  }
}

/**
 * Writes the ledger positions of the batch's rows into `at` and returns
 * `interactions` plus theirs. A function of its own: as the loop of a longer
 * method, its optimized code (on the stack) met the rest without type feedback, and was undone.
 */
function positionsOf(batch: RollupBatch, positions: LedgerPositions, at: Int32Array, interactions: number): number {
  const { stakeholder, sums, rows } = batch;
  for (let k = 0; k < rows; k++) {
    at[k] = positions.at(stakeholder[k]);
    interactions += sums[k];
  }
  return interactions;
}
