import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOURNEYS, JOURNEY_NAMES } from '../shared/journeys.ts';
import { peakRateFromRps, requestsPerStart } from './peak-rps.ts';

describe('peak requests/s → journey starts/s', () => {
  it('divides by the requests of one journey start', () => {
    const browse = JOURNEYS.browse.requests;
    assert.equal(requestsPerStart({ browse: 1 }), browse);
    assert.equal(peakRateFromRps({ browse: 3 }, 30), 30 / browse);
  });

  it('weights the journeys’ request counts by the mix', () => {
    // Every registered journey, weights 1..n: the mean is Σ wᵢrᵢ / Σ wᵢ.
    const mix = Object.fromEntries(JOURNEY_NAMES.map((n, i) => [n, i + 1]));
    const expected =
      JOURNEY_NAMES.reduce((s, n, i) => s + (i + 1) * JOURNEYS[n].requests, 0) /
      JOURNEY_NAMES.reduce((s, _n, i) => s + i + 1, 0);
    assert.ok(Math.abs(requestsPerStart(mix) - expected) < 1e-12);
    assert.ok(Math.abs(peakRateFromRps(mix, 100) * expected - 100) < 1e-9);
  });

  it('is NaN for an empty mix (the plan stage reports it)', () => {
    assert.ok(Number.isNaN(peakRateFromRps({}, 10)));
  });
});
