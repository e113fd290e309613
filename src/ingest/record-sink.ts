import type { Ledger } from '../ledger/ledger.js';
import { LedgerPositions } from './ledger-positions.js';
import type { TimestampParser } from '../time/parse-timestamp.js';
import { assertByAvailable, mapColumns, MissingColumnError, type ColumnMapping, type ColumnOptions } from './column-mapping.js';
import { DuplicateSet, FingerprintLog } from './duplicate-set.js';
import type { InputFormat } from './input-format.js';
import type { ParallelColumns } from './parallel-read.js';
import { fileRejects, type GroupedBatch, type ParsedBatch } from './parse-records.js';
import type { RejectedRow } from './rejects.js';
import type { SourceItem } from './source-item.js';
import { dimensionText, isProblem, validateRow } from './validate-row.js';

export interface SinkOptions {
  /** The file's name as messages show it. */
  name: string;
  format: InputFormat;
  delimiterHint: (columns: readonly string[]) => string | undefined;
  columns: ColumnOptions;
  parseTime: TimestampParser;
  by: readonly string[];
  reject: (row: RejectedRow) => void;
  /**
   * Shared by every file of the run: a DuplicateSet drops repeats as they come
   * (--dedupe, as rejects with reason `duplicate`); a FingerprintLog only
   * records rows, to count repeats once at the end.
   */
  duplicates: DuplicateSet | FingerprintLog;
}

/**
 * Turns one file's items into ledger rows and rejects: the column mapping, the
 * row validation, duplicate fingerprints and the accounting.
 */
export class RecordSink {
  mapping: ColumnMapping | null = null;
  /** JSON objects may omit keys: a column missing so far may appear in a later object. */
  missing: MissingColumnError | null = null;
  sawColumns = false;
  rowsRead = 0;
  rowsUsed = 0;
  /** The used row with the earliest day, for the warning about an absurdly long period. */
  earliest: { line: number; day: number } | null = null;
  /** Valid rows identical to an earlier one and dropped (with a DuplicateSet). */
  duplicateRows = 0;
  readonly dimensionsSeen = new Set<string>();
  private width: number | null = null;
  private dimIndex: number[] = [];
  /** Per mapped dimension, whether it is the last column of that name (a header may name one twice). */
  private lastOfName: boolean[] = [];
  private readonly dims: string[] = [];
  /** The columns as last given (for NDJSON, the keys so far). */
  private columnNames: readonly string[] = [];
  private readonly positions: LedgerPositions;

  constructor(
    private readonly ledger: Ledger,
    private readonly opts: SinkOptions,
  ) {
    this.positions = new LedgerPositions(ledger);
  }

  private get delimited(): boolean {
    return this.opts.format === 'csv' || this.opts.format === 'tsv';
  }

  columns(columns: readonly string[]): void {
    const { opts } = this;
    this.sawColumns = true;
    this.columnNames = columns;
    try {
      this.mapping = mapColumns(columns, opts.columns, opts.name, this.delimited ? opts.delimiterHint(columns) : undefined);
      this.missing = null;
    } catch (err) {
      if (this.delimited || !(err instanceof MissingColumnError)) throw err;
      this.mapping = null;
      this.missing = err;
      return;
    }
    const mapping = this.mapping;
    this.width = this.delimited ? columns.length : null;
    this.dimIndex = mapping.dimensions.map((d) => this.ledger.dimensionIndex(d.name));
    this.lastOfName = this.dimIndex.map((d, i, all) => all.lastIndexOf(d) === i);
    for (const d of mapping.dimensions) this.dimensionsSeen.add(d.name);
    // JSON objects may show a dimension later; ingest checks --by once every file is read.
    if (this.delimited) assertByAvailable(opts.by, mapping.dimensions.map((d) => d.name), { file: opts.name, where: 'is not a column of the header', mapped: mapping.names });
  }

  /** The mapping and width parse workers need, once a delimited header has been mapped. */
  parsedColumns(): ParallelColumns | null {
    if (this.mapping === null) return null;
    const exact = this.ledger.groupsExactFor(this.mapping.dimensions.map((d) => d.name));
    if (this.width !== null) return { kind: 'records', mapping: this.mapping, width: this.width, exact };
    return this.opts.format === 'ndjson' && this.missing === null ? { kind: 'ndjson', mapping: this.mapping, keys: this.columnNames, exact } : null;
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
      // A JSON reader names columns only when keys appear: `{}` first means no columns yet.
      if (this.mapping === null && this.missing === null && !this.delimited) this.columns([]);
      const mapping = this.mapping;
      if (mapping === null) {
        if (this.missing === null) throw new Error('reader yielded a record before its columns');
        opts.reject({ file: opts.name, line: item.line, reason: this.missing.role, field: null, message: `no ${this.missing.role} field in this object`, raw: item.raw });
        continue;
      }
      const result = validateRow(item.values, mapping, opts.parseTime, this.width);
      if (isProblem(result)) {
        opts.reject({ file: opts.name, line: item.line, reason: result.reason, field: result.field, message: result.message, raw: item.raw });
        continue;
      }
      const duplicates = opts.duplicates;
      if (duplicates instanceof DuplicateSet) {
        if (duplicates.addRow(item.values)) {
          this.duplicateRows++;
          opts.reject({ file: opts.name, line: item.line, reason: 'duplicate', field: null, message: 'exact duplicate of an earlier row (dropped by --dedupe)', raw: item.raw });
          continue;
        }
      } else duplicates.addRow(item.values);
      const dimIndex = this.dimIndex;
      dims.length = 0;
      for (let i = 0; i < dimIndex.length; i++) dims[dimIndex[i]] = dimensionText(item.values[mapping.dimensions[i].index]);
      ledger.add(result.stakeholder, result.day, result.instant, result.weight, dims);
      if (this.earliest === null || result.day < this.earliest.day) this.earliest = { line: item.line, day: result.day };
      this.rowsUsed++;
    }
  }

  /** A batch's (stakeholder, dimension, value or −1) triples, for rows the ledger took without their dimensions. */
  private noteConstants(c: Int32Array, values: readonly string[], position: (id: number) => number): void {
    const { ledger, dimIndex, lastOfName } = this;
    for (let k = 0; k < c.length; k += 3) {
      const i = c[k + 1];
      // A header naming a column twice: as on one thread, the later column's value stands.
      if (!lastOfName[i]) continue;
      ledger.noteDimension(position(c[k]), dimIndex[i], c[k + 2] < 0 ? null : values[c[k + 2]]);
    }
  }

  /**
   * Counts and stores records parsed elsewhere (parseRecords, in a worker):
   * the same rejects, duplicates and ledger rows, in the same order, as
   * accept() gives for those records. `strings` is the parsing table's strings
   * by id; `lineOffset` turns the batch's lines into the file's.
   * Only for duplicates that are counted, not dropped (--dedupe reads on one thread).
   */
  acceptParsed(batch: ParsedBatch | GroupedBatch, strings: readonly string[], lineOffset: number): void {
    const { opts, ledger, dims, dimIndex } = this;
    const mapping = this.mapping;
    if (mapping === null) throw new Error('parsed records before the columns');
    const duplicates = opts.duplicates;
    if (!(duplicates instanceof FingerprintLog)) throw new Error('--dedupe reads on one thread');
    this.rowsRead += batch.rowsRead;
    for (const r of fileRejects(batch.rejects, opts.name, lineOffset)) opts.reject(r);
    duplicates.addBucketed(batch.fingerprints);
    const nd = dimIndex.length;
    const positions = this.positions.of(strings);
    const position = (id: number): number => positions.at(id);
    const nb = opts.by.length;
    const byValues: string[] = new Array<string>(nb);
    if (batch.kind === 'grouped') {
      for (let g = 0; g < batch.groups; g++) {
        for (let b = 0; b < nb; b++) byValues[b] = strings[batch.by[g * nb + b]];
        ledger.addGroup(position(batch.stakeholder[g]), batch.day[g], batch.count[g], byValues);
      }
      let at = 0;
      for (let k = 0; k < batch.runs.length; k += 2) {
        const n = batch.runs[k + 1];
        ledger.addInstants(position(batch.runs[k]), batch.instants, at, at + n);
        at += n;
      }
      this.noteConstants(batch.constants, batch.constantValues, position);
    } else if (batch.constants !== null) {
      for (let k = 0; k < batch.rows; k++) {
        for (let b = 0; b < nb; b++) byValues[b] = strings[batch.dims[k * nb + b]];
        ledger.addRow(position(batch.stakeholder[k]), batch.day[k], batch.instant[k], batch.weight[k], byValues);
      }
      this.noteConstants(batch.constants, batch.constantValues, position);
    } else {
      // Every row of the batch sets the same dimensions: clearing once is enough.
      dims.length = 0;
      for (let k = 0; k < batch.rows; k++) {
        for (let i = 0; i < nd; i++) dims[dimIndex[i]] = strings[batch.dims[k * nd + i]];
        const s = positions.at(batch.stakeholder[k]);
        ledger.addAt(s, positions.added, batch.day[k], batch.instant[k], batch.weight[k], dims);
      }
    }
    this.rowsUsed += batch.rows;
    const e = batch.earliest;
    if (e !== null && (this.earliest === null || e.day < this.earliest.day)) this.earliest = { line: e.line + lineOffset, day: e.day };
  }
}
