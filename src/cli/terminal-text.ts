import { printable } from '../render/format-number.js';

/** Longest message line written to stderr; data quoted in a message can be megabytes. */
const MAX_MESSAGE = 2000;

/**
 * A message for stderr that quotes input data: control characters (ESC of a
 * colour or screen-clearing sequence, BEL, CR…) become U+FFFD instead of acting
 * on the terminal, line breaks are kept, and an overlong message is cut.
 */
export function terminalSafe(message: string): string {
  const safe = message.split('\n').map(printable).join('\n');
  return safe.length <= MAX_MESSAGE ? safe : `${safe.slice(0, MAX_MESSAGE - 1)}…`;
}
