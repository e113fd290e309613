import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { ConfigError, InputError, UsageError } from '../errors.js';
import type { ColumnMapping } from './column-mapping.js';
import type { RollupMapping } from './rollup-schema.js';
import { assertTextual, chooseFormat, type InputFormat } from './input-format.js';
import type { InvalidUtf8Lines } from './invalid-utf8.js';
import type { GroupedBatch, ParsedBatch, RollupBatch } from './parse-records.js';
import { KeyColumns, NdjsonLines, readNdjsonBatches } from './read-ndjson.js';
import { detectMode, MODE_CRLF, MODE_LF, Scanner, scanDelimitedBatches } from './scan-delimited.js';
import type { SourceItem } from './source-item.js';

/*
 * Every core on one large CSV, TSV or NDJSON file (interactions or a rollup).
 * The file is cut into ranges of a few megabytes at line feeds; worker threads
 * scan, validate and fingerprint the ranges, and the main thread counts and
 * stores their rows strictly in file order, so the ledger, the rejects and the
 * duplicate tally are built from the same rows in the same order as on one
 * thread, and the report is identical.
 *
 * A line feed inside a quoted field is not a record boundary. A worker cannot
 * tell, but the main thread can: range k starts on a record boundary (by
 * induction from the header), so range k+1 does too exactly when range k's
 * scan ends on a complete record. When one does not, the workers are stopped
 * and the rest of the file is read on this thread from the last complete record.
 * (NDJSON has no quoted line feeds; see readNdjsonParallel for its columns.)
 */

/** How a sink has mapped the header, for workers to apply. */
export type ParallelColumns =
  /**
   * `exact`: the ledger can take this file's rows as groups and per-batch
   * constants (Ledger.groupsExactFor): summed per cell without a weight
   * column, with only their --by values with one.
   */
  | { kind: 'records'; mapping: ColumnMapping; width: number; exact: boolean }
  | { kind: 'rollup'; mapping: RollupMapping; width: number }
  /** NDJSON: `keys` are the columns so far, in the order values are aligned to. */
  | { kind: 'ndjson'; mapping: ColumnMapping; keys: readonly string[]; exact: boolean };

/** What every worker is told once. */
export interface WorkerSetup {
  path: string;
  delimiter: number;
  crlf: boolean;
  columns: ParallelColumns;
  /** The --by dimensions, which grouped batches keep apart. */
  by: readonly string[];
  tz: string;
  dateFormat?: string;
}

export interface RangeTask {
  id: number;
  start: number;
  end: number;
  /** The range ends the file (an unclosed quote there is malformed, not cut off). */
  last: boolean;
}

export interface RangeResult {
  type: 'result';
  id: number;
  batch: ParsedBatch | GroupedBatch | RollupBatch;
  /** Lines the range spans as readDelimited counts them (the amount to add to later ranges' lines). */
  lines: number;
  /** Bytes scanned up to the end of the last complete record. */
  consumed: number;
  length: number;
  invalidUtf8: { firstLine: number; lines: number } | null;
  /** Thrown after the batch's rows: the batch stops at the row that threw. */
  error?: WorkerError;
}

/** An error thrown in a worker, sent as data. */
export interface WorkerError {
  /** The error's class name, to rebuild typed errors on the main thread. */
  name: string;
  message: string;
  hint?: string;
  /** Set for system errors (reading the file). */
  code?: string;
}

interface WorkerFailure extends WorkerError {
  type: 'error';
  id: number;
}

/** A worker's error as the main thread throws it: typed errors keep their class and hint. */
function rebuildError(m: WorkerError, name: string): Error {
  if (m.code !== undefined) {
    return new InputError(`reading the file failed: ${m.message}`, { file: name }, 'Check that the file is not being written to, and try again.');
  }
  if (m.name === 'UsageError') return new UsageError(m.message, m.hint);
  if (m.name === 'ConfigError') return new ConfigError(m.message, m.hint);
  // An InputError's message already names its location.
  if (m.name === 'InputError') return new InputError(m.message, undefined, m.hint);
  return new Error(`a parse worker failed: ${m.message}`);
}

/** What the parallel reader yields: scanned items (the header and the first rows), or parsed ranges. */
export type ReadUnit =
  | { kind: 'items'; items: SourceItem[] }
  | { kind: 'parsed'; batch: ParsedBatch | GroupedBatch | RollupBatch; strings: readonly string[]; lineOffset: number; bytesDone: number; worker: number };

export interface ParallelSettings {
  /** Parse workers to start (the main thread counts and stores). */
  threads: number;
  /** Delimited files smaller than this are read on one thread: starting workers costs more than it saves. */
  minBytes: number;
  /** The same for NDJSON (minBytes when absent), whose lines are about three times longer than CSV rows. */
  ndjsonMinBytes?: number;
  /**
   * Files smaller than this get one worker (when absent, every file gets `threads`): each
   * worker spends its first ranges in V8's slower tiers, which a second one pays again.
   */
  manyWorkersBytes?: number;
  /** The same for NDJSON (manyWorkersBytes when absent). */
  ndjsonManyWorkersBytes?: number;
  /** Bytes per range. */
  rangeBytes: number;
  by: readonly string[];
  /** The report's zone and date format, for the workers' timestamp parsers. */
  tz: string;
  dateFormat?: string;
}

/** Defaults for ParallelSettings, overridable for tests through the environment. */
export function parallelDefaults(
  env: Record<string, string | undefined>,
): Pick<ParallelSettings, 'minBytes' | 'ndjsonMinBytes' | 'manyWorkersBytes' | 'ndjsonManyWorkersBytes' | 'rangeBytes'> {
  const num = (v: string | undefined, fallback: number): number => {
    const n = Number(v);
    return v !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  // Timed back to back on two cores: one worker beats one thread from about 4 MB of CSV
  // (80k rows) and 10 MB of NDJSON (70k lines); two workers beat one from about 32 MB of CSV
  // and 45 MB of NDJSON. The environment variable moves all four (tests force workers on small files).
  const min = env.ENGAGE_AUDIT_PARALLEL_MIN_BYTES;
  return {
    minBytes: num(min, 4 * 1024 * 1024),
    ndjsonMinBytes: num(min, 12 * 1024 * 1024),
    manyWorkersBytes: num(min, 32 * 1024 * 1024),
    ndjsonManyWorkersBytes: num(min, 48 * 1024 * 1024),
    rangeBytes: num(env.ENGAGE_AUDIT_RANGE_BYTES, 4 * 1024 * 1024),
  };
}

export interface ParallelPlan {
  /** The file as given (for messages) and its absolute path (for the workers). */
  name: string;
  path: string;
  size: number;
  /** The delimiter byte (−1 for NDJSON). */
  delimiter: number;
  format: 'csv' | 'tsv' | 'ndjson';
}

const HEAD_BYTES = 256 * 1024;
/** What openInput peeks at for sniffing. */
const SNIFF_BYTES = 64 * 1024;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/**
 * Whether `file` can be read in parallel: a plain (not gzip, not UTF-16)
 * delimited file, large enough, with a one-byte delimiter. Anything else, and
 * anything doubtful, is left to the one-thread readers, which also give the errors.
 */
export async function planParallel(
  file: string,
  opts: { inputFormat?: InputFormat; delimiter?: string; dedupe: boolean; settings: ParallelSettings | undefined },
): Promise<ParallelPlan | null> {
  const s = opts.settings;
  // --dedupe drops a row at its first repeat, which needs every earlier row counted first.
  if (s === undefined || s.threads < 2 || opts.dedupe || file === '-') return null;
  const path = resolve(file);
  let size: number;
  let head: Buffer;
  try {
    const st = await stat(path);
    if (!st.isFile() || st.size < Math.min(s.minBytes, s.ndjsonMinBytes ?? s.minBytes)) return null;
    size = st.size;
    // The same 64 KB the one-thread reader sniffs, so format and delimiter come out the same.
    head = await readHead(path, SNIFF_BYTES);
  } catch {
    return null;
  }
  if (head.length < 4 || (head[0] === 0x1f && head[1] === 0x8b) || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return null;
  try {
    assertTextual(head, file);
  } catch {
    // Binary-looking content: the one-thread reader gives the error.
    return null;
  }
  const { format, delimiter } = chooseFormat(file, head.toString('utf8'), opts);
  if (format === 'ndjson') return size < (s.ndjsonMinBytes ?? s.minBytes) ? null : { name: file, path, size, delimiter: -1, format };
  if ((format !== 'csv' && format !== 'tsv') || size < s.minBytes) return null;
  const d = Buffer.from(delimiter, 'utf8');
  if (d.length !== 1 || d[0] === QUOTE || d[0] === CR || d[0] === LF) return null;
  return { name: file, path, size, delimiter: d[0], format };
}

/** Up to the first `bytes` bytes of a file. */
async function readHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Byte offsets just past the first line feed at or after each nominal cut, from `start` to the end:
 * every `rangeBytes`, after a first range of `firstBytes`.
 */
async function rangeBounds(path: string, start: number, size: number, rangeBytes: number, firstBytes = rangeBytes): Promise<number[]> {
  const bounds = [start];
  const fh = await open(path, 'r');
  try {
    const probe = Buffer.alloc(64 * 1024);
    let nominal = start + firstBytes;
    while (nominal < size) {
      let at = nominal;
      let cut = -1;
      while (cut < 0 && at < size) {
        const { bytesRead } = await fh.read(probe, 0, probe.length, at);
        if (bytesRead === 0) break;
        const i = probe.subarray(0, bytesRead).indexOf(LF);
        if (i >= 0) cut = at + i + 1;
        else at += bytesRead;
      }
      if (cut < 0 || cut >= size) break;
      bounds.push(cut);
      nominal = Math.max(cut, nominal) + rangeBytes;
    }
  } finally {
    await fh.close();
  }
  bounds.push(size);
  return bounds;
}

/**
 * Scans from `start` on one thread, continuing a scan whose records so far
 * spanned `lineOffset` lines, so lines keep counting from there.
 */
async function* continueOnThisThread(path: string, start: number, scanner: Scanner): AsyncGenerator<ReadUnit> {
  // Small chunks: a chunk's items die young, before the garbage collector has to promote them.
  const stream: Readable = createReadStream(path, { start, highWaterMark: 64 * 1024 });
  let buf: Buffer = Buffer.alloc(0);
  let pos = 0;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingLen += chunk.length;
    const tail = buf.length - pos;
    // A record longer than a chunk (an unclosed quote) is rescanned only when the new bytes
    // at least match it, so reading it stays linear rather than quadratic.
    if (pendingLen < tail) continue;
    buf = Buffer.concat(tail === 0 ? pending : [buf.subarray(pos), ...pending]);
    pending = [];
    pendingLen = 0;
    pos = scanner.scan(buf, 0, false);
    if (scanner.out.length > 0) {
      yield { kind: 'items', items: scanner.out };
      scanner.out = [];
    }
  }
  if (pendingLen > 0) {
    buf = Buffer.concat([buf.subarray(pos), ...pending]);
    pos = 0;
  }
  scanner.scan(buf.subarray(pos), 0, true);
  if (scanner.out.length > 0) {
    yield { kind: 'items', items: scanner.out };
    scanner.out = [];
  }
}

/**
 * Reads a planned file: the header and the records of its first bytes on this
 * thread, then ranges in workers. `columns` is asked, once the header items
 * have been consumed, for the mapping the workers apply (null to read on one thread).
 */
export async function* readParallel(
  plan: ParallelPlan,
  settings: ParallelSettings,
  invalidUtf8: InvalidUtf8Lines,
  columns: () => ParallelColumns | null,
  workerUrl: URL,
): AsyncGenerator<ReadUnit> {
  if (plan.format === 'ndjson') {
    yield* readNdjsonParallel(plan, settings, invalidUtf8, columns, workerUrl);
    return;
  }
  const { path, size } = plan;
  const head = await readHead(path, Math.min(HEAD_BYTES, size));
  let pos = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const mode = detectMode(head, pos, head.length, false, plan.delimiter);
  const scanner = new Scanner(plan.delimiter, null, invalidUtf8);
  scanner.crlf = mode === MODE_CRLF;
  scanner.stopAfterHeader = true;
  const first = mode === MODE_LF || mode === MODE_CRLF ? scanner.scan(head, pos, false) : 0;
  if (scanner.out.length === 0) {
    // A lone CR, no line break in the head, or a header longer than it: the general reader knows what to do.
    for await (const items of scanDelimitedBatches(createReadStream(path), String.fromCharCode(plan.delimiter), null, invalidUtf8)) yield { kind: 'items', items };
    return;
  }
  pos = first;
  const items = scanner.out;
  scanner.out = [];
  yield { kind: 'items', items };
  const header = items[0];
  const mapped = header.kind === 'columns' ? columns() : null;
  if (mapped === null || pos >= size) {
    yield* continueOnThisThread(path, pos, scanner);
    return;
  }

  // Lines of the file up to `pos` as the scanner counts them; later ranges add theirs.
  const lineOffset = scanner.lines - scanner.crlfInside;
  const bounds = await rangeBounds(path, pos, size, settings.rangeBytes);
  const setup: WorkerSetup = { path, delimiter: plan.delimiter, crlf: scanner.crlf, columns: mapped, by: settings.by, tz: settings.tz, dateFormat: settings.dateFormat };
  yield* runWorkers(plan, settings, setup, bounds, lineOffset, invalidUtf8, workerUrl, (at, lines) => {
    const rest = new Scanner(plan.delimiter, null, invalidUtf8);
    rest.crlf = scanner.crlf;
    rest.header = false;
    rest.lines = lines;
    rest.prevEnd = lines;
    return continueOnThisThread(path, at, rest);
  });
}

/** Fresh worker pools an NDJSON file may take after new keys, before the rest is read on one thread. */
const MAX_NDJSON_POOLS = 4;

/**
 * NDJSON: lines never span a line feed, so every cut is safe. The first range
 * (the file's first 256 kB at most) is read on this thread and sets the columns; workers then align their
 * objects to those columns. A line bringing a new key would change the
 * columns for the lines after it, so a worker stops before it; this thread
 * reads the rest of that range, and new workers take the new columns from
 * there (after a few such restarts, this thread reads the rest of the file).
 */
async function* readNdjsonParallel(
  plan: ParallelPlan,
  settings: ParallelSettings,
  invalidUtf8: InvalidUtf8Lines,
  columns: () => ParallelColumns | null,
  workerUrl: URL,
): AsyncGenerator<ReadUnit> {
  const { path, size } = plan;
  // The first range only has to show the keys: a full range read here (4 MB, in code not yet
  // optimized) kept the workers waiting about 0.3 s. A key first seen later costs a new pool.
  const bounds = await rangeBounds(path, 0, size, settings.rangeBytes, Math.min(HEAD_BYTES, settings.rangeBytes));
  const lines = new NdjsonLines(new KeyColumns(), invalidUtf8);
  const onThisThread = async function* (start: number, end?: number): AsyncGenerator<ReadUnit> {
    const stream = createReadStream(path, { start, end: end === undefined ? undefined : end - 1, highWaterMark: 64 * 1024 });
    for await (const items of readNdjsonBatches(stream, { invalidUtf8, lines })) yield { kind: 'items', items };
  };
  yield* onThisThread(0, bounds[1]);
  // Range k onwards is still to read; a new key costs the rest of its range on this thread and a fresh pool.
  let k = 1;
  for (let pools = 0; k < bounds.length - 1; pools++) {
    const mapped = columns();
    if (pools === MAX_NDJSON_POOLS || mapped === null || mapped.kind !== 'ndjson' || mapped.keys.join('\n') !== lines.keys.columns.join('\n')) {
      yield* onThisThread(bounds[k]);
      return;
    }
    const setup: WorkerSetup = { path, delimiter: -1, crlf: false, columns: mapped, by: settings.by, tz: settings.tz, dateFormat: settings.dateFormat };
    let stopped: { at: number; lineOffset: number; range: number } | null = null;
    yield* runWorkers(plan, settings, setup, bounds.slice(k), lines.line, invalidUtf8, workerUrl, async function* (at, lineOffset, range) {
      stopped = { at, lineOffset, range };
    });
    if (stopped === null) return;
    const { at, lineOffset, range } = stopped;
    lines.line = lineOffset;
    k += range + 1;
    yield* onThisThread(at, bounds[k]);
  }
}

/**
 * Parses bounds[0..] in workers and yields their batches in file order.
 * `lineOffset` is the lines before bounds[0]; when a range does not end where
 * it should (a cut inside a quoted field, a new NDJSON key), the rest of the
 * file is handed to `rest(byteOffset, lineOffset, range k)`.
 */
async function* runWorkers(
  plan: ParallelPlan,
  settings: ParallelSettings,
  setup: WorkerSetup,
  bounds: readonly number[],
  lineOffset: number,
  invalidUtf8: InvalidUtf8Lines,
  workerUrl: URL,
  rest: (byteOffset: number, lineOffset: number, range: number) => AsyncGenerator<ReadUnit>,
): AsyncGenerator<ReadUnit> {
  const name = plan.name;
  const ranges = bounds.length - 1;
  const many = plan.format === 'ndjson' ? (settings.ndjsonManyWorkersBytes ?? settings.manyWorkersBytes) : settings.manyWorkersBytes;
  const threads = plan.size < (many ?? 0) ? 1 : settings.threads;
  const workerCount = Math.max(1, Math.min(threads, ranges));
  const workers: Worker[] = [];
  const strings: string[][] = [];
  const idle: number[] = [];
  const results = new Map<number, { result: RangeResult; worker: number }>();
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  let stopping = false;
  /** Workers close their file and exit after any task in hand; unref'd, none keeps the process alive. */
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    for (const w of workers) {
      w.postMessage('close');
      w.unref();
    }
  };
  for (let w = 0; w < workerCount; w++) {
    const worker = new Worker(workerUrl, { workerData: setup });
    strings.push([]);
    worker.on('message', (m: RangeResult | WorkerFailure) => {
      if (m.type === 'error') {
        failure ??= rebuildError(m, name);
      } else {
        // Ids in a worker's later batches refer to strings of its earlier ones: take them in arrival order.
        for (const s of m.batch.strings) strings[w].push(s);
        results.set(m.id, { result: m, worker: w });
        idle.push(w);
        // Straight on to the next range, without waiting for the main thread to store this one.
        if (!stopping) dispatch();
      }
      notify();
    });
    worker.on('error', (err) => {
      failure = err;
      notify();
    });
    worker.on('exit', (code) => {
      if (!stopping && code !== 0 && failure === null) failure = new Error(`a parse worker stopped with exit code ${code}`);
      notify();
    });
    workers.push(worker);
    idle.push(w);
  }
  // Workers run at most this many ranges ahead of the one being stored, which bounds memory.
  const ahead = 2 * workerCount + 1;
  let next = 0;
  /** The range being stored. */
  let storing = 0;
  const dispatch = (): void => {
    while (idle.length > 0 && next < ranges && next < storing + ahead) {
      const w = idle.shift()!;
      const task: RangeTask = { id: next, start: bounds[next], end: bounds[next + 1], last: next === ranges - 1 };
      workers[w].postMessage(task);
      next++;
    }
  };
  try {
    for (let k = 0; k < ranges; k++) {
      storing = k;
      dispatch();
      while (!results.has(k)) {
        if (failure !== null) throw failure;
        await new Promise<void>((r) => (wake = r));
      }
      const { result, worker } = results.get(k)!;
      results.delete(k);
      if (result.invalidUtf8 !== null) invalidUtf8.merge(result.invalidUtf8.firstLine + lineOffset, result.invalidUtf8.lines);
      yield { kind: 'parsed', batch: result.batch, strings: strings[worker], lineOffset, bytesDone: bounds[k] + result.consumed, worker };
      if (result.error !== undefined) throw rebuildError(result.error, name);
      lineOffset += result.lines;
      if (result.consumed < result.length) {
        // The cut after range k fell inside a quoted field (or an NDJSON line brought a new key):
        // go on from the last complete record.
        stop();
        yield* rest(bounds[k] + result.consumed, lineOffset, k);
        return;
      }
    }
  } finally {
    stop();
  }
}
