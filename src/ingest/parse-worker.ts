import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createTimestampParser, IsoBytesReader } from '../time/parse-timestamp.js';
import { Zone } from '../time/zone.js';
import { InvalidUtf8Lines } from './invalid-utf8.js';
import { BatchBuilder, batchTransferables, GroupedBatchBuilder, RollupBatchBuilder, StringTable } from './parse-records.js';
import { Scanner } from './scan-delimited.js';
import { KeyColumns, NdjsonLines } from './read-ndjson.js';
import { FlatObjectBytes } from './flat-object-bytes.js';
import type { SourceItem } from './source-item.js';
import { isUtf8 } from 'node:buffer';
import type { RangeResult, RangeTask, WorkerError, WorkerSetup } from './parallel-read.js';

/*
 * A parse worker: reads the byte ranges it is given from the file, scans them
 * as records (each range starts where a record is assumed to start) and sends
 * back validated, fingerprinted batches. The main thread checks that each
 * range really ended on a record boundary before trusting the next one.
 */

// Sending a batch detaches its buffers, and the first detach in a thread throws away every
// optimized function that reads a typed array (V8 then compiles them again with detach
// checks), which on a rollup cost each worker its second and third ranges at interpreter speed.
// Detaching one empty buffer now pays that once, while nothing is optimized yet.
// Measured on the 10M benchmark's rollup, 6 alternating pairs: 1.43 → 1.36 s median, with the
// field pre-generalisation in ByteInterner and RollupBatchBuilder.
{
  const spent = new ArrayBuffer(0);
  structuredClone(spent, { transfer: [spent] });
}

const setup = workerData as WorkerSetup;
const zone = new Zone(setup.tz);
const parseTime = createTimestampParser(zone, setup.dateFormat);
const table = new StringTable();
function makeBuilder(): BatchBuilder | GroupedBatchBuilder | RollupBatchBuilder {
  const { columns } = setup;
  if (columns.kind === 'rollup') return new RollupBatchBuilder(columns.mapping, columns.width, table);
  const { mapping } = columns;
  const width = columns.kind === 'records' ? columns.width : null;
  /** The --by dimensions' positions in the mapping (the last of a repeated name, whose value stands). */
  const byPos = setup.by.map((name) => mapping.dimensions.map((d) => d.name).lastIndexOf(name));
  const isoBytes = setup.dateFormat === undefined ? new IsoBytesReader(zone) : null;
  const exact = columns.exact && byPos.every((p) => p >= 0);
  // Without a weight column every row weighs 1 and the worker can sum whole cells exactly.
  if (exact && mapping.weight === null) return new GroupedBatchBuilder(mapping, width, parseTime, table, byPos, isoBytes);
  // Weighted rows come one by one, with only their --by values when the ledger can take the rest as constants.
  return new BatchBuilder(mapping, width, parseTime, table, isoBytes, exact ? byPos : null);
}
const builder = makeBuilder();
/** Bytes scanned at a time: the records of one step are parsed before the next is scanned. */
const STEP = 64 * 1024;
const fd = openSync(setup.path, 'r');
const port = parentPort!;

/** One buffer for every range: a fresh 4 MB buffer per range costs page faults each time. */
let reusable = Buffer.allocUnsafe(0);

function readRange(start: number, end: number): Buffer {
  if (reusable.length < end - start) reusable = Buffer.allocUnsafe(Math.max(end - start, reusable.length * 2));
  const buf = reusable.subarray(0, end - start);
  let at = 0;
  while (at < buf.length) {
    const n = readSync(fd, buf, at, buf.length - at, start + at);
    if (n === 0) throw new Error(`the file ended at byte ${start + at}, before byte ${end}: it changed while being read`);
    at += n;
  }
  return buf;
}

/** Scans a delimited range into the builder: bytes consumed up to the last complete record, and the lines they span. */
function parseDelimited(bytes: Buffer, last: boolean, invalidUtf8: InvalidUtf8Lines): [number, number] {
  const scanner = new Scanner(setup.delimiter, null, invalidUtf8);
  scanner.crlf = setup.crlf;
  scanner.header = false;
  // Records go straight to the builder, plain ones as bytes.
  scanner.target = builder;
  let consumed = 0;
  let window = STEP;
  try {
    for (;;) {
      const end = Math.min(bytes.length, consumed + window);
      const atEnd = end === bytes.length;
      const used = scanner.scan(bytes.subarray(consumed, end), 0, atEnd && last);
      consumed += used;
      if (atEnd) break;
      // A record longer than the window: widen it until the record fits.
      window = used === 0 ? window * 2 : STEP;
    }
  } finally {
    rangeLines = scanner.lines - scanner.crlfInside;
  }
  return [consumed, rangeLines];
}

/**
 * Parses an NDJSON range into the builder, its objects aligned to `keys`. It
 * stops before a line that brings a new key: bytes consumed, and lines parsed.
 */
function parseNdjson(bytes: Buffer, last: boolean, keys: readonly string[], invalidUtf8: InvalidUtf8Lines): [number, number] {
  // Lines are checked for UTF-8 here, once kept, rather than by the parser, so a line handed back is not noted twice.
  const parser = new NdjsonLines(new KeyColumns(keys), null, true, 0, false);
  // Flat objects of known keys go to a row builder as bytes (a rollup's lines are read as items).
  const flat = builder instanceof RollupBatchBuilder ? null : new FlatObjectBytes(keys);
  const check = !isUtf8(bytes);
  let out: SourceItem[] = [];
  let pos = 0;
  try {
    while (pos < bytes.length) {
      const nl = bytes.indexOf(0x0a, pos);
      if (nl < 0 && !last) break;
      const end = nl < 0 ? bytes.length : nl;
      if (flat !== null) {
        // The items before it first, so the builder sees every line in order.
        if (out.length > 0) {
          builder.add(out);
          out = [];
        }
        if (parser.offer(bytes, pos, end, flat, builder)) {
          pos = nl < 0 ? bytes.length : nl + 1;
          continue;
        }
      }
      const before = out.length;
      parser.parse(bytes, pos, end, out);
      if (out.length > before && out[before].kind === 'columns') {
        out.length = before;
        parser.line--;
        break;
      }
      if (check && !isUtf8(bytes.subarray(pos, end))) invalidUtf8.note(parser.line);
      pos = nl < 0 ? bytes.length : nl + 1;
      if (out.length >= 4096) {
        builder.add(out);
        out = [];
      }
    }
    builder.add(out);
  } finally {
    rangeLines = parser.line;
  }
  return [pos, parser.line];
}

/** Lines parsed in the current range so far (kept when a row throws). */
let rangeLines = 0;

port.on('message', (task: RangeTask | 'close') => {
  if (task === 'close') {
    closeSync(fd);
    port.close();
    return;
  }
  let bytes: Buffer;
  try {
    bytes = readRange(task.start, task.end);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    port.postMessage({ type: 'error', id: task.id, name: e.name, message: e.message, code: e.code ?? 'EIO' });
    return;
  }
  const invalidUtf8 = new InvalidUtf8Lines();
  let consumed = 0;
  let lines = 0;
  let error: WorkerError | undefined;
  try {
    if (setup.columns.kind === 'ndjson') [consumed, lines] = parseNdjson(bytes, task.last, setup.columns.keys, invalidUtf8);
    else [consumed, lines] = parseDelimited(bytes, task.last, invalidUtf8);
  } catch (err) {
    lines = rangeLines;
    // Thrown while validating a row (a --date-format token date-fns rejects only on some values):
    // the rows before it are sent with the error, so the main thread stops exactly where one thread would.
    const e = err as Error & { hint?: string };
    error = { name: e.name, message: e.message, hint: e.hint };
  }
  const batch = builder.take();
  const result: RangeResult = {
    type: 'result',
    id: task.id,
    batch,
    lines,
    consumed,
    length: bytes.length,
    invalidUtf8: invalidUtf8.summary(),
    error,
  };
  port.postMessage(result, batchTransferables(batch));
});
