import { isUtf8 } from 'node:buffer';

/**
 * The lines of one input that hold bytes which are not valid UTF-8 (a
 * Windows-1252 "Müller" is 4D FC 6C 6C 65 72). They are still read, with
 * U+FFFD in place of the bad bytes, but the user is told where, since ids
 * and names then no longer match their correctly encoded spellings.
 */
export class InvalidUtf8Lines {
  /** The first such line (1-based); 0 while there is none. */
  firstLine = 0;
  /** How many lines (records, for a CSV record spanning lines) hold invalid bytes. */
  count = 0;
  private lastLine = 0;

  note(line: number): void {
    if (line === this.lastLine) return;
    this.lastLine = line;
    if (this.count === 0) this.firstLine = line;
    this.count++;
  }

  /**
   * Checks bytes [start, end) of `b`, which a reader has just decoded as line
   * `line`. Readers call it only where bytes are not all ASCII, which keeps
   * the check off the common path.
   */
  check(b: Buffer, start: number, end: number, line: number): void {
    if (!isUtf8(b.subarray(start, end))) this.note(line);
  }

  /**
   * For readers that decode before they know the lines (the JSON array reader):
   * notes every line of `text`, which starts on line `firstLine`, that holds
   * U+FFFD. A U+FFFD that was in the file as valid UTF-8 is noted too; it
   * almost always marks an earlier broken conversion anyway.
   */
  noteReplacements(text: string, firstLine: number): void {
    let line = firstLine;
    let from = 0;
    for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
      for (let nl = text.indexOf('\n', from); nl >= 0 && nl < i; nl = text.indexOf('\n', nl + 1)) {
        line++;
        from = nl + 1;
      }
      this.note(line);
    }
  }

  /** Adds the findings of a later stretch of the same input (read by another thread). */
  merge(firstLine: number, lines: number): void {
    if (lines === 0) return;
    if (this.count === 0) this.firstLine = firstLine;
    this.count += lines;
    this.lastLine = 0;
  }

  summary(): { firstLine: number; lines: number } | null {
    return this.count === 0 ? null : { firstLine: this.firstLine, lines: this.count };
  }
}

/**
 * The warning for a file with invalid UTF-8: where, what was done, and how to
 * convert it, as a command that works: a gzip file is unpacked first, and the
 * copy keeps its format's extension, by which it is read again.
 */
export function describeInvalidUtf8(file: string, found: { firstLine: number; lines: number }, input: { format: string; gzip: boolean } = { format: 'csv', gzip: false }): string {
  const where =
    found.lines === 1
      ? `line ${found.firstLine} holds bytes`
      : `${found.lines.toLocaleString('en-US')} lines hold bytes (the first is line ${found.firstLine})`;
  const iconv = 'iconv -f WINDOWS-1252 -t UTF-8';
  const quoted = `'${file.replace(/'/g, "'\\''")}'`;
  const convert =
    file === '<stdin>'
      ? `pipe it through ${input.gzip ? `gunzip -c | ${iconv}` : iconv}`
      : `convert it with ${input.gzip ? `gunzip -c ${quoted} | ${iconv}` : `${iconv} ${quoted}`} > utf8.${input.format} and read that`;
  return `${file}: ${where} that are not valid UTF-8, read as U+FFFD (\uFFFD). The file is probably in a legacy encoding such as Windows-1252 (Excel's "CSV" on Windows): ${convert}`;
}
