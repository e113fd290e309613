/**
 * Text from the data inside a GFM table cell or a sentence: nothing the data
 * holds can open a table column, a code span, a heading, a link or raw HTML.
 */
export function markdownCell(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1');
}
