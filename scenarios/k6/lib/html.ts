// Content checks on HTML bodies by plain substring search: fast enough to run on every response
// (parsing HTML per request would cost more k6 CPU than the request itself).

import type { RefinedResponse, ResponseType } from 'k6/http';

export function bodyText(r: RefinedResponse<ResponseType | undefined>): string {
  return typeof r.body === 'string' ? r.body : '';
}

/** True when `html` shows `text` raw or HTML-escaped (as WordPress prints titles: &amp;, &#8217;…). */
export function showsText(html: string, text: string): boolean {
  if (html.includes(text)) return true;
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return (
    html.includes(escaped) ||
    html.includes(escaped.replace(/'/g, '&#039;')) ||
    html.includes(escaped.replace(/'/g, '&#8217;')) ||
    html.includes(escaped.replace(/&amp;/g, '&#038;'))
  );
}

/** True when `html` links to `path` (as href="/path" or href="https://host/path"). */
export function linksTo(html: string, path: string): boolean {
  return html.includes(`${path}"`) || html.includes(`${path}'`);
}

/**
 * True when `html` shows `price` as a store prints it: 2 decimals, with or without a thousands
 * separator ("1,234.50" or "1234.50"), not inside a longer number.
 */
export function showsPrice(html: string, price: number | string): boolean {
  const n = Number(price);
  if (!Number.isFinite(n)) return html.includes(String(price));
  const [int, frac] = n.toFixed(2).split('.') as [string, string];
  const forms = [`${int}.${frac}`, `${int.replace(/\B(?=(\d{3})+$)/g, ',')}.${frac}`];
  return forms.some((f) => new RegExp(`(^|[^0-9.,])${f.replace(/\./g, '\\.')}(?![0-9])`).test(html));
}

export function randomIndex(n: number): number {
  return Math.floor(Math.random() * n);
}
