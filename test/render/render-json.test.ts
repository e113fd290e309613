import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonParts, renderJson, renderJsonParts } from '../../src/render/render-json.js';
import type { Report } from '../../src/report/report-types.js';

/** Anything JSON can hold, nested, including the undefined that JSON.stringify drops. */
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1.5, 1e300, 'x', '', '"quoted"\n', 'ünï'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'id', 'weird "key"'), tie('value'), { maxKeys: 3 }),
  ),
}));

describe('renderJsonParts', () => {
  it('joins to exactly what JSON.stringify(report, null, 2) writes, whatever the slice of array elements a piece', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('schemaVersion', 'input', 'stakeholders', 'segments', 'gate', 'empty'), fc.oneof(jsonish.value, fc.constant(undefined)), { maxKeys: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (report, slice) => {
          const want = renderJson(report as unknown as Report);
          expect([...jsonParts(report as unknown as Report, slice)].join('')).toBe(want);
          expect([...renderJsonParts(report as unknown as Report)].join('')).toBe(want);
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });

  it('writes a long array a thousand elements a piece, never as one string', () => {
    const stakeholders = Array.from({ length: 2500 }, (_, i) => ({ id: `S${i}`, spikiness: i / 7, dims: { region: 'EU' } }));
    const report = { schemaVersion: 1, stakeholders } as unknown as Report;
    const parts = [...renderJsonParts(report)];
    // The opening, three slices (1000, 1000, 500), the closing.
    expect(parts.filter((p) => p.includes('"id"')).map((p) => p.match(/"id"/g)!.length)).toEqual([1000, 1000, 500]);
    expect(parts.join('')).toBe(renderJson(report));
  });
});
