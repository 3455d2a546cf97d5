// The journeys Rehearse knows. Shared by the Node side (profile validation, plan sizing) and the
// k6 side (entry.ts exports one function per journey, named by `exec`). Pure data: no imports.
// Adding a journey = a row here + scenarios/k6/journeys/<name>.ts + an export in entry.ts.

export interface JourneySpec {
  /** Name of the function entry.ts exports for this journey (k6 scenario `exec`). */
  readonly exec: string;
  /** HTTP requests one iteration makes (for VU sizing). */
  readonly requests: number;
  /** Think-time pauses one iteration takes (for VU sizing). */
  readonly thinkSteps: number;
  readonly description: string;
}

export const JOURNEYS = {
  browse: {
    exec: 'browse',
    requests: 6, // 3 pages, each followed by one parallel batch of its assets
    thinkSteps: 2,
    description: "anonymous visitor: home → category → product (popular), with each page's CSS, scripts and images",
  },
  search: {
    exec: 'search',
    requests: 6,
    thinkSteps: 2,
    description: 'anonymous visitor: home → product search → the product found (or the one a search redirects to)',
  },
  cart: {
    exec: 'cart',
    requests: 5,
    thinkSteps: 2,
    description: 'product page → Store API cart (Nonce) → add-item → view cart',
  },
  checkout: {
    exec: 'checkout',
    requests: 6,
    thinkSteps: 3,
    description: 'guest checkout through the Store API: product → cart → add-item → cart → checkout',
  },
  account: {
    exec: 'account',
    requests: 6,
    thinkSteps: 2,
    description: 'returning customer: wp-login.php → log in → my account → orders',
  },
  abandon: {
    exec: 'abandon',
    requests: 10,
    thinkSteps: 3,
    description: 'cart abandoner: two products added, cart viewed, one removed, no checkout',
  },
} as const satisfies Record<string, JourneySpec>;

export type JourneyName = keyof typeof JOURNEYS;

export const JOURNEY_NAMES = Object.keys(JOURNEYS) as JourneyName[];

export function isJourneyName(name: string): name is JourneyName {
  return Object.prototype.hasOwnProperty.call(JOURNEYS, name);
}
