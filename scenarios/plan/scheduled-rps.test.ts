import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfile } from '../profile/load-profile.ts';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { buildPlan } from './build-plan.ts';
import { RPS_ROUNDING } from './safety.ts';
import { requestsPerIteration, scheduledPeakRps } from './scheduled-rps.ts';

const assets = { first: 12, later: 3, source: 'measured' as const };

describe('the requests/s a plan’s stages schedule', () => {
  it('matches the requests/s the plan was built for, on every built-in mix (k6 rounding aside)', async () => {
    for (const name of ['smoke', 'black-friday', 'flash-sale']) {
      const loaded = await loadProfile(new URL(`../profiles/${name}.json`, import.meta.url).pathname);
      for (const peakRps of [7, 90, 400]) {
        const plan = buildPlan(loaded, {
          id: 'rps',
          baseUrl: 'http://127.0.0.1:8080',
          targetKind: 'local',
          peakRps,
          durationS: 600,
          catalogue: smallCatalogue(),
          createdAt: '2026-11-27T00:00:00.000Z',
          assetsPerPage: assets,
        });
        const scheduled = scheduledPeakRps(plan.k6.scenarios, plan.run.assetsPerPage);
        // Within the read-back slack above (a plan built at the cap reads back), and not far below.
        const ratio = scheduled / peakRps;
        assert.ok(ratio <= 1 + RPS_ROUNDING && ratio > 0.9, `${name} at ${peakRps}/s: stages schedule ${scheduled}/s`);
      }
    }
  });

  it('counts a journey’s requests by its exec, a replayed URL as one, and an unknown exec as unknown', () => {
    assert.equal(requestsPerIteration('browse', assets), 3 + 12 + 3 + 3);
    assert.equal(requestsPerIteration('replay', assets), 1);
    assert.ok(Number.isNaN(requestsPerIteration('nope', assets)));
  });
});
