// Escaping for every string that comes from data (journey and endpoint names, check names,
// file names, corrupt-line text): k6 tags are user-controlled and may hold markup.

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in HTML text and in quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * Safe inside a GitHub-flavoured Markdown table cell, which is also rendered as HTML in a CI job
 * summary: markup characters become entities, Markdown syntax is backslash-escaped, line breaks
 * become spaces.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>"']/g, (c) => HTML[c])
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}
