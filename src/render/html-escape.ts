/** Escaping for the HTML report: every piece of text that comes from the data goes through here. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values (also
 * inside inline SVG): & < > " ' become entities. Null and undefined give ''.
 */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** ` name="value"` with the value escaped; nothing when the value is null or undefined. */
export function attr(name: string, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return ` ${name}="${escapeHtml(value)}"`;
}

