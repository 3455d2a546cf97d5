import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { k6SummaryCounts, planMeta, runIdFromDir } from './run-inputs.ts';

test('plan.json is read loosely: known fields when well typed, null otherwise', () => {
  assert.deepEqual(
    planMeta({
      id: 'bf-1',
      profile: { name: 'black-friday' },
      target: { kind: 'aws', baseUrl: 'https://shop.example' },
      run: { peakRate: 120, durationS: 600 },
      expected: { total: 40000 },
      extra: 1,
    }),
    {
      id: 'bf-1',
      profile: 'black-friday',
      targetKind: 'aws',
      baseUrl: 'https://shop.example',
      peakRate: 120,
      durationS: 600,
      expectedTotal: 40000,
      k6Version: null,
      maxVUs: null,
    },
  );
  const none = {
    id: null,
    profile: null,
    targetKind: null,
    baseUrl: null,
    peakRate: null,
    durationS: null,
    expectedTotal: null,
    k6Version: null,
    maxVUs: null,
  };
  assert.deepEqual(planMeta(null), none);
  assert.deepEqual(planMeta({ id: 7, profile: 'x', run: { peakRate: '120', durationS: -1 }, target: null }), none);
  assert.equal(planMeta({ k6: { version: 'v2.2.0' } }).k6Version, 'v2.2.0');
  assert.equal(planMeta({ k6: { scenarios: { browse: { maxVUs: 40 }, checkout: { maxVUs: 12 } } } }).maxVUs, 52);
  assert.equal(
    planMeta({ k6: { scenarios: { browse: { maxVUs: 40 }, checkout: {} } } }).maxVUs,
    null,
    'one unknown: the sum is unknown',
  );
});

test('k6 summary counts come from handleSummary data (real k6 v2.2.0 output)', async () => {
  const data = JSON.parse(
    await readFile(new URL('../fixtures/run-4runners/raw/runner-1/summary.json', import.meta.url), 'utf8'),
  );
  const s = k6SummaryCounts('runner-1', data);
  assert.equal(s.requests, data.metrics.http_reqs.values.count);
  assert.equal(s.p95, data.metrics.http_req_duration.values['p(95)']);
  assert.equal(s.failed, data.metrics.http_req_failed.values.passes);
  assert.equal(s.checksFailed, data.metrics.checks.values.fails);
  assert.ok(s.testRunDurationMs! > 0);
  assert.deepEqual(k6SummaryCounts('r', {}), {
    runner: 'r',
    requests: null,
    failed: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
    max: null,
    avg: null,
    iterations: null,
    droppedIterations: null,
    checksPassed: null,
    checksFailed: null,
    testRunDurationMs: null,
  });
});

test('the run id falls back to the directory name', () => {
  assert.equal(runIdFromDir('/x/runs/20261127-bf/'), '20261127-bf');
});
