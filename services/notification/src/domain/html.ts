/**
 * The only ways text reaches an email's HTML: escaped for element content and quoted attributes,
 * URLs kept to http(s) (no `javascript:`), colours kept to hex. Everything a club or an event
 * supplies (its name, a facility's name, an admin's announcement) passes through here.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** Escaped text with its line breaks kept: paragraphs on blank lines, <br> within one. */
export function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p style="margin:0 0 16px 0">${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** The URL normalised when it is absolute http(s); null for anything else (javascript:, data:, relative). */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** A #rgb / #rrggbb colour as given, else `fallback` (a style attribute takes nothing else from a club). */
export function safeColour(value: string | null | undefined, fallback: string): string {
  return value && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(value) ? value : fallback;
}
