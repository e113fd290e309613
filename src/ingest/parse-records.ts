import type { ColumnMapping } from './column-mapping.js';
import { bucketed, MISSING, TEXT, writeFingerprint, writeFingerprintOfBytes, type BucketedFingerprints } from './duplicate-set.js';
import type { RejectedRow, RejectReason } from './rejects.js';
import type { SourceItem } from './source-item.js';
import { isRollupProblem, plausibleSums, validateRollupRow, type RollupMapping } from './rollup-schema.js';
import { dayOfBytes, FIRST_PLAUSIBLE_DAY, LAST_PLAUSIBLE_DAY } from '../time/civil-date.js';
import { volumeIsCount } from '../ledger/rollup-columns.js';
import { unclosedQuote } from './read-delimited.js';
import { dimensionText, EXACT_POW10, isProblem, plainDecimalOfBytes, validateRow, type ValidRow } from './validate-row.js';
import { ByteInterner, sameText } from './byte-interner.js';
import { grown } from './grown.js';
import { latin1, type RecordTarget } from './scan-delimited.js';
import { trimmedEnd, trimmedStart, type IsoBytesReader, type TimestampParser } from '../time/parse-timestamp.js';

/**
 * One stretch of a delimited file's records, validated and fingerprinted but
 * not yet counted: what a parse worker sends back. Strings (stakeholder ids
 * and dimension values) travel as numbers into the worker's string table, so
 * a batch is a handful of typed arrays that move between threads without a copy.
 */
export interface ParsedBatch {
  kind: 'rows';
  /** Records read (valid, rejected and malformed). */
  rowsRead: number;
  /** Valid rows, in input order. */
  rows: number;
  stakeholder: Int32Array;
  day: Int32Array;
  instant: Float64Array;
  weight: Float64Array;
  /**
   * Per row (row-major), one string id per --by dimension when `constants` is
   * set, else one per dimension of the mapping.
   */
  dims: Int32Array;
  /**
   * (stakeholder id, dimension position in the mapping, position in
   * `constantValues` or −1 for several values) triples, as in GroupedBatch;
   * null when the rows carry every dimension.
   */
  constants: Int32Array | null;
  constantValues: string[];
  /** The rows' duplicate fingerprints, laid out for FingerprintLog.addBucketed. */
  fingerprints: BucketedFingerprints;
  /** Strings first seen in this batch; their ids follow those of earlier batches from the same table. */
  strings: string[];
  /**
   * Rejected rows, in input order, with lines counted from the batch's first
   * byte and no file name; `endLine` marks an unclosed quote, whose message names lines.
   */
  rejects: (Omit<RejectedRow, 'file'> & { endLine?: number })[];
  /** The first valid row with the smallest day (line counted as for rejects). */
  earliest: { line: number; day: number } | null;
}

/**
 * A worker's rejects as the file's: lines shifted by `lineOffset` (the lines
 * before the batch), and an unclosed quote's message, which names lines, written again.
 */
export function fileRejects(rejects: ParsedBatch['rejects'], file: string, lineOffset: number): RejectedRow[] {
  return rejects.map(({ endLine, ...r }) => {
    const line = r.line + lineOffset;
    return { file, ...r, line, message: endLine === undefined ? r.message : unclosedQuote(line, endLine + lineOffset) };
  });
}

/** Interns strings to small ids; the new ones are collected for the next batch. */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];

  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.ids.size;
      this.ids.set(s, i);
      this.fresh.push(s);
    }
    return i;
  }

  /** The strings interned since the last call. */
  takeFresh(): string[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

/**
 * What every batch builder keeps alike: records read, rejects in order, the
 * earliest used row; and the start of every record, where a malformed one is
 * rejected; the tables that give plain records' ids from their bytes.
 * Subclasses add the rows themselves.
 */
abstract class BatchCommon {
  protected rowsRead = 0;
  protected rejects: ParsedBatch['rejects'] = [];
  protected earliest: ParsedBatch['earliest'] = null;
  /** Dimensions per row. */
  protected readonly nd: number;
  protected readonly stakeholderBytes: ByteInterner;
  protected readonly dimensionBytes: ByteInterner[];

  constructor(
    protected readonly table: StringTable,
    dimensions: number,
  ) {
    this.nd = dimensions;
    this.stakeholderBytes = new ByteInterner(table);
    this.dimensionBytes = Array.from({ length: dimensions }, () => new ByteInterner(table));
    // Null until the first row: holding an object once now keeps V8 from discarding the optimized
    // row code when the first row stores one (see ByteInterner's constructor).
    this.earliest = { line: 0, day: 0 };
    this.earliest = null;
  }

  /** Takes one record (never the header). */
  abstract item(item: SourceItem): void;

  add(items: readonly SourceItem[]): void {
    for (const item of items) this.item(item);
  }

  /** Counts a record; true when it has values to validate (a malformed one is rejected here). */
  protected opens(item: SourceItem): item is Extract<SourceItem, { kind: 'record' }> {
    if (item.kind === 'columns') throw new Error('batch builders take records only');
    this.rowsRead++;
    if (item.kind === 'record') return true;
    this.rejects.push({ line: item.line, reason: 'malformed', field: null, message: item.reason, raw: item.raw, endLine: item.endLine });
    return false;
  }

  protected reject(item: { line: number; raw: string }, problem: { reason: RejectReason; field: string | null; message: string }): void {
    this.rejects.push({ line: item.line, reason: problem.reason, field: problem.field, message: problem.message, raw: item.raw });
  }

  protected noteEarliest(line: number, day: number): void {
    if (this.earliest === null || day < this.earliest.day) this.earliest = { line, day };
  }

  /** The shared part of a batch; the builder starts afresh. */
  protected takeCommon(): Pick<ParsedBatch, 'rowsRead' | 'strings' | 'rejects' | 'earliest'> {
    const common = { rowsRead: this.rowsRead, strings: this.table.takeFresh(), rejects: this.rejects, earliest: this.earliest };
    this.rowsRead = 0;
    this.rejects = [];
    this.earliest = null;
    return common;
  }
}

/**
 * What validateRow reads from a record given as plain bytes (a scanner's
 * RecordTarget.plain), for the builders that take such records: the
 * stakeholder's trimmed bytes, the day and the instant. read() is false where
 * validateRow would reject the record or word something, which the item path
 * then does.
 */
class PlainKey {
  stakeholderStart = 0;
  stakeholderEnd = 0;
  day = 0;
  instant = 0;

  constructor(
    private readonly mapping: ColumnMapping,
    private readonly width: number | null,
    private readonly parseTime: TimestampParser,
    /** null with --date-format: every timestamp takes parseTime. */
    private readonly isoBytes: IsoBytesReader | null,
  ) {}

  read(b: Buffer, nf: number, start: ArrayLike<number>, end: ArrayLike<number>, kinds?: Uint8Array): boolean {
    const { mapping } = this;
    if (this.width !== null && nf !== this.width) return false;
    // A JSON id or timestamp that is a number, a boolean or null: validateRow words it.
    if (kinds !== undefined && (kinds[mapping.stakeholder] !== TEXT || kinds[mapping.timestamp] !== TEXT)) return false;
    // asText's trim and emptiness check, on bytes.
    const s = trimmedStart(b, start[mapping.stakeholder], end[mapping.stakeholder]);
    const e = trimmedEnd(b, s, end[mapping.stakeholder]);
    if (s === e) return false;
    const ts = start[mapping.timestamp];
    const te = end[mapping.timestamp];
    if (this.isoBytes !== null && this.isoBytes.read(b, ts, te)) {
      this.day = this.isoBytes.day;
      this.instant = this.isoBytes.instant;
    } else {
      const parsed = this.parseTime(latin1.call(b, ts, te));
      if (typeof parsed === 'string') return false;
      this.day = parsed.day;
      this.instant = parsed.instant;
    }
    this.stakeholderStart = s;
    this.stakeholderEnd = e;
    return true;
  }
}

/**
 * Each stakeholder's value of each dimension over one batch, or null once it
 * has had several: what a batch sends instead of every row's values, so that
 * a column of values unique to each row (an activity id) costs no memory per
 * row, neither here nor in the string table. Strings, not ids: comparing a
 * fresh string costs less than interning it, and only a batch's final values need ids.
 */
class DimensionConstants {
  /** Per stakeholder id: the batch that last saw it. */
  private stamp = new Int32Array(1024);
  /** Per stakeholder id, stride nd: each dimension's value so far in the batch. */
  private values: (string | null)[];
  /**
   * Per stakeholder id, stride nd: what this builder's earlier batches sent
   * (null: several values), undefined before any. The ledger joins what it is
   * sent (one value, then several once two differ), so sending the same again
   * changes nothing, and after "several" nothing can: neither is sent, and
   * "several" is not even compared any more.
   */
  private sent: (string | null | undefined)[];
  private batchNo = 1;
  /** The stakeholder ids of the batch, in the order first seen. */
  touched: number[] = [];

  constructor(
    private readonly nd: number,
    private readonly mapping: ColumnMapping,
  ) {
    this.values = new Array<string | null>(1024 * nd).fill('');
    this.sent = new Array<string | null | undefined>(1024 * nd).fill(undefined);
  }

  /** Whether this is stakeholder sid's first row in the batch (which it now has had). */
  opened(sid: number): boolean {
    if (sid >= this.stamp.length) this.grow(sid);
    if (this.stamp[sid] === this.batchNo) return false;
    this.stamp[sid] = this.batchNo;
    this.touched.push(sid);
    return true;
  }

  /** Room for stakeholder ids up to sid. */
  private grow(sid: number): void {
    let cap = this.stamp.length;
    while (cap <= sid) cap *= 2;
    this.stamp = grown(this.stamp, cap, this.stamp.length);
    for (let k = this.values.length; k < cap * this.nd; k++) {
      this.values.push('');
      this.sent.push(undefined);
    }
  }

  /** A row's values as text (the item path). */
  noteText(sid: number, first: boolean, dimValues: readonly string[]): void {
    const { values, sent, nd } = this;
    const base = sid * nd;
    for (let i = 0; i < nd; i++) {
      if (sent[base + i] === null) continue;
      const seen = values[base + i];
      if (first) values[base + i] = dimValues[i];
      else if (seen !== null && seen !== dimValues[i]) values[base + i] = null;
    }
  }

  /**
   * A row's values compared as bytes with the stakeholder's so far, not
   * interned. Trimming a token or a missing value (no text) changes nothing.
   */
  noteBytes(sid: number, first: boolean, b: Buffer, start: ArrayLike<number>, end: ArrayLike<number>): void {
    const { values, sent, nd, mapping } = this;
    const base = sid * nd;
    for (let i = 0; i < nd; i++) {
      if (sent[base + i] === null) continue;
      const col = mapping.dimensions[i].index;
      const ds = trimmedStart(b, start[col], end[col]);
      const de = trimmedEnd(b, ds, end[col]);
      const seen = values[base + i];
      if (first) values[base + i] = latin1.call(b, ds, de);
      else if (seen !== null && !sameText(seen, b, ds, de)) values[base + i] = null;
    }
  }

  /** The batch's triples that tell the ledger something new, and the values they name; the next batch starts afresh. */
  take(): { triples: Int32Array; values: string[] } {
    const { nd, values, sent } = this;
    const triples: number[] = [];
    const named: string[] = [];
    const at = new Map<string, number>();
    for (const sid of this.touched) {
      for (let i = 0; i < nd; i++) {
        const k = sid * nd + i;
        const before = sent[k];
        const v = values[k];
        if (before === null || v === before) continue;
        let p = MIXED;
        if (v !== null) {
          p = at.get(v) ?? -1;
          if (p < 0) {
            p = named.push(v) - 1;
            at.set(v, p);
          }
        }
        triples.push(sid, i, p);
        // A second value makes it several in the ledger.
        sent[k] = before === undefined ? v : null;
      }
    }
    this.batchNo++;
    this.touched = [];
    return { triples: Int32Array.from(triples), values: named };
  }
}

const MIXED = -1;

/** The interaction builders' shared part: the mapping, and a record validated as on one thread or read from its bytes. */
abstract class RowBuilder extends BatchCommon {
  protected readonly key: PlainKey;

  constructor(
    protected readonly mapping: ColumnMapping,
    protected readonly width: number | null,
    private readonly parseTime: TimestampParser,
    table: StringTable,
    isoBytes: IsoBytesReader | null,
  ) {
    super(table, mapping.dimensions.length);
    this.key = new PlainKey(mapping, width, parseTime, isoBytes);
    this.dimValues = new Array<string>(this.nd).fill('');
  }

  /** A record's dimension values as text, in mapping order: what readDimensions() fills, row after row. */
  protected readonly dimValues: string[];

  protected readDimensions(values: readonly unknown[]): string[] {
    const { dimValues, mapping } = this;
    for (let i = 0; i < dimValues.length; i++) dimValues[i] = dimensionText(values[mapping.dimensions[i].index]);
    return dimValues;
  }

  /** The record's row when validateRow takes it; null when it is rejected (and noted). */
  protected valid(item: Extract<SourceItem, { kind: 'record' }>): ValidRow | null {
    const result = validateRow(item.values, this.mapping, this.parseTime, this.width);
    if (!isProblem(result)) return result;
    this.reject(item, result);
    return null;
  }
}

/**
 * Validates and fingerprints a delimited file's records (never its header)
 * exactly as RecordSink does on one thread, leaving the counting, duplicate
 * tally and ledger to the thread that owns them. Records are added a few
 * thousand at a time, so the scanner's objects die young.
 *
 * Given the --by positions, a row carries only its --by values, and the other
 * dimensions travel as each stakeholder's constants per batch (as in grouped
 * batches), so memory does not grow with a column's distinct values; without
 * them (a file the ledger must take row by row), every value.
 */
export class BatchBuilder extends RowBuilder implements RecordTarget {
  private rows = 0;
  private stakeholder = new Int32Array(1024);
  private day = new Int32Array(1024);
  private instant = new Float64Array(1024);
  private weight = new Float64Array(1024);
  private dims: Int32Array<ArrayBuffer>;
  private fingerprints = new Uint32Array(2048);
  /** Values per row: the --by dimensions', or every dimension's. */
  private readonly stride: number;
  private readonly constants: DimensionConstants | null;

  constructor(
    mapping: ColumnMapping,
    width: number | null,
    parseTime: TimestampParser,
    table: StringTable,
    /** The fixed-layout ISO reader over bytes; null with --date-format. */
    isoBytes: IsoBytesReader | null = null,
    /** Positions in mapping.dimensions of the --by dimensions, when rows carry only those. */
    private readonly byPos: readonly number[] | null = null,
  ) {
    super(mapping, width, parseTime, table, isoBytes);
    this.stride = byPos === null ? this.nd : byPos.length;
    this.constants = byPos === null ? null : new DimensionConstants(this.nd, mapping);
    this.dims = new Int32Array(1024 * this.stride);
  }

  private grow(need: number): void {
    let cap = this.stakeholder.length;
    while (cap < need) cap *= 2;
    const n = this.rows;
    this.stakeholder = grown(this.stakeholder, cap, n);
    this.day = grown(this.day, cap, n);
    this.instant = grown(this.instant, cap, n);
    this.weight = grown(this.weight, cap, n);
    this.dims = grown(this.dims, cap * this.stride, n * this.stride);
    this.fingerprints = grown(this.fingerprints, cap * 2, n * 2);
  }

  item(item: SourceItem): void {
    if (!this.opens(item)) return;
    const result = this.valid(item);
    if (result === null) return;
    const { table, nd, stride, byPos, constants } = this;
    const row = this.nextRow();
    writeFingerprint(item.values, this.fingerprints, row);
    const sid = table.id(result.stakeholder);
    this.stakeholder[row] = sid;
    const dimValues = this.readDimensions(item.values);
    if (constants === null || byPos === null) {
      for (let i = 0; i < nd; i++) this.dims[row * nd + i] = table.id(dimValues[i]);
    } else {
      for (let k = 0; k < stride; k++) this.dims[row * stride + k] = table.id(dimValues[byPos[k]]);
      constants.noteText(sid, constants.opened(sid), dimValues);
    }
    this.store(row, result.day, result.instant, result.weight, item.line);
  }

  plain(b: Buffer, nf: number, start: ArrayLike<number>, end: ArrayLike<number>, line: number, kinds?: Uint8Array): boolean {
    const { mapping, nd, stride, byPos, constants, key } = this;
    if (!key.read(b, nf, start, end, kinds)) return false;
    let weight = 1;
    const w = mapping.weight;
    if (w !== null) {
      // parseWeight's common case; a token (a JSON number) is its own text, a missing weight is rejected by the item path.
      if (kinds !== undefined && kinds[w] === MISSING) return false;
      const ws = trimmedStart(b, start[w], end[w]);
      weight = plainDecimalOfBytes(b, ws, trimmedEnd(b, ws, end[w]));
      // Of at most 15 digits, a positive weight lies within parseWeight's range: only 0 is refused here.
      if (!(weight > 0)) return false;
    }
    this.rowsRead++;
    const row = this.nextRow();
    writeFingerprintOfBytes(b, start, end, nf, this.fingerprints, row, kinds);
    const sid = this.stakeholderBytes.id(b, key.stakeholderStart, key.stakeholderEnd);
    this.stakeholder[row] = sid;
    if (constants === null || byPos === null) {
      for (let i = 0; i < nd; i++) {
        const col = mapping.dimensions[i].index;
        this.dims[row * nd + i] = this.dimensionBytes[i].idTrimmed(b, start[col], end[col]);
      }
    } else {
      for (let k = 0; k < stride; k++) {
        const col = mapping.dimensions[byPos[k]].index;
        this.dims[row * stride + k] = this.dimensionBytes[byPos[k]].idTrimmed(b, start[col], end[col]);
      }
      constants.noteBytes(sid, constants.opened(sid), b, start, end);
    }
    this.store(row, key.day, key.instant, weight, line);
    return true;
  }

  private nextRow(): number {
    if (this.rows === this.stakeholder.length) this.grow(this.rows + 1);
    return this.rows++;
  }

  private store(row: number, day: number, instant: number, weight: number, line: number): void {
    this.day[row] = day;
    this.instant[row] = instant;
    this.weight[row] = weight;
    this.noteEarliest(line, day);
  }

  private takeConstants(): Pick<ParsedBatch, 'constants' | 'constantValues'> {
    if (this.constants === null) return { constants: null, constantValues: [] };
    const { triples, values } = this.constants.take();
    return { constants: triples, constantValues: values };
  }

  /** The batch so far; the builder starts afresh. */
  take(): ParsedBatch {
    const n = this.rows;
    this.rows = 0;
    return {
      kind: 'rows',
      rows: n,
      stakeholder: this.stakeholder.slice(0, n),
      day: this.day.slice(0, n),
      instant: this.instant.slice(0, n),
      weight: this.weight.slice(0, n),
      dims: this.dims.slice(0, n * this.stride),
      ...this.takeConstants(),
      fingerprints: bucketed(this.fingerprints, n),
      ...this.takeCommon(),
    };
  }
}

/**
 * A batch whose rows all weigh 1 (no weight column), summed in the worker by
 * (stakeholder, day, --by values) in the order each group first appears, so
 * the main thread stores a group per cell instead of a row at a time. Counts
 * are integers, so the sums are exact in any order and the report is the
 * same as from the rows one by one.
 */
export interface GroupedBatch {
  kind: 'grouped';
  rowsRead: number;
  rows: number;
  groups: number;
  stakeholder: Int32Array;
  day: Int32Array;
  count: Int32Array;
  /** Per group, the string id of each --by dimension's value. */
  by: Int32Array;
  /** The rows' instants, stakeholder after stakeholder in the order of `runs`. */
  instants: Float64Array;
  /** (stakeholder id, number of instants) pairs, in the order the batch first saw each stakeholder. */
  runs: Int32Array;
  /**
   * (stakeholder id, dimension position in the mapping, position in
   * `constantValues` or −1 for several values) triples: what is new to the
   * ledger about each stakeholder's dimensions (see DimensionConstants).
   */
  constants: Int32Array;
  /**
   * The values the triples name, for this batch only: not interned, so that a
   * column unique to each row does not fill the string table when most
   * stakeholders have one row per batch.
   */
  constantValues: string[];
  fingerprints: BucketedFingerprints;
  strings: string[];
  rejects: ParsedBatch['rejects'];
  earliest: ParsedBatch['earliest'];
}

/**
 * Sums rows per (stakeholder, day, --by values), as GroupedBatch says. It is
 * also a scanner's RecordTarget: a record of plain ASCII fields whose
 * timestamp has a common ISO layout is read straight from its bytes (ids
 * through ByteInterners, the fingerprint over the bytes), which spares most
 * of a worker's work; anything else, and any record that would be rejected,
 * goes through validateRow as an item, so both give the same rows.
 */
export class GroupedBatchBuilder extends RowBuilder implements RecordTarget {
  private rows = 0;
  private rowGroup = new Int32Array(1024);
  private rowInstant = new Float64Array(1024);
  private fingerprints = new Uint32Array(2048);
  /** Open addressing over the groups: slot → group + 1 (0 is empty), keyed by (stakeholder, day, --by ids). */
  private slots = new Int32Array(4096);
  private groups = 0;
  private gStakeholder = new Int32Array(1024);
  private gDay = new Int32Array(1024);
  private gCount = new Int32Array(1024);
  private gBy = new Int32Array(1024);
  /** Per stakeholder id: its latest group in the batch. */
  private lastGroup = new Int32Array(1024);
  private readonly constants: DimensionConstants;
  private readonly nb: number;
  private readonly byIds: Int32Array;

  constructor(
    mapping: ColumnMapping,
    width: number | null,
    parseTime: TimestampParser,
    table: StringTable,
    /** Positions in mapping.dimensions of the --by dimensions. */
    private readonly byPos: readonly number[],
    /** The fixed-layout ISO reader over bytes; null with --date-format, where every timestamp takes parseTime. */
    isoBytes: IsoBytesReader | null = null,
  ) {
    super(mapping, width, parseTime, table, isoBytes);
    if (mapping.weight !== null) throw new Error('grouped batches are for logs without a weight column');
    this.nb = byPos.length;
    this.byIds = new Int32Array(this.nb);
    this.gBy = new Int32Array(this.gCount.length * this.nb);
    this.constants = new DimensionConstants(this.nd, mapping);
  }

  private growRows(need: number): void {
    let cap = this.rowGroup.length;
    while (cap < need) cap *= 2;
    this.rowGroup = grown(this.rowGroup, cap, this.rows);
    this.rowInstant = grown(this.rowInstant, cap, this.rows);
    this.fingerprints = grown(this.fingerprints, cap * 2, this.rows * 2);
  }

  private growGroups(): void {
    const cap = this.gCount.length * 2;
    this.gStakeholder = grown(this.gStakeholder, cap, this.groups);
    this.gDay = grown(this.gDay, cap, this.groups);
    this.gCount = grown(this.gCount, cap, this.groups);
    this.gBy = grown(this.gBy, cap * this.nb, this.groups * this.nb);
  }

  item(item: SourceItem): void {
    if (!this.opens(item)) return;
    const result = this.valid(item);
    if (result === null) return;
    const { table, nb, byIds, byPos } = this;
    const row = this.nextRow();
    writeFingerprint(item.values, this.fingerprints, row);
    const sid = table.id(result.stakeholder);
    const dimValues = this.readDimensions(item.values);
    for (let b = 0; b < nb; b++) byIds[b] = table.id(dimValues[byPos[b]]);
    const first = this.opened(sid);
    this.constants.noteText(sid, first, dimValues);
    this.file(row, sid, result.day, result.instant, item.line, first);
  }

  plain(b: Buffer, nf: number, start: ArrayLike<number>, end: ArrayLike<number>, line: number, kinds?: Uint8Array): boolean {
    const { mapping, nb, byIds, byPos, key } = this;
    if (!key.read(b, nf, start, end, kinds)) return false;
    this.rowsRead++;
    const row = this.nextRow();
    writeFingerprintOfBytes(b, start, end, nf, this.fingerprints, row, kinds);
    const sid = this.stakeholderBytes.id(b, key.stakeholderStart, key.stakeholderEnd);
    // The --by values key the groups: their ids, from the bytes.
    for (let k = 0; k < nb; k++) {
      const col = mapping.dimensions[byPos[k]].index;
      byIds[k] = this.dimensionBytes[byPos[k]].idTrimmed(b, start[col], end[col]);
    }
    const first = this.opened(sid);
    this.constants.noteBytes(sid, first, b, start, end);
    this.file(row, sid, key.day, key.instant, line, first);
    return true;
  }

  private nextRow(): number {
    if (this.rows === this.rowGroup.length) this.growRows(this.rows + 1);
    return this.rows++;
  }

  /** Whether this is stakeholder sid's first row in the batch (which it now has had). */
  private opened(sid: number): boolean {
    if (sid >= this.lastGroup.length) {
      let cap = this.lastGroup.length;
      while (cap <= sid) cap *= 2;
      this.lastGroup = grown(this.lastGroup, cap, this.lastGroup.length);
    }
    return this.constants.opened(sid);
  }

  /** Files a valid row under its group (the --by ids in byIds); `first`: the stakeholder's first row in the batch. */
  private file(row: number, sid: number, day: number, instant: number, line: number, first: boolean): void {
    // A stakeholder's rows mostly come day after day: try its latest group first.
    let g = first ? -1 : this.lastGroup[sid];
    if (g >= 0 && !this.isGroup(g, sid, day)) g = -1;
    if (g < 0) {
      g = this.findGroup(sid, day);
      this.lastGroup[sid] = g;
    }
    this.gCount[g]++;
    this.rowGroup[row] = g;
    this.rowInstant[row] = instant;
    this.noteEarliest(line, day);
  }

  private isGroup(g: number, sid: number, day: number): boolean {
    if (this.gStakeholder[g] !== sid || this.gDay[g] !== day) return false;
    const nb = this.nb;
    for (let b = 0; b < nb; b++) if (this.gBy[g * nb + b] !== this.byIds[b]) return false;
    return true;
  }

  /** The group of (sid, day, byIds), created when new. */
  private findGroup(sid: number, day: number): number {
    const nb = this.nb;
    let h = Math.imul(sid, 0x9e3779b1) ^ Math.imul(day, 0x85ebca6b);
    for (let b = 0; b < nb; b++) h = Math.imul(h ^ this.byIds[b], 0xc2b2ae35);
    h ^= h >>> 15;
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const at = this.slots[i];
      if (at === 0) break;
      if (this.isGroup(at - 1, sid, day)) return at - 1;
      i = (i + 1) & mask;
    }
    const g = this.groups++;
    if (g === this.gCount.length) this.growGroups();
    this.gStakeholder[g] = sid;
    this.gDay[g] = day;
    this.gCount[g] = 0;
    for (let b = 0; b < nb; b++) this.gBy[g * nb + b] = this.byIds[b];
    this.slots[i] = g + 1;
    if (this.groups * 2 > this.slots.length) this.rehash();
    return g;
  }

  private rehash(): void {
    const nb = this.nb;
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let g = 0; g < this.groups; g++) {
      let h = Math.imul(this.gStakeholder[g], 0x9e3779b1) ^ Math.imul(this.gDay[g], 0x85ebca6b);
      for (let b = 0; b < nb; b++) h = Math.imul(h ^ this.gBy[g * nb + b], 0xc2b2ae35);
      h ^= h >>> 15;
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = g + 1;
    }
    this.slots = slots;
  }

  take(): GroupedBatch {
    const rows = this.rows;
    const groups = this.groups;
    // Instants by stakeholder (a stakeholder's order does not matter: they are sorted before use).
    const touched = this.constants.touched;
    const runs = new Int32Array(touched.length * 2);
    const slot = this.lastGroup; // reused as the stakeholder's position in `touched`
    for (let t = 0; t < touched.length; t++) {
      runs[2 * t] = touched[t];
      slot[touched[t]] = t;
    }
    for (let g = 0; g < groups; g++) runs[2 * slot[this.gStakeholder[g]] + 1] += this.gCount[g];
    const start = new Int32Array(touched.length);
    for (let t = 1; t < touched.length; t++) start[t] = start[t - 1] + runs[2 * t - 1];
    const instants = new Float64Array(rows);
    for (let r = 0; r < rows; r++) instants[start[slot[this.gStakeholder[this.rowGroup[r]]]]++] = this.rowInstant[r];
    const constants = this.constants.take();
    const batch: GroupedBatch = {
      kind: 'grouped',
      rows,
      groups,
      stakeholder: this.gStakeholder.slice(0, groups),
      day: this.gDay.slice(0, groups),
      count: this.gCount.slice(0, groups),
      by: this.gBy.slice(0, groups * this.nb),
      instants,
      runs,
      constants: constants.triples,
      constantValues: constants.values,
      fingerprints: bucketed(this.fingerprints, rows),
      ...this.takeCommon(),
    };
    this.rows = 0;
    this.groups = 0;
    this.slots.fill(0);
    return batch;
  }
}



const FIELD_STAKEHOLDER = 6;
const FIELD_DAY = 7;
const FIELD_DIMENSION = 8;
const LF = 0x0a;
const CR = 0x0d;

/** Rollup rows validated in a worker, in input order; the main thread adds them in that order, so float sums add up in the same order. */
export interface RollupBatch {
  kind: 'rollup';
  rowsRead: number;
  rows: number;
  stakeholder: Int32Array;
  day: Int32Array;
  /** Per row, one string id per dimension of the mapping. */
  dims: Int32Array;
  /**
   * The six sums by column, each `rows` long: interactions, volume, volume_sq,
   * gap_count, gap_sum, gap_sum_sq (sum j of row k at sumColumns(volumeIsCount)[j] * rows + k).
   * By column, so that the ledger can keep a sorted rollup's columns and hand out views of them as series.
   */
  sums: Float64Array;
  /** Whether volume and volume_sq are interactions on every row, and kept in its column (four columns in all). */
  volumeIsCount: boolean;
  strings: string[];
  rejects: ParsedBatch['rejects'];
  earliest: ParsedBatch['earliest'];
}

/**
 * RollupSink's validation of rollup records, for a worker. Like the grouping
 * builder it is a scanner's RecordTarget: a record of plain ASCII fields whose
 * day and sums have the common spellings (YYYY-MM-DD, integers, 12.0) is read
 * from its bytes; any other record, and any that would be rejected, is
 * validated as an item.
 */
export class RollupBatchBuilder extends BatchCommon implements RecordTarget {
  private rows = 0;
  private stakeholder = new Int32Array(1024);
  private day = new Int32Array(1024);
  private dims: Int32Array<ArrayBuffer>;
  private interactions = new Float64Array(1024);
  private volume = new Float64Array(1024);
  private volumeSq = new Float64Array(1024);
  private gapCount = new Float64Array(1024);
  private gapSum = new Float64Array(1024);
  private gapSumSq = new Float64Array(1024);

  /** Per field of a record: which sum (0–5), the stakeholder (6), the day (7), or dimension i (8 + i). */
  private readonly roles: Int32Array;
  /** fused()'s sums and dimension bounds, reused. */
  private readonly fusedSums = new Float64Array(6);
  private readonly dimStart: Int32Array;
  private readonly dimEnd: Int32Array;

  constructor(
    private readonly mapping: RollupMapping,
    private readonly width: number,
    table: StringTable,
  ) {
    super(table, mapping.dimensions.length);
    this.dims = new Int32Array(1024 * this.nd);
    const { at } = mapping;
    this.roles = new Int32Array(width).fill(-1);
    [at.interactions, at.volume, at.volume_sq, at.gap_count, at.gap_sum, at.gap_sum_sq].forEach((f, i) => (this.roles[f] = i));
    this.roles[at.stakeholder] = FIELD_STAKEHOLDER;
    this.roles[at.day] = FIELD_DAY;
    mapping.dimensions.forEach((d, i) => (this.roles[d.index] = FIELD_DIMENSION + i));
    this.dimStart = new Int32Array(this.nd);
    this.dimEnd = new Int32Array(this.nd);
    // grow() replaces the row arrays: replaced once here, V8 marks them variable before
    // anything is optimized (see ByteInterner's constructor).
    this.grow(2 * this.stakeholder.length);
  }

  /**
   * plain() for the common record, read in one pass: each sum is parsed as
   * its digits are scanned (as plainDecimalOfBytes parses them) rather than
   * found first and read again, which takes about a third off a rollup row's time. Any
   * record it does not take whole (another spelling, a field too many or too
   * few, a row plain() would not take) is left untouched to plain().
   */
  fused(b: Buffer, p: number, n: number, delimiter: number, crlf: boolean, line: number): number {
    // A delimiter that can be part of a number ('.', a digit) would be read into it.
    if (delimiter === 46 || (delimiter >= 48 && delimiter <= 57)) return -1;
    const { roles, fusedSums: x, dimStart, dimEnd } = this;
    const width = roles.length;
    let sStart = 0;
    let sEnd = 0;
    let dStart = 0;
    let dEnd = 0;
    let q = p;
    for (let f = 0; f < width; f++) {
      const role = roles[f];
      const fs = q;
      let c = 0;
      if (role >= 0 && role < 6) {
        let v = 0;
        let digits = 0;
        let point = -1;
        for (;;) {
          if (q >= n) return -1;
          c = b[q];
          const k = c - 48;
          if (k >= 0 && k <= 9) {
            v = v * 10 + k;
            digits++;
          } else if (c === 46 && point < 0) point = q;
          else break;
          q++;
        }
        if (digits === 0 || digits > 15) return -1;
        x[role] = point < 0 ? v : v / EXACT_POW10[q - point - 1];
      } else {
        for (;;) {
          if (q >= n) return -1;
          c = b[q];
          if (c === delimiter || c === LF || c === CR) break;
          q++;
        }
        if (role === FIELD_STAKEHOLDER) {
          sStart = fs;
          sEnd = q;
        } else if (role === FIELD_DAY) {
          dStart = fs;
          dEnd = q;
        } else if (role >= FIELD_DIMENSION) {
          dimStart[role - FIELD_DIMENSION] = fs;
          dimEnd[role - FIELD_DIMENSION] = q;
        }
      }
      if (f < width - 1) {
        if (c !== delimiter) return -1;
        q++;
      } else if (crlf) {
        if (c !== CR || q + 1 >= n || b[q + 1] !== LF) return -1;
        q += 2;
      } else {
        if (c !== LF) return -1;
        q++;
      }
    }
    // From here on, plain()'s checks and stores, in its order.
    const s = trimmedStart(b, sStart, sEnd);
    const e = trimmedEnd(b, s, sEnd);
    if (s === e) return -1;
    const ds = trimmedStart(b, dStart, dEnd);
    const day = dayOfBytes(b, ds, trimmedEnd(b, ds, dEnd));
    if (!(day >= FIRST_PLAUSIBLE_DAY && day <= LAST_PLAUSIBLE_DAY)) return -1;
    if (!plausibleSums(x[0], x[1], x[2], x[3], x[4], x[5])) return -1;
    this.rowsRead++;
    const k = this.nextRow();
    this.stakeholder[k] = this.stakeholderBytes.id(b, s, e);
    const nd = this.nd;
    for (let i = 0; i < nd; i++) this.dims[k * nd + i] = this.dimensionBytes[i].idTrimmed(b, dimStart[i], dimEnd[i]);
    this.store(k, day, x[0], x[1], x[2], x[3], x[4], x[5], line);
    return q;
  }

  private grow(need: number): void {
    let cap = this.stakeholder.length;
    while (cap < need) cap *= 2;
    const n = this.rows;
    this.stakeholder = grown(this.stakeholder, cap, n);
    this.day = grown(this.day, cap, n);
    this.dims = grown(this.dims, cap * this.nd, n * this.nd);
    this.interactions = grown(this.interactions, cap, n);
    this.volume = grown(this.volume, cap, n);
    this.volumeSq = grown(this.volumeSq, cap, n);
    this.gapCount = grown(this.gapCount, cap, n);
    this.gapSum = grown(this.gapSum, cap, n);
    this.gapSumSq = grown(this.gapSumSq, cap, n);
  }

  item(item: SourceItem): void {
    if (!this.opens(item)) return;
    const { mapping, width, nd, table } = this;
    if (item.values.length !== width) {
      this.reject(item, { reason: 'column-count', field: null, message: `expected ${width} fields as in the header, found ${item.values.length}` });
      return;
    }
    const row = validateRollupRow(item.values, mapping);
    if (isRollupProblem(row)) {
      this.reject(item, row);
      return;
    }
    const k = this.nextRow();
    this.stakeholder[k] = table.id(row.stakeholder);
    for (let i = 0; i < nd; i++) this.dims[k * nd + i] = table.id(dimensionText(item.values[mapping.dimensions[i].index]));
    const s = row.sums;
    this.store(k, row.day, s.interactions, s.volume, s.volumeSq, s.gapCount, s.gapSum, s.gapSumSq, item.line);
  }

  plain(b: Buffer, nf: number, start: ArrayLike<number>, end: ArrayLike<number>, line: number): boolean {
    const { at, dimensions } = this.mapping;
    if (nf !== this.width) return false;
    const s = trimmedStart(b, start[at.stakeholder], end[at.stakeholder]);
    const e = trimmedEnd(b, s, end[at.stakeholder]);
    if (s === e) return false;
    const ds = trimmedStart(b, start[at.day], end[at.day]);
    const day = dayOfBytes(b, ds, trimmedEnd(b, ds, end[at.day]));
    if (!(day >= FIRST_PLAUSIBLE_DAY && day <= LAST_PLAUSIBLE_DAY)) return false;
    const interactions = plainDecimalOfBytes(b, start[at.interactions], end[at.interactions]);
    const volume = plainDecimalOfBytes(b, start[at.volume], end[at.volume]);
    const volumeSq = plainDecimalOfBytes(b, start[at.volume_sq], end[at.volume_sq]);
    const gapCount = plainDecimalOfBytes(b, start[at.gap_count], end[at.gap_count]);
    const gapSum = plainDecimalOfBytes(b, start[at.gap_sum], end[at.gap_sum]);
    const gapSumSq = plainDecimalOfBytes(b, start[at.gap_sum_sq], end[at.gap_sum_sq]);
    if (!plausibleSums(interactions, volume, volumeSq, gapCount, gapSum, gapSumSq)) return false;
    this.rowsRead++;
    const k = this.nextRow();
    this.stakeholder[k] = this.stakeholderBytes.id(b, s, e);
    const nd = this.nd;
    for (let i = 0; i < nd; i++) this.dims[k * nd + i] = this.dimensionBytes[i].idTrimmed(b, start[dimensions[i].index], end[dimensions[i].index]);
    this.store(k, day, interactions, volume, volumeSq, gapCount, gapSum, gapSumSq, line);
    return true;
  }

  private nextRow(): number {
    if (this.rows === this.stakeholder.length) this.grow(this.rows + 1);
    return this.rows++;
  }

  private store(k: number, day: number, interactions: number, volume: number, volumeSq: number, gapCount: number, gapSum: number, gapSumSq: number, line: number): void {
    this.day[k] = day;
    this.interactions[k] = interactions;
    this.volume[k] = volume;
    this.volumeSq[k] = volumeSq;
    this.gapCount[k] = gapCount;
    this.gapSum[k] = gapSum;
    this.gapSumSq[k] = gapSumSq;
    this.noteEarliest(line, day);
  }

  take(): RollupBatch {
    const n = this.rows;
    this.rows = 0;
    const shared = volumeIsCount(this.interactions, this.volume, this.volumeSq, n);
    const columns = shared
      ? [this.interactions, this.gapCount, this.gapSum, this.gapSumSq]
      : [this.interactions, this.volume, this.volumeSq, this.gapCount, this.gapSum, this.gapSumSq];
    const sums = new Float64Array(n * columns.length);
    for (let j = 0; j < columns.length; j++) sums.set(columns[j].subarray(0, n), j * n);
    return {
      kind: 'rollup',
      rows: n,
      stakeholder: this.stakeholder.slice(0, n),
      day: this.day.slice(0, n),
      dims: this.dims.slice(0, n * this.nd),
      sums,
      volumeIsCount: shared,
      ...this.takeCommon(),
    };
  }
}

/** The typed arrays of any batch, to hand to postMessage as transferables. */
export function batchTransferables(batch: ParsedBatch | GroupedBatch | RollupBatch): ArrayBuffer[] {
  const arrays =
    batch.kind === 'rollup'
      ? [batch.stakeholder, batch.day, batch.dims, batch.sums]
      : batch.kind === 'grouped'
        ? [batch.stakeholder, batch.day, batch.count, batch.by, batch.instants, batch.runs, batch.constants, batch.fingerprints.pairs, batch.fingerprints.ends]
        : [batch.stakeholder, batch.day, batch.instant, batch.weight, batch.dims, ...(batch.constants === null ? [] : [batch.constants]), batch.fingerprints.pairs, batch.fingerprints.ends];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
