// SLO thresholds inside real k6 runs against a fake store on 127.0.0.1 (short and bounded by a
// kill timer): a breached objective makes k6 exit 99; the abort threshold stops a failing load early.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildPlan } from '../plan/build-plan.ts';
import { writePlan } from '../plan/plan-file.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { fakeStoreAssets, smallCatalogue, startFakeStore } from '../test-support/fake-store.ts';
import { useFakeStore } from '../test-support/use-fake-store.ts';
import { parseSloFile } from './slo-file.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';

const KILL_AFTER_MS = 40_000;
const catalogue = smallCatalogue(2, 3);
const env = useFakeStore(catalogue, 'rehearse-slo-k6-');

async function runK6(plan: Plan) {
  const planPath = join(env.dir, `${plan.id}.plan.json`);
  const summaryPath = join(env.dir, `${plan.id}.summary.json`);
  await writePlan(planPath, plan);
  const { code, stderr, seconds } = await runK6Bounded({ planPath, summaryPath, killAfterMs: KILL_AFTER_MS });
  const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as {
    metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  };
  return { code, stderr, seconds, summary };
}

async function plan(
  id: string,
  baseUrl: string,
  durationS: number,
  slo: object,
  abortDelayS?: number,
  peakRate = 10,
): Promise<Plan> {
  const loaded = await loadProfile(new URL('../profiles/smoke.json', import.meta.url).pathname);
  return buildPlan(loaded, {
    id,
    baseUrl,
    targetKind: 'local',
    peakRate,
    durationS,
    assetsPerPage: fakeStoreAssets(),
    catalogue,
    createdAt: new Date().toISOString(),
    abortDelayS,
    slo: parseSloFile(JSON.stringify({ version: 1, name: id, ...slo }), `${id}.json`),
  });
}

describe('SLO thresholds in k6', { concurrency: true }, () => {
  it('a breached latency objective fails the run with exit 99; met objectives pass', async () => {
    // No real store answers in under a microsecond: the browse p95 objective must fail.
    const p = await plan('slo-breach', env.store.baseUrl, 3, {
      errorRate: 0.01,
      checksPass: 0.99,
      checkoutSuccess: 0.5,
      journeys: { browse: { p95Ms: 0.001, errorRate: 0.01 } },
    });
    assert.ok(p.k6.scenarios.checkout, 'the smoke mix has the checkout journey');
    const r = await runK6(p);
    assert.equal(r.code, 99, `k6 exit ${r.code}\n${r.stderr}`);
    const th = (metric: string, expr: string) => r.summary.metrics[metric]?.thresholds?.[expr]?.ok;
    assert.equal(th('rehearse_page_api_duration{scenario:browse}', 'p(95)<=0.001'), false);
    assert.equal(th('http_req_failed', 'rate<=0.01'), true);
    assert.equal(th('checks', 'rate>=0.99'), true);
    assert.equal(th('http_req_failed{scenario:browse}', 'rate<=0.01'), true);
    // k6 accepted the checkout_success threshold (it would refuse one on an undefined metric).
    assert.equal(typeof th('checkout_success', 'rate>=0.5'), 'boolean');
    // Started journeys (completed + dropped) against the plan's arrivals: a breach that stopped the load would
    // leave most of them unstarted; a busy machine only moves some from completed to dropped.
    const started =
      r.summary.metrics.iterations!.values.count! + (r.summary.metrics.dropped_iterations?.values.count ?? 0);
    assert.ok(
      started >= 0.7 * p.expected.total,
      `the breach does not stop the load: only the abort threshold does (${started} of ${p.expected.total})`,
    );
  });

  it('the abort threshold stops a failing load early (exit 99, a fraction of the planned journeys)', async () => {
    // Every page of a store under /missing is a 404: the error rate is 100 %.
    const p = await plan(
      'slo-abort',
      `${env.store.baseUrl}/missing`,
      20,
      { errorRate: 0.01, abortOnErrorRate: 0.5 },
      1,
    );
    // 200 journeys, less under one per journey started out of phase (build-plan.ts).
    assert.ok(p.expected.total > 194 && p.expected.total <= 200, `${p.expected.total}`);
    const r = await runK6(p);
    assert.equal(r.code, 99, `k6 exit ${r.code}\n${r.stderr}`);
    const scheduled =
      r.summary.metrics.iterations!.values.count! + (r.summary.metrics.dropped_iterations?.values.count ?? 0);
    assert.ok(scheduled > 0 && scheduled < 0.5 * p.expected.total, `scheduled ${scheduled} of ${p.expected.total}`);
    assert.ok(r.seconds < 12, `stopped after ${r.seconds.toFixed(1)} s of a 20 s run`);
    assert.match(
      r.stderr,
      /thresholds on metrics '[^']*http_req_failed[^']*' were crossed; at least one has abortOnFail enabled/,
    );
  });

  it('latency limits judge pages and API calls only: slow assets neither fail nor pass a journey', async () => {
    // Pages answer at once, every stylesheet and image 600 ms late: the browse journey's pages meet
    // a 400 ms p95 even though more than a third of its requests are slow assets.
    const store = await startFakeStore(catalogue, { assetDelayMs: 600 });
    try {
      const p = await plan(
        'slo-assets',
        store.baseUrl,
        5,
        { errorRate: 0.05, checksPass: 0.5, journeys: { browse: { p95Ms: 400 } } },
        undefined,
        6,
      );
      // The assets' own latency, reported apart (a submetric k6 shows once a threshold names it).
      p.k6.thresholds['http_req_duration{scenario:browse,kind:asset}'] = ['p(95)>=0'];
      const r = await runK6(p);
      const th = (metric: string, expr: string) => r.summary.metrics[metric]?.thresholds?.[expr]?.ok;
      assert.equal(th('rehearse_page_api_duration{scenario:browse}', 'p(95)<=400'), true, r.stderr);
      assert.equal(r.code, 0, `k6 exit ${r.code}\n${r.stderr}`);
      const assets = r.summary.metrics['http_req_duration{scenario:browse,kind:asset}']?.values;
      assert.ok((assets?.['p(95)'] ?? 0) >= 600, `asset p95 ${assets?.['p(95)']} ms: the assets were slow`);
      // What the old threshold read — every request of the scenario — was over the limit.
      const all = r.summary.metrics.http_req_duration!.values;
      assert.ok(all['p(95)']! >= 400, `all requests p95 ${all['p(95)']} ms`);
    } finally {
      await store.close();
    }
  });
});
