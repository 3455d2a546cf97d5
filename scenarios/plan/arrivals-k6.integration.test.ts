// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The load a plan makes, as the real k6 sends it to fake stores on 127.0.0.1 (each bounded: 20 s,
// a kill timer): journeys start out of phase, so no second carries more than 3× the run's mean
// (started together they came in bursts of six); and a plan asked for R requests/s makes R
// requests/s, assets included, each journey exactly the requests peak-rps.ts counts for it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../profile/load-profile.ts';
import { readFile } from 'node:fs/promises';
import { smallCatalogue, startFakeStore } from '../test-support/fake-store.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';
import { useFakeStore } from '../test-support/use-fake-store.ts';
import { buildPlan } from './build-plan.ts';
import { writePlan } from './plan-file.ts';
import { measureAssets } from './measure-assets.ts';
import { journeyRequests } from './peak-rps.ts';

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

  it('--peak-rps R against a block-theme store: k6 makes ≈ R requests/s, each journey what peak-rps.ts counts', async (t) => {
    // twentytwentyfive's 39 stylesheets and scripts on every page: counting a page's assets as one
    // request (as before) would have sent ~7× R.
    // ~14 starts per journey type: k6 rounding one away is under 10 %.
    const R = 150;
    const D = 20;
    const store = await startFakeStore(catalogue, { theme: 'block' });
    try {
      const smoke = await loadProfile(new URL('../profiles/smoke.json', import.meta.url).pathname);
      // The fake store's account pages carry no assets (a real store's do): its journey is left out.
      const mix: Record<string, number> = { browse: 1, search: 1, cart: 1, checkout: 1, abandon: 1 };
      const flat = { ...smoke, profile: { ...smoke.profile, mix, thinkTime: { medianS: 0.02, p90S: 0.05 } } };
      const measured = await measureAssets(store.baseUrl, catalogue, ['127.0.0.1']);
      assert.ok(!('failed' in measured), JSON.stringify(measured));
      const plan = buildPlan(flat, {
        id: 'peak-rps',
        baseUrl: store.baseUrl,
        targetKind: 'local',
        peakRps: R,
        durationS: D,
        catalogue,
        createdAt: new Date().toISOString(),
        assetsPerPage: { first: measured.first, later: measured.later, source: 'measured' },
      });
      // Per journey, requests and iterations as k6 counts them (submetrics appear in the summary once a threshold names them).
      for (const j of Object.keys(mix)) {
        plan.k6.thresholds[`http_reqs{scenario:${j}}`] = ['count>=0'];
        plan.k6.thresholds[`iterations{scenario:${j}}`] = ['count>=0'];
      }
      const planPath = join(env.dir, 'peak-rps.plan.json');
      const summaryPath = join(env.dir, 'peak-rps.summary.json');
      await writePlan(planPath, plan);
      const r = await runK6Bounded({ planPath, summaryPath, killAfterMs: 40_000 });
      assert.equal(r.code, 0, r.stderr);
      type Metric = { values: Record<string, number> };
      const m = (JSON.parse(await readFile(summaryPath, 'utf8')) as { metrics: Record<string, Metric> }).metrics;
      const count = (name: string) => m[name]?.values.count ?? 0;
      for (const j of Object.keys(mix)) {
        const iterations = count(`iterations{scenario:${j}}`);
        assert.ok(iterations > 0, `${j} ran`);
        // Every started iteration finishes within gracefulStop on a loopback store: exact per iteration.
        assert.equal(count(`http_reqs{scenario:${j}}`) / iterations, journeyRequests(j, measured), j);
      }
      const requests = count('http_reqs');
      const dropped = count('dropped_iterations');
      t.diagnostic(
        `${requests} requests in ${D} s (asked ${R}/s); ${dropped} dropped; ${plan.run.peakRate.toFixed(2)} journeys/s`,
      );
      assert.equal(dropped, 0, 'the generator kept up: the count is the plan’s');
      // Starts are only ever lost at the edges (under one per journey to the out-of-phase start, k6
      // starting on whole arrivals): ~5 % short here, never over.
      const ratio = requests / (R * D);
      assert.ok(ratio >= 0.88 && ratio <= 1.05, `${requests / D} requests/s for ${R} asked`);
    } finally {
      await store.close();
    }
  });
});
