// What a browser fetches after a page: its stylesheets, scripts and images (same origin only;
// a CDN is not the store under test). One visit (iteration) is one browser cache: an asset is
// fetched once per visit. Requests are tagged name=asset:css|asset:js|asset:img, never the URL.

import { check } from 'k6';
import http from 'k6/http';
import { base } from './plan-data.ts';

export type AssetKind = 'css' | 'js' | 'img';
export interface Asset {
  url: string;
  kind: AssetKind;
}

/** A page references more than a browser fetches at once; enough to load the store, not a crawl. */
const MAX_ASSETS_PER_PAGE = 24;

const PATTERNS: Array<[AssetKind, RegExp]> = [
  ['css', /<link\b[^>]*\brel=["']stylesheet["'][^>]*>/gi],
  ['js', /<script\b[^>]*\bsrc=["'][^"']+["'][^>]*>/gi],
  ['img', /<img\b[^>]*\bsrc=["'][^"']+["'][^>]*>/gi],
];
const ATTR: Record<AssetKind, RegExp> = { css: /\bhref=["']([^"']+)["']/i, js: /\bsrc=["']([^"']+)["']/i, img: /\bsrc=["']([^"']+)["']/i };
const CONTENT_TYPE: Record<AssetKind, RegExp> = { css: /text\/css/i, js: /javascript|ecmascript/i, img: /^image\//i };

/** Pure: same-origin assets referenced by `html`, absolute, in page order, without duplicates. */
export function assetUrls(html: string, origin: string): Asset[] {
  const out: Asset[] = [];
  const seen = new Set<string>();
  for (const [kind, tag] of PATTERNS) {
    for (const m of html.match(tag) ?? []) {
      const raw = ATTR[kind].exec(m)?.[1]?.replace(/&#0?38;|&amp;/g, '&');
      if (!raw) continue;
      const url = raw.startsWith(`${origin}/`) ? raw : raw.startsWith('/') && !raw.startsWith('//') ? origin + raw : undefined;
      if (url && !seen.has(url)) {
        seen.add(url);
        out.push({ url, kind });
      }
    }
  }
  return out;
}

let cacheIter = -1;
let browserCache = new Set<string>();

/** Fetches the page's assets in parallel, as a browser does, skipping what this visit already has. */
export function fetchAssets(html: string): void {
  if (cacheIter !== __ITER) {
    cacheIter = __ITER;
    browserCache = new Set();
  }
  const todo = assetUrls(html, base).filter((a) => !browserCache.has(a.url)).slice(0, MAX_ASSETS_PER_PAGE);
  if (todo.length === 0) return;
  for (const a of todo) browserCache.add(a.url);
  // responseType none: k6 does not keep the bytes; status and Content-Type say enough.
  const responses = http.batch(todo.map((a) => ({ method: 'GET', url: a.url, params: { tags: { name: `asset:${a.kind}` }, responseType: 'none' as const } })));
  check(responses, {
    'assets: each loads with its content type': (rs) =>
      rs.every((r, i) => r.status === 200 && CONTENT_TYPE[todo[i]!.kind].test(String(r.headers['Content-Type'] ?? ''))),
  });
}
