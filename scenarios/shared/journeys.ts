// The journeys Rehearse knows. Shared by the Node side (profile validation, plan sizing) and the
// k6 side (entry.ts exports one function per journey, named by `exec`). Pure data: no imports.
// Adding a journey = a row here + scenarios/k6/journeys/<name>.ts + an export in entry.ts.
//
// The request counts are what the k6 code in scenarios/k6/journeys/ sends, so `--peak-rps` turns
// into the right journey rate (scenarios/plan/peak-rps.ts adds the assets each page view loads).
// scenarios/plan/arrivals-k6.integration.test.ts holds them to what k6 sends per iteration.

export interface JourneySpec {
  /** Name of the function entry.ts exports for this journey (k6 scenario `exec`). */
  readonly exec: string;
  /** Page views that load their assets (lib/pages.ts visit: the HTML, then one parallel batch of assets). */
  readonly pages: number;
  /** Page requests that load no assets: a form post, a redirect followed to a page read without its assets. */
  readonly bareRequests: number;
  /** Store API calls (kind=api). */
  readonly apiCalls: number;
  /** Think-time pauses one iteration takes (for VU sizing). */
  readonly thinkSteps: number;
  readonly description: string;
}

export const JOURNEYS = {
  browse: {
    exec: 'browse',
    pages: 3, // home, category, product
    bareRequests: 0,
    apiCalls: 0,
    thinkSteps: 2,
    description: "anonymous visitor: home → category → product (popular), with each page's CSS, scripts and images",
  },
  search: {
    exec: 'search',
    // home, search results, product. A store that redirects a one-product search (WooCommerce
    // does) sends the same 3 page requests (the 302 instead of the results page) with one page of
    // assets fewer: within the same visit, only the results' own images.
    pages: 3,
    bareRequests: 0,
    apiCalls: 0,
    thinkSteps: 2,
    description: 'anonymous visitor: home → product search → the product found (or the one a search redirects to)',
  },
  cart: {
    exec: 'cart',
    pages: 1, // product
    bareRequests: 0,
    apiCalls: 3, // GET cart (Nonce), add-item, GET cart
    thinkSteps: 2,
    description: 'product page → Store API cart (Nonce) → add-item → view cart',
  },
  checkout: {
    exec: 'checkout',
    pages: 1, // product
    bareRequests: 0,
    apiCalls: 4, // GET cart, add-item, GET cart, checkout
    thinkSteps: 3,
    description: 'guest checkout through the Store API: product → cart → add-item → cart → checkout',
  },
  account: {
    exec: 'account',
    pages: 2, // wp-login.php, my-account/orders
    bareRequests: 2, // the login POST and the my-account page its redirect lands on (read for its text only)
    apiCalls: 0,
    thinkSteps: 2,
    description: 'returning customer: wp-login.php → log in → my account → orders',
  },
  abandon: {
    exec: 'abandon',
    pages: 2, // two products
    bareRequests: 0,
    apiCalls: 5, // GET cart, add-item ×2, GET cart, remove-item
    thinkSteps: 3,
    description: 'cart abandoner: two products added, cart viewed, one removed, no checkout',
  },
} as const satisfies Record<string, JourneySpec>;

export type JourneyName = keyof typeof JOURNEYS;

export const JOURNEY_NAMES = Object.keys(JOURNEYS) as JourneyName[];

export function isJourneyName(name: string): name is JourneyName {
  return Object.prototype.hasOwnProperty.call(JOURNEYS, name);
}
