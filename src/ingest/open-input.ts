import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';

export const STDIN_NAME = '-';

export interface OpenedInput {
  /** Decompressed bytes, starting with `head`. */
  stream: Readable;
  /** Size of the file on disk (compressed, for .gz); null for standard input. */
  totalBytes: number | null;
  /** Bytes read from the file so far (compressed, for .gz), for progress. */
  bytesRead(): number;
  /** The first bytes of the decompressed content, for sniffing. */
  head: Buffer;
  gzip: boolean;
  /** The encoding on disk; the stream is UTF-8 whatever it is. */
  encoding: InputEncoding;
}

export type InputEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const HEAD_BYTES = 64 * 1024;

/** Reads up to `n` bytes from the front of a stream and returns them with a stream that replays everything. */
async function peek(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
  }
  const head = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    }
  }
  return { head, stream: Readable.from(replay(), { objectMode: false }) };
}

function describeIoError(err: unknown, file: string): InputError {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return new InputError('no such file', { file }, 'Check the path; use - to read standard input.');
    case 'EACCES':
    case 'EPERM':
      return new InputError('permission denied', { file });
    case 'EISDIR':
      return new InputError('is a directory, not a file', { file });
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return new InputError(`the gzip data is corrupt (${e.message})`, { file }, 'Re-compress or re-export the file.');
    default:
      return new InputError(`cannot read: ${e.message}`, { file });
  }
}

/** UTF-16 is recognised by its byte order mark only; without one it is refused as binary (NUL bytes). */
function utf16Of(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * UTF-16 bytes re-encoded as UTF-8, so every reader sees one encoding (Excel's
 * "Unicode text" export is UTF-16LE). The decoder drops the BOM and carries a
 * character split between chunks; big-endian pairs are swapped to little-endian
 * first, since Node's decoder for utf-16be depends on the ICU build.
 */
function utf16ToUtf8(stream: Readable, encoding: 'utf-16le' | 'utf-16be'): Readable {
  async function* recode(): AsyncGenerator<Buffer> {
    const decoder = new TextDecoder('utf-16le');
    let odd: Buffer | null = null;
    for await (const chunk of stream) {
      let bytes = chunk as Buffer;
      if (encoding === 'utf-16be') {
        if (odd !== null) bytes = Buffer.concat([odd, bytes]);
        const even = bytes.length - (bytes.length % 2);
        odd = even < bytes.length ? Buffer.from(bytes.subarray(even)) : null;
        // A copy: swap16 works in place and the chunk may be shared.
        bytes = Buffer.from(bytes.subarray(0, even)).swap16();
      }
      const text = decoder.decode(bytes, { stream: true });
      if (text.length > 0) yield Buffer.from(text, 'utf8');
    }
    // A dangling odd byte becomes U+FFFD, as an unpaired one in little-endian input does.
    const rest = decoder.decode(odd ?? new Uint8Array(0));
    if (rest.length > 0) yield Buffer.from(rest, 'utf8');
  }
  return Readable.from(recode(), { objectMode: false });
}

/**
 * Opens a log for streaming: a path, or `-` for standard input. Gzip is
 * recognised by its magic bytes, so a compressed file works whatever its name;
 * UTF-16 by its byte order mark, and the content is then handed on as UTF-8.
 */
export async function openInput(file: string, stdin: Readable, displayName: string): Promise<OpenedInput> {
  let raw: Readable;
  let totalBytes: number | null = null;
  if (file === STDIN_NAME) {
    raw = stdin;
  } else {
    try {
      const st = await stat(file);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      totalBytes = st.size;
    } catch (err) {
      throw describeIoError(err, file);
    }
    raw = createReadStream(file, { highWaterMark: HEAD_BYTES });
  }
  let consumed = 0;
  raw.on('data', (chunk: Buffer) => {
    consumed += chunk.length;
  });
  try {
    const first = await peek(raw, 2);
    const gzip = first.head.length >= 2 && first.head[0] === 0x1f && first.head[1] === 0x8b;
    let content = first.stream;
    if (gzip) {
      const gunzip = createGunzip();
      content.on('error', (err) => gunzip.destroy(err));
      content = content.pipe(gunzip);
    }
    let withHead = await peek(content, HEAD_BYTES);
    const utf16 = utf16Of(withHead.head);
    if (utf16 !== null) withHead = await peek(utf16ToUtf8(withHead.stream, utf16), HEAD_BYTES);
    const stream = withHead.stream;
    return {
      stream: rethrowAsInputError(stream, displayName),
      head: withHead.head,
      gzip,
      encoding: utf16 ?? 'utf-8',
      totalBytes,
      bytesRead: () => consumed,
    };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw describeIoError(err, displayName);
  }
}

/** Turns read and gunzip failures mid-stream into InputErrors that name the file. */
function rethrowAsInputError(stream: Readable, file: string): Readable {
  async function* guarded(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (err) {
      throw describeIoError(err, file);
    }
  }
  return Readable.from(guarded(), { objectMode: false });
}
