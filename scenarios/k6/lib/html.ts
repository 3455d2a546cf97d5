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

export function randomIndex(n: number): number {
  return Math.floor(Math.random() * n);
}
