// Which assets a page references, as a browser reads its HTML: stylesheets, scripts (and module
// preloads), images, on the store's own origin, in page order. Pure (tested in Node).

export type AssetKind = 'css' | 'js' | 'img';
export interface Asset {
  url: string;
  kind: AssetKind;
}

/** Room for a block theme's ~39 stylesheets and scripts plus a few images; a page load, not a crawl. */
export const MAX_ASSETS_PER_PAGE = 48;

const HREF = /\bhref=["']([^"']+)["']/i;
const SRC = /\bsrc=["']([^"']+)["']/i;
const PATTERNS: Array<[AssetKind, RegExp, RegExp]> = [
  ['css', /<link\b[^>]*\brel=["']stylesheet["'][^>]*>/gi, HREF],
  ['js', /<script\b[^>]*\bsrc=["'][^"']+["'][^>]*>/gi, SRC],
  ['js', /<link\b[^>]*\brel=["']modulepreload["'][^>]*>/gi, HREF],
  ['img', /<img\b[^>]*\bsrc=["'][^"']+["'][^>]*>/gi, SRC],
];
export const CONTENT_TYPE: Record<AssetKind, RegExp> = {
  css: /text\/css/i,
  js: /javascript|ecmascript/i,
  img: /^image\//i,
};

/** Pure: same-origin assets referenced by `html`, absolute, by kind (CSS, JS, images) in page order, no duplicates. */
export function assetUrls(html: string, origin: string): Asset[] {
  const out: Asset[] = [];
  const seen = new Set<string>();
  for (const [kind, tag, attr] of PATTERNS) {
    for (const m of html.match(tag) ?? []) {
      const raw = attr.exec(m)?.[1]?.replace(/&#0?38;|&amp;/g, '&');
      if (!raw) continue;
      const url = raw.startsWith(`${origin}/`)
        ? raw
        : raw.startsWith('/') && !raw.startsWith('//')
          ? origin + raw
          : undefined;
      if (url && !seen.has(url)) {
        seen.add(url);
        out.push({ url, kind });
      }
    }
  }
  return out;
}
