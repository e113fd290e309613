import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, neutraliseFormula, toCsvRow } from '../../src/render/csv-cell.js';

describe('csvCell: formula injection (OWASP)', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1+2', "'-1+2"],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['\t=1', "'\t=1"],
  ])('text %j starting with a trigger gets a leading quote: %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('a leading carriage return is neutralised and, being a line break, quoted', () => {
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
  });

  it('a trigger that needs quoting too: prefixed first, then quoted with doubled quotes', () => {
    expect(csvCell(`=cmd|' /C calc'!A0`)).toBe(`'=cmd|' /C calc'!A0`);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('-1,2')).toBe(`"'-1,2"`);
  });

  it('a trigger anywhere but the start is left alone', () => {
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell('HCP-001')).toBe('HCP-001');
    expect(csvCell(' =1')).toBe(' =1');
    expect(csvCell('x\t@')).toBe('x\t@');
  });

  it('text that already starts with quotes before a trigger gets one more, so the rule can be undone', () => {
    expect(csvCell("'=1")).toBe("''=1");
    expect(csvCell("''+x")).toBe("'''+x");
    // A quote not followed by a trigger is ordinary text.
    expect(csvCell("'s-Hertogenbosch")).toBe("'s-Hertogenbosch");
  });

  it('numbers the tool computes stay numbers, negative ones included', () => {
    expect(csvCell(-14)).toBe('-14');
    expect(csvCell(-0.3)).toBe('-0.3');
    expect(csvCell(0)).toBe('0');
    expect(csvCell(1e-7)).toBe('1e-7');
  });

  it('numeric-looking text from the input is still text, and still neutralised', () => {
    expect(csvCell('-14')).toBe("'-14");
    expect(csvCell('+33 1 23 45 67 89')).toBe("'+33 1 23 45 67 89");
  });

  it('null and undefined are empty cells; plain text is as before', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('a row mixes text and numbers', () => {
    expect(toCsvRow(['=x', -3, null, 'y,z'])).toBe(`'=x,-3,,"y,z"\n`);
  });

  it('any text reads back as the neutralised text, and dropping one leading quote after a trigger recovers it', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', 'a', '1', ' ') }), (s) => {
        const [[back]] = parse(toCsvRow([s, 'end']), { relax_column_count: true }) as string[][];
        expect(back).toBe(neutraliseFormula(s));
        expect(back).not.toMatch(/^[=+\-@\t\r]/);
        const undone = /^'+[=+\-@\t\r]/.test(back) ? back.slice(1) : back;
        expect(undone).toBe(s);
      }),
    );
  });
});
