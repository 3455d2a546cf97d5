import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfile, parseProfile, type LoadedProfile } from '../profile/load-profile.ts';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { analyticArrivals, buildPlan, type BuildPlanOptions } from './build-plan.ts';
import { PlanError } from './plan-error.ts';
import { PlanSchema } from './plan-schema.ts';

const profileFile = (name: string) => new URL(`../profiles/${name}.json`, import.meta.url).pathname;
const options = (over: Partial<BuildPlanOptions> = {}): BuildPlanOptions => ({
  id: 'test-run',
  baseUrl: 'http://127.0.0.1:8080',
  targetKind: 'local',
  peakRate: 20,
  durationS: 1800,
  catalogue: smallCatalogue(),
  createdAt: '2026-11-27T00:00:00.000Z',
  ...over,
});
const planError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PlanError, `expected a PlanError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });

describe('buildPlan on the built-in profiles', () => {
  for (const name of ['black-friday', 'smoke']) {
    for (const [peakRate, durationS] of [[20, 1800], [2, 600], [50, 120], [0.5, 3600]] as const) {
      it(`${name}: staged arrivals within 2 % of the analytic integral (peak ${peakRate}/s, ${durationS} s)`, async () => {
        const loaded = await loadProfile(profileFile(name));
        const plan = buildPlan(loaded, options({ peakRate, durationS }));
        const analytic = analyticArrivals(loaded, peakRate, durationS);
        assert.ok(Math.abs(plan.expected.total / analytic - 1) < 0.02, `${plan.expected.total} vs ${analytic}`);
        const sum = Object.values(plan.expected.arrivals).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(sum - plan.expected.total) < 0.02);
        assert.ok(PlanSchema.safeParse(plan).success);
      });
    }
  }

  it('black-friday: one scenario for browse that starts low and surges to the peak', async () => {
    const plan = buildPlan(await loadProfile(profileFile('black-friday')), options({ peakRate: 20, durationS: 1800 }));
    const sc = plan.k6.scenarios.browse!;
    assert.equal(sc.executor, 'ramping-arrival-rate');
    assert.equal(sc.exec, 'browse');
    assert.equal(sc.timeUnit, '1m');
    assert.equal(Math.max(...sc.stages.map((s) => s.target)), 20 * 60);
    assert.ok(sc.startRate < 0.1 * 20 * 60, 'low baseline at midnight');
    assert.equal(sc.stages[0]!.target, 20 * 60, 'the doorbuster surge is the first stage');
    assert.equal(plan.run.compression, 48);
    assert.ok(sc.maxVUs > sc.preAllocatedVUs);
  });
});

describe('buildPlan sizing and content', () => {
  const profile = (thinkTime: { medianS: number; p90S: number }, cacheBust?: boolean): LoadedProfile =>
    parseProfile(
      JSON.stringify({ version: 1, name: 'flat', description: '', span: '1h', shape: [{ at: '0', rate: 1 }, { at: '1h', rate: 1 }], mix: { browse: 1 }, thinkTime, cacheBust }),
      'flat.json',
    );

  it('sizes VUs from rate × (requests × latency + think time)', () => {
    const fast = buildPlan(profile({ medianS: 0, p90S: 0 }), options({ peakRate: 10, assumedLatencyS: 0.5 })).k6.scenarios.browse!;
    // 10/s × 3 requests × 0.5 s = 15 concurrent → 19 preallocated (×1.25), 60 max (×4)
    assert.equal(fast.preAllocatedVUs, 19);
    assert.equal(fast.maxVUs, 60);
    const slow = buildPlan(profile({ medianS: 5, p90S: 10 }), options({ peakRate: 10 })).k6.scenarios.browse!;
    assert.ok(slow.preAllocatedVUs > fast.preAllocatedVUs * 4, 'think time adds VUs');
  });

  it('carries the profile identity, think time, cacheBust, catalogue and target into the plan', () => {
    const loaded = profile({ medianS: 1, p90S: 2 }, true);
    const plan = buildPlan(loaded, options({ baseUrl: 'http://localhost:9000/shop', targetKind: 'url' }));
    assert.deepEqual(plan.profile, { name: 'flat', file: 'flat.json', sha256: loaded.sha256 });
    assert.deepEqual(plan.thinkTime, { medianS: 1, p90S: 2 });
    assert.equal(plan.cacheBust, true);
    assert.equal(plan.catalogue.products.length, 20);
    assert.deepEqual(plan.target, { kind: 'url', baseUrl: 'http://localhost:9000/shop', allowHosts: ['127.0.0.1', 'localhost', '::1'] });
  });

  it('aborts on errors by default, and not when abortErrorRate is null', () => {
    const p = profile({ medianS: 1, p90S: 2 });
    assert.deepEqual(buildPlan(p, options()).k6.thresholds, { http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '1m' }] });
    assert.deepEqual(buildPlan(p, options({ abortErrorRate: null })).k6.thresholds, {});
  });
});

describe('buildPlan safety', () => {
  const loaded = parseProfile(
    JSON.stringify({ version: 1, name: 'x', description: '', span: '1h', shape: [{ at: '0', rate: 1 }, { at: '1h', rate: 1 }], mix: { browse: 1 }, thinkTime: { medianS: 1, p90S: 2 } }),
    'x.json',
  );

  it('refuses a host off the default loopback allowlist', () => {
    planError(() => buildPlan(loaded, options({ baseUrl: 'https://shop.example.com' })),
      /^plan options: baseUrl: host "shop\.example\.com" is not on the allowlist \(127\.0\.0\.1, localhost, ::1\) — .*add it to allowHosts/);
    planError(() => buildPlan(loaded, options({ baseUrl: 'http://127.0.0.2' })), /host "127\.0\.0\.2" is not on the allowlist/);
  });

  it('accepts loopback in any spelling, and hosts named in allowHosts (which replace the default)', () => {
    for (const baseUrl of ['http://localhost:8080', 'http://[::1]:8080/', 'http://LOCALHOST.']) {
      assert.equal(buildPlan(loaded, options({ baseUrl })).target.baseUrl, baseUrl);
    }
    const allowHosts = ['shop.example.com'];
    assert.ok(buildPlan(loaded, options({ baseUrl: 'https://shop.example.com', allowHosts })));
    planError(() => buildPlan(loaded, options({ allowHosts })), /host "127\.0\.0\.1" is not on the allowlist \(shop\.example\.com\)/);
  });

  it('refuses URLs that are not plain http(s) origins', () => {
    planError(() => buildPlan(loaded, options({ baseUrl: 'ftp://127.0.0.1' })), /baseUrl: "ftp:\/\/127\.0\.0\.1" must start with http/);
    planError(() => buildPlan(loaded, options({ baseUrl: 'not a url' })), /baseUrl: "not a url" is not a URL/);
    planError(() => buildPlan(loaded, options({ baseUrl: 'http://user:pw@127.0.0.1' })), /no credentials, query or fragment/);
  });

  it('refuses a peak rate above maxRate (default 50/s)', () => {
    planError(() => buildPlan(loaded, options({ peakRate: 51 })), /^plan options: peakRate: peakRate 51\/s is above the rate cap maxRate 50\/s — lower peakRate, or raise maxRate/);
    planError(() => buildPlan(loaded, options({ peakRate: 120, maxRate: 100 })), /above the rate cap maxRate 100\/s/);
    assert.equal(buildPlan(loaded, options({ peakRate: 120, maxRate: 120 })).run.peakRate, 120);
    planError(() => buildPlan(loaded, options({ peakRate: 0 })), /peakRate: peakRate must be a positive number/);
  });

  it('refuses a createdAt, gracefulStop or assumedLatencyS the plan could not hold', () => {
    planError(() => buildPlan(loaded, options({ createdAt: '2026-11-27' })), /createdAt: "2026-11-27" is not an ISO 8601 time/);
    planError(() => buildPlan(loaded, options({ gracefulStop: '30' })), /gracefulStop: "30" is not a k6 duration/);
    planError(() => buildPlan(loaded, options({ assumedLatencyS: -1 })), /assumedLatencyS: must be a number of seconds ≥ 0/);
  });

  it('refuses bad ids, durations and an empty catalogue, all at once', () => {
    planError(
      () => buildPlan(loaded, options({ id: '../x', durationS: -1, catalogue: { categories: [], products: [] } })),
      /plan options: 3 problems:\n {2}- id: .*\n {2}- durationS: must be a positive number.*\n {2}- catalogue: the browse journey needs at least one category with a product/,
    );
  });
});
