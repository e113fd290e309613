import type { Report } from '../report/report-types.js';

/** SPEC §6, unrounded. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** JSON.stringify's 2-space layout of `value`, nested `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * The same text as `renderJson`, in pieces: a report on a million
 * stakeholders is longer than the longest string V8 can hold (about 512 MiB),
 * so its arrays are written element by element. Joined, the pieces equal
 * `renderJson(report)` character for character.
 */
export function* renderJsonParts(report: Report): Generator<string> {
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
      for (let j = 0; j < value.length; j++) {
        yield `    ${nested(value[j] === undefined ? null : value[j], 2)}${j < value.length - 1 ? ',' : ''}\n`;
      }
      yield `  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${nested(value, 1)}${comma}\n`;
    }
  }
  yield '}\n';
}
