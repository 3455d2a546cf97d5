// What a browser fetches after a page: the stylesheets, scripts (also module preloads) and images
// the HTML references (same origin only; a CDN is not the store under test) — a block theme's
// page references ~22 stylesheets and ~17 scripts. One visit (iteration) is one browser cache: an
// asset is fetched once per visit. Requests are tagged name=asset:css|asset:js|asset:img and
// kind=asset, never the URL; redirects are not followed (an asset that moved is a miss).

import { check } from 'k6';
import http from 'k6/http';
import { assetUrls, CONTENT_TYPE, MAX_ASSETS_PER_PAGE } from './asset-urls.ts';
import { base } from './plan-data.ts';

let cacheIter = -1;
let browserCache = new Set<string>();

/** Fetches the page's assets in parallel, as a browser does, skipping what this visit already has. */
export function fetchAssets(html: string): void {
  if (cacheIter !== __ITER) {
    cacheIter = __ITER;
    browserCache = new Set();
  }
  const todo = assetUrls(html, base)
    .filter((a) => !browserCache.has(a.url))
    .slice(0, MAX_ASSETS_PER_PAGE);
  if (todo.length === 0) return;
  for (const a of todo) browserCache.add(a.url);
  // responseType none: k6 does not keep the bytes; status and Content-Type say enough.
  const responses = http.batch(
    todo.map((a) => ({
      method: 'GET',
      url: a.url,
      params: { tags: { name: `asset:${a.kind}`, kind: 'asset' }, redirects: 0, responseType: 'none' as const },
    })),
  );
  check(responses, {
    'assets: each loads with its content type': (rs) =>
      rs.every((r, i) => r.status === 200 && CONTENT_TYPE[todo[i]!.kind].test(String(r.headers['Content-Type'] ?? ''))),
  });
}
