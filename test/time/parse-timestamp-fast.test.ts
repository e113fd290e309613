import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTimestampParser } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';

/**
 * The digit-by-digit path for common ISO layouts must agree with the general
 * regex path on everything: valid values, impossible days, out-of-range
 * times, and near-miss strings.
 */
describe('fixed-layout ISO fast path', () => {
  const zones = [new Zone('UTC'), new Zone('Europe/Berlin'), new Zone('America/New_York')];
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const isoArb = fc
    .record({
      y: fc.integer({ min: 1900, max: 2100 }),
      mo: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      h: fc.integer({ min: 0, max: 25 }),
      mi: fc.integer({ min: 0, max: 61 }),
      s: fc.integer({ min: 0, max: 61 }),
      ms: fc.option(fc.integer({ min: 0, max: 999 })),
      sep: fc.constantFrom('T', ' '),
      shape: fc.constantFrom('date', 'wall', 'Z', 'z', 'offset'),
      oh: fc.integer({ min: 0, max: 25 }),
      om: fc.integer({ min: 0, max: 61 }),
      sign: fc.constantFrom('+', '-'),
    })
    .map((p) => {
      const date = `${pad(p.y, 4)}-${pad(p.mo, 2)}-${pad(p.d, 2)}`;
      if (p.shape === 'date') return date;
      const time = `${date}${p.sep}${pad(p.h, 2)}:${pad(p.mi, 2)}:${pad(p.s, 2)}${p.ms === null ? '' : `.${pad(p.ms, 3)}`}`;
      if (p.shape === 'wall') return time;
      if (p.shape === 'offset') return `${time}${p.sign}${pad(p.oh, 2)}:${pad(p.om, 2)}`;
      return `${time}${p.shape}`;
    });

  it('agrees with the general path on generated ISO timestamps', () => {
    fc.assert(
      fc.property(isoArb, fc.integer({ min: 0, max: 2 }), (text, z) => {
        const general = createTimestampParser(zones[z], undefined, { fixedLayout: false });
        expect(createTimestampParser(zones[z])(text)).toEqual(general(text));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('agrees on near-miss strings', () => {
    const parse = createTimestampParser(zones[1]);
    const general = createTimestampParser(zones[1], undefined, { fixedLayout: false });
    fc.assert(
      fc.property(isoArb, fc.nat(), fc.constantFrom('', 'x', ':', '-', '5', '.', 'Z'), (text, at, ch) => {
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + ch + text.slice(i + 1);
        expect(parse(mutated)).toEqual(general(mutated));
      }),
      { numRuns: 3000, seed: 43 },
    );
  });
});
