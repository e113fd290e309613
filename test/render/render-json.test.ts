import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderJson, renderJsonParts } from '../../src/render/render-json.js';
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
  it('joins to exactly what JSON.stringify(report, null, 2) writes', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('schemaVersion', 'input', 'stakeholders', 'segments', 'gate', 'empty'), fc.oneof(jsonish.value, fc.constant(undefined)), { maxKeys: 6 }),
        (report) => {
          expect([...renderJsonParts(report as unknown as Report)].join('')).toBe(renderJson(report as unknown as Report));
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });

  it('writes a long array element by element, never as one string', () => {
    const stakeholders = Array.from({ length: 1000 }, (_, i) => ({ id: `S${i}`, spikiness: i / 7, dims: { region: 'EU' } }));
    const parts = [...renderJsonParts({ schemaVersion: 1, stakeholders } as unknown as Report)];
    expect(parts.length).toBeGreaterThan(1000);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(200);
    expect(JSON.parse(parts.join(''))).toEqual({ schemaVersion: 1, stakeholders });
  });
});
