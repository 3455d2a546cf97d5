// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The per-second load of a six-journey plan at a low rate, as the real k6 sends it to a fake store
// on 127.0.0.1 (bounded: 20 s, about 40 journeys, a kill timer): journeys start out of phase, so
// no second carries more than 3× the run's mean (started together they came in bursts of six).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../profile/load-profile.ts';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';
import { useFakeStore } from '../test-support/use-fake-store.ts';
import { buildPlan } from './build-plan.ts';
import { writePlan } from './plan-file.ts';

const DURATION_S = 20;
const PEAK = 2; // journey starts/s, all six journeys: one every 3 s each
const PASSWORD = 'fake-store-pass'; // the fake store's customers; a test value, not a secret
const catalogue = smallCatalogue(3, 4);
const env = useFakeStore(catalogue, 'rehearse-arrivals-k6-', { customerPassword: PASSWORD });

describe('arrivals in k6', () => {
  it('six journeys at a low rate: no second of the run above 3× the mean requests/s', async (t) => {
    const smoke = await loadProfile(new URL('../profiles/smoke.json', import.meta.url).pathname);
    const quick = { ...smoke, profile: { ...smoke.profile, thinkTime: { medianS: 0.05, p90S: 0.1 } } };
    const plan = buildPlan(quick, {
      id: 'arrivals',
      baseUrl: env.store.baseUrl,
      targetKind: 'local',
      peakRate: PEAK,
      durationS: DURATION_S,
      catalogue,
      createdAt: new Date().toISOString(),
    });
    const planPath = join(env.dir, 'arrivals.plan.json');
    await writePlan(planPath, plan);
    const started = performance.now();
    const r = await runK6Bounded({
      planPath,
      summaryPath: join(env.dir, 'arrivals.summary.json'),
      env: { REHEARSE_CUSTOMER_PASSWORD: PASSWORD },
      killAfterMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const times = env.store.requestTimes.map((t) => (t - started) / 1000);
    // k6's clock starts after its own start-up: count from the first request's second.
    const first = Math.min(...times);
    const bins = new Array<number>(Math.floor(Math.max(...times) - first) + 1).fill(0);
    for (const t of times) bins[Math.floor(t - first)]!++;
    const mean = times.length / DURATION_S;
    t.diagnostic(`requests per second ${bins.join(', ')}; mean ${mean.toFixed(1)}`);
    assert.ok(times.length >= 100, `${times.length} requests`);
    assert.ok(Math.max(...bins) <= 3 * mean, `requests per second ${bins.join(', ')}; mean ${mean.toFixed(1)}`);
  });
});
