/**
 * Typed errors that reach the CLI's single top-level handler. Every one of them
 * maps to exit code 2 (usage, configuration or input problem); a breached
 * threshold is not an error but a computed result, so it has no class here.
 */
export abstract class EngageAuditError extends Error {
  readonly exitCode = 2;
  /** One extra line telling the user what to do, printed under the message. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** Bad flags, impossible settings, a calendar that cannot be measured. */
export class UsageError extends EngageAuditError {}

/** A configuration file that cannot be read or fails validation. */
export class ConfigError extends EngageAuditError {}

export interface InputLocation {
  file: string;
  line?: number;
  field?: string;
}

/** An input file (log or events) that cannot be used, with where and why. */
export class InputError extends EngageAuditError {
  readonly location: InputLocation | undefined;
  constructor(message: string, location?: InputLocation, hint?: string) {
    super(location ? `${formatLocation(location)}: ${message}` : message, hint);
    this.location = location;
  }
}

export function formatLocation(loc: InputLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.field !== undefined) s += ` (field "${loc.field}")`;
  return s;
}

/**
 * JSON.parse's message with its character offset turned into a line and a
 * column, which an editor can go to: "… in JSON at position 12" → "… (line 3,
 * column 1)". Newer V8 adds "(line 3 column 1)" itself; that goes too, so the
 * place is given once.
 */
export function jsonSyntaxText(err: unknown, text: string): string {
  const message = (err as Error).message;
  const m = /(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
  if (m === null) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.slice(0, m.index)}${message.slice(m.index + m[0].length)} (line ${line}, column ${column})`;
}
