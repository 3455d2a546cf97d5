import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOURNEY_NAMES } from '../shared/journeys.ts';
import {
  assetRequests,
  journeyRequests,
  peakRateFromRps,
  requestsPerStart,
  serialRequests,
  type AssetsPerPage,
} from './peak-rps.ts';

const A: AssetsPerPage = { first: 10, later: 2 };

describe('requests one journey makes, assets included', () => {
  it('counts each journey’s pages, API calls and the assets its page views load (as scenarios/k6/journeys/ sends them)', () => {
    // page requests + API calls + first page's assets + later pages' new assets
    const expected: Record<string, number> = {
      browse: 3 + 0 + 10 + 2 * 2, // home, category, product
      search: 3 + 0 + 10 + 2 * 2, // home, results (or the redirect), product
      cart: 1 + 3 + 10, // product; GET cart, add-item, GET cart
      checkout: 1 + 4 + 10, // product; GET cart, add-item, GET cart, checkout
      account: 2 + 2 + 10 + 2, // login form, orders (with assets); the login POST and its redirect (without)
      abandon: 2 + 5 + 10 + 2, // two products; GET cart, add-item ×2, GET cart, remove-item
    };
    assert.deepEqual(Object.keys(expected).sort(), [...JOURNEY_NAMES].sort(), 'every journey is counted here');
    for (const name of JOURNEY_NAMES) assert.equal(journeyRequests(name, A), expected[name], name);
  });

  it('without assets only pages and API calls count; assets beyond what k6 loads per page do not', () => {
    assert.equal(journeyRequests('browse', { first: 0, later: 0 }), 3);
    assert.equal(journeyRequests('checkout', { first: 0, later: 0 }), 5);
    // k6 loads at most 48 assets per page view (k6/lib/asset-urls.ts).
    assert.equal(assetRequests('browse', { first: 100, later: 100 }), 3 * 48);
  });

  it('a page’s assets go out in rounds of 6 (k6’s batchPerHost) when sizing VUs', () => {
    assert.equal(serialRequests('browse', { first: 0, later: 0 }), 3);
    assert.equal(serialRequests('browse', { first: 6, later: 1 }), 3 + 1 + 1 + 1);
    assert.equal(serialRequests('browse', { first: 7, later: 0 }), 3 + 2);
    assert.equal(serialRequests('cart', { first: 40, later: 4 }), 4 + 7);
  });
});

describe('peak requests/s → journey starts/s', () => {
  it('divides by the requests of one journey start, assets included', () => {
    const browse = journeyRequests('browse', A);
    assert.equal(requestsPerStart({ browse: 1 }, A), browse);
    assert.equal(peakRateFromRps({ browse: 3 }, 34, A), 34 / browse);
    // The assets are most of the load: counting a page's assets as one request made ~3× too many.
    assert.ok(peakRateFromRps({ browse: 1 }, 100, { first: 40, later: 4 }) < 100 / 6 / 3);
  });

  it('weights the journeys’ request counts by the mix', () => {
    // Every registered journey, weights 1..n: the mean is Σ wᵢrᵢ / Σ wᵢ.
    const mix = Object.fromEntries(JOURNEY_NAMES.map((n, i) => [n, i + 1]));
    const expected =
      JOURNEY_NAMES.reduce((s, n, i) => s + (i + 1) * journeyRequests(n, A), 0) /
      JOURNEY_NAMES.reduce((s, _n, i) => s + i + 1, 0);
    assert.ok(Math.abs(requestsPerStart(mix, A) - expected) < 1e-12);
    assert.ok(Math.abs(peakRateFromRps(mix, 100, A) * expected - 100) < 1e-9);
    // A checkout-heavy mix makes fewer requests per start than a browse-heavy one (one page, no later pages).
    assert.ok(requestsPerStart({ checkout: 9, browse: 1 }, A) < requestsPerStart({ checkout: 1, browse: 9 }, A));
  });

  it('is NaN for an empty mix (the plan stage reports it)', () => {
    assert.ok(Number.isNaN(peakRateFromRps({}, 10, A)));
  });
});
