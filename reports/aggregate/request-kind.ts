// What a request is: a page (HTML a shopper waits for), an API call (cart, checkout) or an asset
// (stylesheet, script, image). SLO latency limits apply to pages and API calls; assets are
// reported apart, so a fast CSS file cannot hide a slow page in a journey's p95.

export type RequestKind = 'page' | 'api' | 'asset';

/**
 * The k6 `kind` tag when the journeys set it; otherwise (runs from before the tag) the endpoint
 * name the journeys have always used: "asset:*" for assets, "api:*" for Store API calls.
 */
export function requestKind(kindTag: string, name: string): RequestKind {
  if (kindTag === 'page' || kindTag === 'api' || kindTag === 'asset') return kindTag;
  if (name.startsWith('asset:')) return 'asset';
  if (name.startsWith('api:') || name.includes('/wp-json/') || name.includes('wc-ajax=')) return 'api';
  if (/\.(css|js|mjs|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|eot|map)(\?|$)/i.test(name)) return 'asset';
  return 'page';
}
