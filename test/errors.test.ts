import { describe, expect, it } from 'vitest';
import { jsonSyntaxText } from '../src/errors.js';

const messageOf = (text: string): string => {
  try {
    JSON.parse(text);
  } catch (err) {
    return jsonSyntaxText(err, text);
  }
  throw new Error('expected invalid JSON');
};

describe('jsonSyntaxText', () => {
  it('turns the offset into a line and a column an editor can go to', () => {
    // The trailing comma's closing brace is the first character of line 3.
    // Whatever V8's wording, the place comes last, once, as a line and a column.
    expect(messageOf('{\n  "before": 7,\n}')).toMatch(/^[^()]* \(line 3, column 1\)$/);
    expect(messageOf('{"a":1 "b":2}')).toMatch(/^[^()]* \(line 1, column 8\)$/);
    expect(jsonSyntaxText(new SyntaxError("Expected ',' or '}' after property value in JSON at position 7"), '{"a":1 "b":2}')).toBe(
      "Expected ',' or '}' after property value (line 1, column 8)",
    );
  });

  it('gives the place once when newer V8 has added its own', () => {
    const text = '{\n  "a": 1,\n}';
    const node22 = new SyntaxError('Expected double-quoted property name in JSON at position 12 (line 3 column 1)');
    expect(jsonSyntaxText(node22, text)).toBe('Expected double-quoted property name (line 3, column 1)');
  });

  it('leaves a message without an offset as it is', () => {
    expect(messageOf('')).toBe('Unexpected end of JSON input');
    expect(jsonSyntaxText(new Error('something else'), 'x')).toBe('something else');
  });
});
