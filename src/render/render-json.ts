import type { Report } from '../report/report-types.js';

/** SPEC §6, unrounded. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** JSON.stringify's 2-space layout of `value`, nested `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/** Array elements per piece: a slice of stakeholders is some hundreds of kilobytes of text. */
const SLICE = 1000;

/** What JSON.stringify({ k: array }, null, 2) writes around the array's elements. */
const WRAP_HEAD = '{\n  "k": [\n';
const WRAP_TAIL = '\n  ]\n}';

/**
 * The same text as `renderJson`, in pieces: a report on a million
 * stakeholders is longer than the longest string V8 can hold (about 512 MiB),
 * so its arrays are written a slice at a time. Joined, the pieces equal
 * `renderJson(report)` character for character.
 */
export function renderJsonParts(report: Report): Generator<string> {
  return jsonParts(report, SLICE);
}

/** renderJsonParts with `slice` array elements a piece (tests cut arrays small). */
export function* jsonParts(report: Report, slice: number): Generator<string> {
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j += slice) {
        // Inside { k: [...] } the elements sit two levels deep, as in the report, so
        // JSON.stringify indents them itself: one call a slice, no re-indenting.
        const text = JSON.stringify({ k: value.slice(j, j + slice) }, null, 2);
        yield `${text.slice(WRAP_HEAD.length, text.length - WRAP_TAIL.length)}${j + slice < value.length ? ',' : ''}\n`;
      }
      yield `  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${nested(value, 1)}${comma}\n`;
    }
  }
  yield '}\n';
}
