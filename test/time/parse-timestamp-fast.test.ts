import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTimestampParser, IsoBytesReader } from '../../src/time/parse-timestamp.js';
import { Zone } from '../../src/time/zone.js';

/**
 * The digit-by-digit path for common ISO layouts must agree with the general
 * regex path on everything: valid values, impossible days, out-of-range
 * times, and near-miss strings.
 */
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

describe('fixed-layout ISO fast path', () => {
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

/**
 * The same fast path over bytes (parse workers read plain fields without
 * strings): wherever it answers, it answers exactly as the string parser does,
 * and it answers for every common layout, so it is not simply always null.
 */
/** The reader as a function of bytes: its day and instant, or null. */
function createIsoBytesParser(zone: Zone): (b: Uint8Array, s: number, e: number) => { day: number; instant: number } | null {
  const reader = new IsoBytesReader(zone);
  return (b, s, e) => (reader.read(b, s, e) ? { day: reader.day, instant: reader.instant } : null);
}

describe('fixed-layout ISO fast path over bytes', () => {
  const spaced = fc.tuple(fc.constantFrom('', ' ', '\t', '  '), isoArb, fc.constantFrom('', ' ', '\r', ' \t'));

  it('agrees with the string parser, trimming as String.prototype.trim does', () => {
    // One reader per zone for every value: the date it remembers must never leak into the next.
    const readers = zones.map(createIsoBytesParser);
    fc.assert(
      fc.property(spaced, fc.integer({ min: 0, max: 2 }), ([lead, text, trail], z) => {
        const value = lead + text + trail;
        const b = Buffer.from(`x,${value},y`, 'latin1');
        const fromBytes = readers[z](b, 2, 2 + value.length);
        const fromString = createTimestampParser(zones[z])(value);
        if (fromBytes !== null) expect(fromBytes).toEqual(fromString);
        // Every valid value of these layouts is read from its bytes.
        else expect(typeof fromString).toBe('string');
      }),
      { numRuns: 3000, seed: 44 },
    );
  });

  it('agrees on near-miss strings, leaving the ones it does not read to the string parser', () => {
    const fromBytes = createIsoBytesParser(zones[1]);
    const fromString = createTimestampParser(zones[1]);
    fc.assert(
      fc.property(isoArb, fc.nat(), fc.constantFrom('', 'x', ':', '-', '5', '.', 'Z', ' '), (text, at, ch) => {
        const i = at % (text.length + 1);
        const mutated = text.slice(0, i) + ch + text.slice(i + 1);
        const got = fromBytes(Buffer.from(mutated, 'latin1'), 0, mutated.length);
        if (got !== null) expect(got).toEqual(fromString(mutated));
      }),
      { numRuns: 3000, seed: 45 },
    );
  });

  it('reads the worked example layouts by hand', () => {
    const utc = createIsoBytesParser(zones[0]);
    const read = (s: string) => utc(Buffer.from(s, 'latin1'), 0, s.length);
    // 2024-01-10 is day 19732 since 1970-01-01 (54 years, 13 of them leap: 54·365 + 13 + 9).
    expect(read('2024-01-10T11:00:00Z')).toEqual({ day: 19732, instant: 19732 * 86_400_000 + 11 * 3_600_000 });
    expect(read('2024-01-10T23:30:00.250-02:00')).toEqual({ day: 19733, instant: 19733 * 86_400_000 + 3_600_000 + 1_800_000 + 250 });
    expect(read('2024-01-10')).toEqual({ day: 19732, instant: 19732 * 86_400_000 });
    // Epochs, other layouts, impossible days and years out of range are the string parser's.
    expect(read('1704880800')).toBeNull();
    expect(read('2024-02-30')).toBeNull();
    expect(read('1899-12-31')).toBeNull();
    expect(read('10/01/2024')).toBeNull();
  });
});
