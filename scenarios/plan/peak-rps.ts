// What --peak-rps counts: every HTTP request a journey makes — pages, Store API calls, and the
// stylesheets, scripts and images each page view loads. A journey's requests are its page
// requests and API calls (scenarios/shared/journeys.ts) plus its assets: the first page of a
// visit loads `first` assets, each later page only the `later` ones the visit has not fetched yet
// (k6/lib/assets.ts keeps one browser cache per iteration). Pure.

import { MAX_ASSETS_PER_PAGE } from '../k6/lib/asset-urls.ts';
import { JOURNEYS, type JourneyName } from '../shared/journeys.ts';

/** Assets one page view loads: the visit's first page, and each later page of the same visit. */
export interface AssetsPerPage {
  first: number;
  later: number;
}

/**
 * Used when the store's pages cannot be measured (measure-assets.ts) and --assets-per-page is not
 * given: a real WooCommerce 10 store under its block theme (twentytwentyfive) references ~22
 * stylesheets and ~17 scripts on every page, plus a product image; a later page adds its own images.
 */
export const DEFAULT_ASSETS_PER_PAGE: AssetsPerPage = { first: 40, later: 4 };

/** k6 fetches at most this many assets per page view (k6/lib/asset-urls.ts). */
export const ASSET_LIMIT = MAX_ASSETS_PER_PAGE;

/** k6's default batchPerHost: a page's asset batch goes out this many at a time. */
const BATCH_PER_HOST = 6;

function journey(name: string) {
  return JOURNEYS[name as JourneyName];
}

/** Asset requests of one iteration of this journey. */
export function assetRequests(name: string, assets: AssetsPerPage): number {
  const pages = journey(name).pages;
  return pages > 0 ? Math.min(assets.first, ASSET_LIMIT) + (pages - 1) * Math.min(assets.later, ASSET_LIMIT) : 0;
}

/** Every HTTP request one iteration of this journey makes, assets included. */
export function journeyRequests(name: string, assets: AssetsPerPage): number {
  const j = journey(name);
  return j.pages + j.bareRequests + j.apiCalls + assetRequests(name, assets);
}

/**
 * Requests one after the other in an iteration (for VU sizing): each page and API call, plus its
 * asset batch in rounds of k6's batchPerHost parallel requests.
 */
export function serialRequests(name: string, assets: AssetsPerPage): number {
  const j = journey(name);
  const rounds = (n: number) => Math.ceil(Math.min(n, ASSET_LIMIT) / BATCH_PER_HOST);
  const assetRounds = j.pages > 0 ? rounds(assets.first) + (j.pages - 1) * rounds(assets.later) : 0;
  return j.pages + j.bareRequests + j.apiCalls + assetRounds;
}

/** Requests one journey start makes on average under this mix (weights need not sum to 1). */
export function requestsPerStart(mix: Readonly<Record<string, number>>, assets: AssetsPerPage): number {
  let weight = 0;
  let requests = 0;
  for (const [name, w] of Object.entries(mix)) {
    weight += w;
    requests += w * journeyRequests(name, assets);
  }
  return weight > 0 ? requests / weight : 0;
}

/** Journey starts per second that make `peakRps` requests per second at the peak. */
export function peakRateFromRps(mix: Readonly<Record<string, number>>, peakRps: number, assets: AssetsPerPage): number {
  const perStart = requestsPerStart(mix, assets);
  return perStart > 0 ? peakRps / perStart : NaN;
}
