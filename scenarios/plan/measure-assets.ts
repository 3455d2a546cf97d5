// How many assets a page view of this store loads, measured on its own pages before the run: a
// browse visit's home, category and product pages are fetched once (3 GETs, no redirect
// followed, only to a host on the allowlist) and read as the k6 journeys read them
// (k6/lib/asset-urls.ts, one browser cache per visit, at most MAX_ASSETS_PER_PAGE per page).
// --peak-rps then counts the assets this store really has, not a guess.

import { assetUrls, MAX_ASSETS_PER_PAGE } from '../k6/lib/asset-urls.ts';
import type { Catalogue } from './catalogue-schema.ts';
import type { AssetsPerPage } from './peak-rps.ts';
import { checkTarget } from './safety.ts';

/** Per page: a store that takes longer than this to answer one page is measured as "not measured". */
const PAGE_TIMEOUT_MS = 10_000;

/** Pure: a visit over these pages (HTML, in order): what its first page loads, and the mean a later page adds. */
export function assetsOfVisit(htmls: readonly string[], baseUrl: string): AssetsPerPage {
  const origin = baseUrl.replace(/\/+$/, '');
  const cache = new Set<string>();
  const counts = htmls.map((html) => {
    const todo = assetUrls(html, origin)
      .filter((a) => !cache.has(a.url))
      .slice(0, MAX_ASSETS_PER_PAGE);
    for (const a of todo) cache.add(a.url);
    return todo.length;
  });
  const later = counts.slice(1);
  return {
    first: counts[0] ?? 0,
    later: later.length ? Math.round((10 * later.reduce((a, b) => a + b, 0)) / later.length) / 10 : 0,
  };
}

export type AssetMeasurement = (AssetsPerPage & { pages: string[] }) | { failed: string };

/**
 * Fetches home → a category → one of its products on `baseUrl` and counts their assets. Never
 * throws: a store that cannot be read gives `{ failed }` (the plan then uses the default).
 */
export async function measureAssets(
  baseUrl: string,
  catalogue: Pick<Catalogue, 'categories' | 'products'>,
  allowHosts: readonly string[],
): Promise<AssetMeasurement> {
  const refused = checkTarget(baseUrl, allowHosts);
  if (refused) return { failed: refused.message };
  const product = catalogue.products.find((p) => catalogue.categories.some((c) => c.slug === p.category));
  const category = catalogue.categories.find((c) => c.slug === product?.category);
  const paths = ['/', ...(category ? [category.path] : []), ...(product ? [product.path] : [])];
  const origin = baseUrl.replace(/\/+$/, '');
  const htmls: string[] = [];
  const pages: string[] = [];
  for (const path of paths) {
    try {
      const res = await fetch(origin + path, { redirect: 'manual', signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
      const html = await res.text();
      if (res.status !== 200) {
        if (path === '/') return { failed: `${origin}/ answered ${res.status}` };
        continue;
      }
      htmls.push(html);
      pages.push(path);
    } catch (e) {
      if (path === '/') return { failed: `${origin}/ could not be read (${(e as Error).message})` };
    }
  }
  return { ...assetsOfVisit(htmls, origin), pages };
}
