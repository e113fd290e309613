const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Data text made inert in Markdown, on one line: HTML-significant characters
 * as entities, Markdown punctuation backslash-escaped (`_` only where it could
 * start or end emphasis), a leading `#` escaped, URL and e-mail autolinks
 * broken, line breaks and other control characters (ANSI escapes among them)
 * turned into spaces, whitespace runs collapsed.
 */
export function mdText(value: string): string {
  const s = value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    switch (c) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '|':
      case '~':
      case '@': // e-mail autolinks
        out += `\\${c}`;
        break;
      case '_':
        out += isWordChar(s[i - 1]) && isWordChar(s[i + 1]) ? c : '\\_';
        break;
      case '#':
        out += i === 0 ? '\\#' : c;
        break;
      case ':':
        out += s.startsWith('//', i + 1) ? '\\:' : c; // http:// autolinks
        break;
      default:
        if ((c === 'w' || c === 'W') && !isWordChar(s[i - 1]) && s.slice(i, i + 4).toLowerCase() === 'www.') {
          out += `${s.slice(i, i + 3)}\\.`; // www. autolinks
          i += 3;
        } else out += c;
    }
  }
  return out;
}
