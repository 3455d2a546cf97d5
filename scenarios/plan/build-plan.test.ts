import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfile, parseProfile, type LoadedProfile } from '../profile/load-profile.ts';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { analyticArrivals, buildPlan, type BuildPlanOptions } from './build-plan.ts';
import { PlanError } from './plan-error.ts';
import { PlanSchema } from './plan-schema.ts';
import { readdirSync } from 'node:fs';
import { profileCurve } from '../profile/curve.ts';
import { parseSloFile } from '../slo/slo-file.ts';
import { JOURNEYS } from '../shared/journeys.ts';
import { journeyRequests, serialRequests } from './peak-rps.ts';
import { DEFAULT_MAX_RPS } from './safety.ts';

const profileFile = (name: string) => new URL(`../profiles/${name}.json`, import.meta.url).pathname;
/** A store whose pages load 2 assets, then 1 new one per later page. */
const ASSETS = { first: 2, later: 1, source: 'given' as const };
// The request cap has its own tests ("buildPlan request cap"); elsewhere it stays out of the way.
const options = (over: Partial<BuildPlanOptions> = {}): BuildPlanOptions => ({
  id: 'test-run',
  baseUrl: 'http://127.0.0.1:8080',
  targetKind: 'local',
  peakRate: 20,
  durationS: 1800,
  catalogue: smallCatalogue(),
  createdAt: '2026-11-27T00:00:00.000Z',
  assetsPerPage: ASSETS,
  maxRps: 100_000,
  ...over,
});
const planError = (fn: () => unknown, pattern: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof PlanError, `expected a PlanError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });

const builtins = readdirSync(new URL('../profiles/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();

describe('buildPlan on the built-in profiles', () => {
  it('the built-ins are the documented five', () => {
    for (const name of ['black-friday', 'cyber-monday', 'flash-sale', 'smoke', 'soak'])
      assert.ok(builtins.includes(name), name);
  });

  for (const name of builtins) {
    for (const [peakRate, durationS] of [
      [20, 1800],
      [2, 600],
      [50, 120],
      [0.5, 3600],
    ] as const) {
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

  // The shapes the profiles README promises, read off the curve rather than the file.
  const rateAt = (points: Array<{ tS: number; rate: number }>, tS: number) => {
    const i = points.findIndex((p) => p.tS >= tS);
    if (points[i]!.tS === tS) return points[i]!.rate;
    const a = points[i - 1]!,
      b = points[i]!;
    return a.rate + ((b.rate - a.rate) * (tS - a.tS)) / (b.tS - a.tS);
  };
  const curveOf = async (name: string) => profileCurve((await loadProfile(profileFile(name))).profile);

  it('black-friday: a midnight doorbuster to ≥ 10× the baseline within minutes, a morning and an evening peak', async () => {
    const { points } = await curveOf('black-friday');
    const h = 3600;
    assert.equal(rateAt(points, 5 * 60 - 60), 1, 'peak within the first 4 minutes');
    assert.ok(rateAt(points, 0) * 10 <= 1, 'many times the baseline');
    const lull = rateAt(points, 4 * h);
    const morning = Math.max(...points.filter((p) => p.tS >= 9 * h && p.tS <= 12 * h).map((p) => p.rate));
    const afternoon = rateAt(points, 15 * h);
    const evening = Math.max(...points.filter((p) => p.tS >= 18 * h && p.tS <= 22 * h).map((p) => p.rate));
    assert.ok(
      morning > 5 * lull && morning > afternoon && evening > afternoon,
      `${lull} ${morning} ${afternoon} ${evening}`,
    );
  });

  it('flash-sale: the rate jumps to the peak within a minute and holds a plateau ≥ 0.9 for 45 minutes', async () => {
    const { points } = await curveOf('flash-sale');
    const jump = points.findIndex((p) => p.rate === 1);
    assert.ok(points[jump]!.tS - points[jump - 1]!.tS <= 60 && points[jump - 1]!.rate <= 0.1);
    for (let t = points[jump]!.tS; t <= points[jump]!.tS + 45 * 60; t += 60)
      assert.ok(rateAt(points, t) >= 0.9, `t=${t}`);
  });

  it('cyber-monday: sustained ≥ 0.85 of the peak from 10:00 to 22:00', async () => {
    const { points } = await curveOf('cyber-monday');
    for (let t = 10 * 3600; t <= 22 * 3600; t += 600) assert.ok(rateAt(points, t) >= 0.85, `t=${t}`);
  });

  it('soak: flat at the peak for over 95 % of a span of hours', async () => {
    const { points, spanS } = await curveOf('soak');
    assert.ok(spanS >= 4 * 3600);
    const flatFrom = points.find((p) => p.rate === 1)!.tS;
    assert.ok(points.filter((p) => p.tS >= flatFrom).every((p) => p.rate === 1) && flatFrom < 0.05 * spanS);
  });

  it('black-friday: one scenario per journey of the mix, each starting low and surging to its share of the peak', async () => {
    const loaded = await loadProfile(profileFile('black-friday'));
    const plan = buildPlan(loaded, options({ peakRate: 20, durationS: 1800 }));
    const mix = loaded.profile.mix as Record<string, number>;
    const weights = Object.values(mix).reduce((a, b) => a + b, 0);
    assert.deepEqual(Object.keys(plan.k6.scenarios).sort(), Object.keys(mix).sort());
    let peakPerS = 0;
    for (const [journey, sc] of Object.entries(plan.k6.scenarios)) {
      assert.equal(sc.executor, 'ramping-arrival-rate');
      assert.equal(sc.exec, JOURNEYS[journey as keyof typeof JOURNEYS].exec);
      const unitS = { '1s': 1, '1m': 60, '1h': 3600 }[sc.timeUnit]!;
      const peak = Math.max(...sc.stages.map((s) => s.target));
      assert.ok(
        Math.abs(peak / unitS - (20 * mix[journey]!) / weights) <= 1 / unitS,
        `${journey}: ${peak}/${sc.timeUnit}`,
      );
      assert.ok(sc.startRate < 0.1 * peak, 'low baseline at midnight');
      assert.equal(sc.stages[0]!.target, peak, 'the doorbuster surge is the first stage');
      assert.ok(sc.maxVUs > sc.preAllocatedVUs);
      peakPerS += peak / unitS;
    }
    assert.ok(Math.abs(peakPerS - 20) < 0.1, String(peakPerS));
    assert.equal(plan.run.compression, 48);
  });
});

describe('buildPlan sizing and content', () => {
  const profile = (thinkTime: { medianS: number; p90S: number }, cacheBust?: boolean): LoadedProfile =>
    parseProfile(
      JSON.stringify({
        version: 1,
        name: 'flat',
        description: '',
        span: '1h',
        shape: [
          { at: '0', rate: 1 },
          { at: '1h', rate: 1 },
        ],
        mix: { browse: 1 },
        thinkTime,
        cacheBust,
      }),
      'flat.json',
    );

  it("sizes VUs from rate × (requests × latency + think time); maxVUs from the SLO's latency limit", () => {
    const fast = buildPlan(profile({ medianS: 0, p90S: 0 }), options({ peakRate: 10, assumedLatencyS: 0.25 })).k6
      .scenarios.browse!;
    // 10/s × requests one after the other × 0.25 s concurrent → ×1.25 preallocated. Browse: 3 pages,
    // each followed by one round of assets (2, then 1 new: fewer than k6's 6 parallel per host).
    const serial = serialRequests('browse', ASSETS);
    assert.equal(serial, 6);
    const concurrency = 10 * serial * 0.25;
    assert.equal(fast.preAllocatedVUs, Math.ceil(concurrency * 1.25));
    // max: every request at the default SLO's browse p95 limit (500 ms) × 1.5
    assert.equal(fast.maxVUs, Math.max(10, Math.ceil(10 * serial * 0.5 * 1.5)));
    const slo = parseSloFile(
      JSON.stringify({
        version: 1,
        name: 'loose',
        errorRate: 0.01,
        journeys: { browse: { p95Ms: 1000, p99Ms: 3000 } },
      }),
      'loose.json',
    );
    const loose = buildPlan(profile({ medianS: 0, p90S: 0 }), options({ peakRate: 10, assumedLatencyS: 0.25, slo })).k6
      .scenarios.browse!;
    assert.equal(
      loose.maxVUs,
      Math.ceil(10 * serial * 3 * 1.5),
      'a looser SLO (p99 3 s) needs more VUs before k6 runs short',
    );
    const slow = buildPlan(profile({ medianS: 5, p90S: 10 }), options({ peakRate: 10 })).k6.scenarios.browse!;
    assert.ok(slow.preAllocatedVUs > fast.preAllocatedVUs * 4, 'think time adds VUs');
    // A block theme's 40 assets go out in 7 rounds of 6 on the first page: VUs for them too.
    const heavy = { first: 40, later: 4, source: 'given' as const };
    const big = buildPlan(profile({ medianS: 0, p90S: 0 }), options({ peakRate: 10, assetsPerPage: heavy })).k6
      .scenarios.browse!;
    assert.equal(serialRequests('browse', heavy), 3 + 7 + 1 + 1);
    assert.equal(big.maxVUs, Math.ceil(10 * 12 * 0.5 * 1.5));
  });

  it('carries the profile identity, think time, cacheBust, catalogue and target into the plan', () => {
    const loaded = profile({ medianS: 1, p90S: 2 }, true);
    const plan = buildPlan(loaded, options({ baseUrl: 'http://localhost:9000/shop', targetKind: 'url' }));
    assert.deepEqual(plan.profile, { name: 'flat', file: 'flat.json', sha256: loaded.sha256 });
    assert.deepEqual(plan.thinkTime, { medianS: 1, p90S: 2 });
    assert.equal(plan.cacheBust, true);
    assert.equal(plan.catalogue.products.length, 20);
    assert.deepEqual(plan.target, {
      kind: 'url',
      baseUrl: 'http://localhost:9000/shop',
      allowHosts: ['127.0.0.1', 'localhost', '::1'],
    });
  });

  it('aborts on errors by default, and not when abortErrorRate is null', () => {
    const p = profile({ medianS: 1, p90S: 2 });
    assert.deepEqual(buildPlan(p, options()).k6.thresholds, {
      http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '1m' }],
    });
    assert.deepEqual(buildPlan(p, options({ abortErrorRate: null })).k6.thresholds, {});
  });

  it('waits a tenth of a short run (at least 5 s) before the abort may fire, or abortDelayS', () => {
    const p = profile({ medianS: 1, p90S: 2 });
    const delay = (over: Partial<BuildPlanOptions>) =>
      (buildPlan(p, options(over)).k6.thresholds.http_req_failed![0] as { delayAbortEval: string }).delayAbortEval;
    assert.equal(delay({ durationS: 120 }), '12s');
    assert.equal(delay({ durationS: 20 }), '5s');
    assert.equal(delay({ durationS: 20, abortDelayS: 2.5 }), '2.5s');
  });

  it('with an SLO: its thresholds, its abort rate, and a record of the file in the plan', () => {
    const text = JSON.stringify({
      version: 1,
      name: 'ci',
      errorRate: 0.02,
      checksPass: 0.95,
      abortOnErrorRate: 0.3,
      journeys: { browse: { p95Ms: 800 } },
    });
    const slo = parseSloFile(text, 'ci-slo.json');
    const plan = buildPlan(profile({ medianS: 1, p90S: 2 }), options({ slo, durationS: 300 }));
    assert.deepEqual(plan.k6.thresholds, {
      http_req_failed: ['rate<=0.02', { threshold: 'rate<0.3', abortOnFail: true, delayAbortEval: '30s' }],
      checks: ['rate>=0.95'],
      'rehearse_page_api_duration{scenario:browse}': ['p(95)<=800'],
    });
    assert.deepEqual(plan.slo, { name: 'ci', file: 'ci-slo.json', sha256: slo.sha256, content: slo.slo });
    assert.match(plan.slo!.sha256, /^[0-9a-f]{64}$/);
    assert.ok(PlanSchema.safeParse(plan).success);
    assert.equal(
      buildPlan(profile({ medianS: 1, p90S: 2 }), options({ slo, abortErrorRate: null })).k6.thresholds.http_req_failed!
        .length,
      1,
    );
  });

  it('--peak-rps: requests/s at the peak, assets included, become journey starts/s', () => {
    const plan = buildPlan(profile({ medianS: 0, p90S: 0 }), options({ peakRate: undefined, peakRps: 60 }));
    // Browse: 3 pages + 2 assets on the first + 1 on each of the 2 later = 7 requests per start.
    assert.equal(journeyRequests('browse', ASSETS), 7);
    assert.equal(plan.run.peakRate, 60 / 7);
    assert.equal(plan.run.peakRps, 60);
    assert.equal(plan.run.requestsPerStart, 7);
    assert.equal(plan.run.scaledBy, 'peakRps');
    assert.deepEqual(plan.run.assetsPerPage, ASSETS);
    assert.ok(Math.abs(plan.expected.total * 7 - 60 * 1800) < 60 * 1800 * 0.001);
    // The same store with a block theme's assets: six times the requests per start, a sixth of the journeys.
    const heavy = buildPlan(
      profile({ medianS: 0, p90S: 0 }),
      options({ peakRate: undefined, peakRps: 60, assetsPerPage: { first: 40, later: 4, source: 'measured' } }),
    );
    assert.equal(heavy.run.requestsPerStart, 3 + 40 + 4 + 4);
    assert.equal(heavy.run.peakRate, 60 / 51);
  });

  it('--peak-rate: the plan records the requests/s it makes, and the default assets when none were given', () => {
    const plan = buildPlan(profile({ medianS: 0, p90S: 0 }), options({ peakRate: 4, assetsPerPage: undefined }));
    assert.deepEqual(plan.run.assetsPerPage, { first: 40, later: 4, source: 'default' });
    assert.equal(plan.run.scaledBy, 'peakRate');
    assert.equal(plan.run.requestsPerStart, 51);
    assert.equal(plan.run.peakRps, 4 * 51);
  });

  it('refuses assets per page k6 would not load, naming the field and the flag', () => {
    const p = profile({ medianS: 0, p90S: 0 });
    planError(
      () => buildPlan(p, options({ assetsPerPage: { first: 60, later: 1, source: 'given' } })),
      /assetsPerPage\.first: must be a number of assets between 0 and 48 .* fix --assets-per-page/,
    );
    planError(
      () => buildPlan(p, options({ assetsPerPage: { first: 1, later: -1, source: 'given' } })),
      /assetsPerPage\.later: must be a number of assets between 0 and 48/,
    );
  });
});

describe('buildPlan safety', () => {
  const loaded = parseProfile(
    JSON.stringify({
      version: 1,
      name: 'x',
      description: '',
      span: '1h',
      shape: [
        { at: '0', rate: 1 },
        { at: '1h', rate: 1 },
      ],
      mix: { browse: 1 },
      thinkTime: { medianS: 1, p90S: 2 },
    }),
    'x.json',
  );

  it('refuses a host off the default loopback allowlist', () => {
    planError(
      () => buildPlan(loaded, options({ baseUrl: 'https://shop.example.com' })),
      /^plan options: baseUrl: host "shop\.example\.com" is not on the allowlist \(127\.0\.0\.1, localhost, ::1\) — .*add it to allowHosts/,
    );
    planError(
      () => buildPlan(loaded, options({ baseUrl: 'http://127.0.0.2' })),
      /host "127\.0\.0\.2" is not on the allowlist/,
    );
  });

  it('accepts loopback in any spelling, and hosts named in allowHosts (which replace the default)', () => {
    for (const baseUrl of ['http://localhost:8080', 'http://[::1]:8080/', 'http://LOCALHOST.']) {
      assert.equal(buildPlan(loaded, options({ baseUrl })).target.baseUrl, baseUrl);
    }
    const allowHosts = ['shop.example.com'];
    assert.ok(buildPlan(loaded, options({ baseUrl: 'https://shop.example.com', allowHosts })));
    planError(
      () => buildPlan(loaded, options({ allowHosts })),
      /host "127\.0\.0\.1" is not on the allowlist \(shop\.example\.com\)/,
    );
  });

  it('refuses look-alike hosts that merely start or end with a loopback name', () => {
    for (const host of [
      '127.0.0.1.evil.com',
      'localhost.example.com',
      'evil-localhost',
      'localhost.',
      '[::ffff:127.0.0.1]',
      '[::2]',
      '0.0.0.0',
      '127.0.0.1@evil.com',
    ]) {
      const baseUrl = `http://${host}:8080`;
      if (host === 'localhost.') {
        assert.ok(buildPlan(loaded, options({ baseUrl })), 'a trailing dot is the same host');
        continue;
      }
      planError(
        () => buildPlan(loaded, options({ baseUrl })),
        /baseUrl: (host .* is not on the allowlist|.* no credentials)/,
      );
    }
  });

  it('refuses other spellings of loopback (k6 checks the host as written)', () => {
    planError(
      () => buildPlan(loaded, options({ baseUrl: 'http://127.1:8080' })),
      /baseUrl: host "127\.1" is an unusual spelling of "127\.0\.0\.1" — write it as 127\.0\.0\.1/,
    );
    planError(() => buildPlan(loaded, options({ baseUrl: 'http://2130706433/' })), /unusual spelling/);
    planError(() => buildPlan(loaded, options({ baseUrl: 'http://[0:0:0:0:0:0:0:1]/' })), /write it as \[::1\]/);
  });

  it('accepts IPv6 loopback with a port and a path', () => {
    for (const baseUrl of ['http://[::1]:8080/shop', 'https://[::1]/'])
      assert.equal(buildPlan(loaded, options({ baseUrl })).target.baseUrl, baseUrl);
  });

  it('caps --peak-rps too: the rate it converts to must be within maxRate, and the message says so', () => {
    const perStart = journeyRequests('browse', ASSETS);
    assert.equal(buildPlan(loaded, options({ peakRate: undefined, peakRps: 50 * perStart })).run.peakRate, 50);
    planError(
      () => buildPlan(loaded, options({ peakRate: undefined, peakRps: 51 * perStart })),
      /peakRate: peakRps \d+\/s is 51 journey starts\/s under this mix: peakRate 51\/s is above the rate cap maxRate 50\/s/,
    );
    planError(() => buildPlan(loaded, options({ peakRate: 2, peakRps: 6 })), /give either peakRate .* or peakRps/);
    planError(() => buildPlan(loaded, options({ peakRate: undefined })), /give either peakRate .* or peakRps/);
    planError(
      () => buildPlan(loaded, options({ peakRate: undefined, peakRps: -1 })),
      /peakRps: peakRps must be a positive number/,
    );
  });

  it('refuses URLs that are not plain http(s) origins', () => {
    planError(
      () => buildPlan(loaded, options({ baseUrl: 'ftp://127.0.0.1' })),
      /baseUrl: "ftp:\/\/127\.0\.0\.1" must start with http/,
    );
    planError(() => buildPlan(loaded, options({ baseUrl: 'not a url' })), /baseUrl: "not a url" is not a URL/);
    planError(
      () => buildPlan(loaded, options({ baseUrl: 'http://user:pw@127.0.0.1' })),
      /no credentials, query or fragment/,
    );
  });

  it('refuses a peak rate above maxRate (default 50/s)', () => {
    planError(
      () => buildPlan(loaded, options({ peakRate: 51 })),
      /^plan options: peakRate: peakRate 51\/s is above the rate cap maxRate 50\/s — lower peakRate, or raise maxRate/,
    );
    planError(() => buildPlan(loaded, options({ peakRate: 120, maxRate: 100 })), /above the rate cap maxRate 100\/s/);
    assert.equal(buildPlan(loaded, options({ peakRate: 120, maxRate: 120 })).run.peakRate, 120);
    planError(() => buildPlan(loaded, options({ peakRate: 0 })), /peakRate: peakRate must be a positive number/);
  });

  it('refuses a createdAt, gracefulStop or assumedLatencyS the plan could not hold', () => {
    planError(
      () => buildPlan(loaded, options({ createdAt: '2026-11-27' })),
      /createdAt: "2026-11-27" is not an ISO 8601 time/,
    );
    planError(() => buildPlan(loaded, options({ gracefulStop: '30' })), /gracefulStop: "30" is not a k6 duration/);
    planError(
      () => buildPlan(loaded, options({ assumedLatencyS: -1 })),
      /assumedLatencyS: must be a number of seconds ≥ 0/,
    );
  });

  it('refuses bad ids, durations and an empty catalogue, all at once', () => {
    planError(
      () => buildPlan(loaded, options({ id: '../x', durationS: -1, catalogue: { categories: [], products: [] } })),
      /plan options: 3 problems:\n {2}- id: .*\n {2}- durationS: must be a positive number.*\n {2}- catalogue: the browse journey needs at least one category with a product/,
    );
  });
});

describe('buildPlan request cap (requests/s, assets included)', () => {
  const browse = parseProfile(
    JSON.stringify({
      version: 1,
      name: 'x',
      description: '',
      span: '1h',
      shape: [
        { at: '0', rate: 1 },
        { at: '1h', rate: 1 },
      ],
      mix: { browse: 1 },
      thinkTime: { medianS: 1, p90S: 2 },
    }),
    'x.json',
  );
  const capped = (over: Partial<BuildPlanOptions>) => options({ maxRps: undefined, maxRate: 1000, ...over });

  it(`holds --peak-rate to ${DEFAULT_MAX_RPS} requests/s by default, counting every request of a journey`, () => {
    // 7 requests per browse start (ASSETS): 71/s make 497 requests/s, 72/s make 504.
    const ok = buildPlan(browse, capped({ peakRate: 71 }));
    assert.equal(ok.run.maxRps, DEFAULT_MAX_RPS);
    assert.equal(ok.run.peakRps, 497);
    planError(
      () => buildPlan(browse, capped({ peakRate: 72 })),
      /^plan options: maxRps: peakRate 72\/s × 7 requests per journey start makes 504 requests\/s at the peak \(assets included\), above the request cap maxRps 500\/s — lower the rate \(--peak-rps or --peak-rate\), or raise the cap with --max-rps if the target can take it$/,
    );
    assert.equal(buildPlan(browse, capped({ peakRate: 72, maxRps: 504 })).run.maxRps, 504);
  });

  it('holds --peak-rps to the cap, and lets a raised cap through', () => {
    planError(
      () => buildPlan(browse, capped({ peakRate: undefined, peakRps: 600 })),
      /maxRps: peakRps 600\/s makes 600 requests\/s .* above the request cap maxRps 500\/s/,
    );
    assert.equal(buildPlan(browse, capped({ peakRate: undefined, peakRps: 600, maxRps: 600 })).run.peakRps, 600);
  });

  it('the same journey rate can pass or break the cap depending on the store’s assets', () => {
    assert.ok(buildPlan(browse, capped({ peakRate: 20 })), '20 × 7 = 140 requests/s');
    planError(
      () => buildPlan(browse, capped({ peakRate: 20, assetsPerPage: { first: 40, later: 4, source: 'measured' } })),
      /peakRate 20\/s × 51 requests per journey start makes 1020 requests\/s/,
    );
  });

  it('a default rehearsal (black-friday, 5 journeys/s, assets unknown) stays within the default caps', async () => {
    const loaded = await loadProfile(profileFile('black-friday'));
    const plan = buildPlan(loaded, capped({ peakRate: 5, assetsPerPage: undefined, maxRate: undefined }));
    assert.ok(plan.run.peakRps <= DEFAULT_MAX_RPS, `${plan.run.peakRps} requests/s`);
  });

  it('refuses a cap that is not a positive number, naming the flag', () => {
    planError(
      () => buildPlan(browse, capped({ maxRps: 0 })),
      /maxRps: must be a positive number of requests per second, not 0 — fix --max-rps/,
    );
  });
});
