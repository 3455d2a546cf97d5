import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSlo } from './slo-schema.ts';
import { abortThresholds, CHECKOUT_SUCCESS_METRIC, sloThresholds } from './slo-thresholds.ts';

const slo = (extra: object) => parseSlo(JSON.stringify({ version: 1, name: 't', errorRate: 0.01, ...extra }), 't.json');
const opts = { scenarios: ['browse', 'checkout'], abortErrorRate: 0.5, delayAbortEval: '10s' };

describe('SLO → k6 thresholds', () => {
  it('run-wide error rate and checks, plus the abort threshold on http_req_failed', () => {
    const { thresholds, skipped } = sloThresholds(slo({ checksPass: 0.97 }), opts);
    assert.deepEqual(thresholds, {
      http_req_failed: ['rate<=0.01', { threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '10s' }],
      checks: ['rate>=0.97'],
    });
    assert.deepEqual(skipped, []);
  });

  it('per journey: p95 and p99 on its pages and API calls (rehearse_page_api_duration, never assets), its own error rate on http_req_failed', () => {
    const { thresholds } = sloThresholds(
      slo({ journeys: { browse: { p95Ms: 1500, p99Ms: 3000, errorRate: 0.02 }, checkout: { p95Ms: 2999.5 } } }),
      opts,
    );
    assert.deepEqual(thresholds['rehearse_page_api_duration{scenario:browse}'], ['p(95)<=1500', 'p(99)<=3000']);
    assert.deepEqual(thresholds['http_req_failed{scenario:browse}'], ['rate<=0.02']);
    assert.deepEqual(thresholds['rehearse_page_api_duration{scenario:checkout}'], ['p(95)<=2999.5']);
    assert.equal(thresholds['http_req_failed{scenario:checkout}'], undefined);
  });

  it('checkout success as a rate threshold on checkout_success, only when the plan has the checkout journey', () => {
    assert.deepEqual(sloThresholds(slo({ checkoutSuccess: 0.98 }), opts).thresholds[CHECKOUT_SUCCESS_METRIC], [
      'rate>=0.98',
    ]);
    const without = sloThresholds(slo({ checkoutSuccess: 0.98, journeys: { search: { p95Ms: 500 } } }), {
      ...opts,
      scenarios: ['browse'],
    });
    assert.equal(without.thresholds[CHECKOUT_SUCCESS_METRIC], undefined);
    assert.equal(without.thresholds['rehearse_page_api_duration{scenario:search}'], undefined);
    assert.deepEqual(without.skipped, [
      'checkoutSuccess: the plan has no checkout journey',
      'journeys.search: the plan has no search scenario',
    ]);
  });

  it('no abort when abortErrorRate is null; thresholds never use exponent notation', () => {
    const { thresholds } = sloThresholds(slo({ errorRate: 0.0000005, checksPass: 0 }), {
      ...opts,
      abortErrorRate: null,
    });
    assert.deepEqual(thresholds.http_req_failed, ['rate<=0.0000005']);
    assert.deepEqual(thresholds.checks, ['rate>=0']);
    assert.deepEqual(abortThresholds(null, '5s'), {});
    assert.deepEqual(abortThresholds(0.25, '5s'), {
      http_req_failed: [{ threshold: 'rate<0.25', abortOnFail: true, delayAbortEval: '5s' }],
    });
  });

  it('every SLO example in scenarios/slo/ parses and converts', () => {
    const dir = new URL('./', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 2, files.join());
    for (const f of files) {
      const { thresholds } = sloThresholds(parseSlo(readFileSync(new URL(f, dir), 'utf8'), f), opts);
      for (const list of Object.values(thresholds)) {
        for (const t of list)
          assert.match(typeof t === 'string' ? t : t.threshold, /^(rate|p\(\d+\))(<|<=|>=)\d+(\.\d+)?$/);
      }
    }
  });
});
