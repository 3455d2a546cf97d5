// The gate on the fixture run's record: an SLO it meets passes, one it breaks fails with the
// measured value and the limit, a regression against a baseline fails, and junit.xml is well formed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { evaluateGate } from './evaluate-gate.ts';
import { gateText } from './gate-text.ts';
import { parseTolerance, sloWithFlags } from './implicit-slo.ts';
import { renderJunitXml } from './junit-xml.ts';

const slo = (over: Partial<Slo> = {}): Slo => ({
  version: 1,
  name: 'test',
  errorRate: 0.5,
  checksPass: 0.5,
  journeys: {},
  abortOnErrorRate: 0.5,
  ...over,
});

async function clean(): Promise<RunRecord> {
  const r = await fixtureRecord();
  r.run.interrupted = false;
  return r;
}

test('a run that meets every objective passes; breaking one fails with measured vs limit', async () => {
  const record = await clean();
  const j = record.journeys[0];
  const ok = evaluateGate(
    record,
    slo({ journeys: { [j.name]: { p95Ms: j.latency.p95! + 1, p99Ms: j.latency.p99! + 1 } } }),
    { tolerance: 0.1 },
  );
  assert.equal(ok.pass, true, gateText(record, ok));
  assert.deepEqual(
    ok.objectives.map((o) => o.id),
    [
      'completed',
      'droppedRate',
      'achievedRate',
      'generator',
      'errorRate',
      'checksPass',
      `journey.${j.name}.p95Ms`,
      `journey.${j.name}.p99Ms`,
    ],
  );

  const bad = evaluateGate(record, slo({ journeys: { [j.name]: { p95Ms: j.latency.p95! / 2 } } }), { tolerance: 0.1 });
  assert.equal(bad.pass, false);
  const failed = bad.objectives.filter((o) => !o.pass);
  assert.equal(failed.length, 1);
  assert.equal(failed[0].measured, j.latency.p95);
  assert.equal(failed[0].limit, j.latency.p95! / 2);
  assert.match(gateText(record, bad), new RegExp(`^FAIL [\\s\\S]*FAILED Journey ${j.name}: p95 \\d+ ms is above`));
});

test('error rate, checks, a missing journey and an interrupted run each fail', async () => {
  const record = await clean();
  const strict = evaluateGate(record, slo({ errorRate: record.totals.errorRate / 2, checksPass: 1 }), {
    tolerance: 0.1,
  });
  assert.deepEqual(
    strict.objectives.filter((o) => !o.pass).map((o) => o.id),
    ['errorRate', 'checksPass'],
  );
  const missing = evaluateGate(record, slo({ journeys: { nosuch: { p95Ms: 100 } } }), { tolerance: 0.1 });
  assert.match(missing.objectives.find((o) => o.id === 'journey.nosuch.p95Ms')!.detail, /not in this run/);
  record.run.interrupted = true;
  assert.equal(evaluateGate(record, slo(), { tolerance: 0.1 }).objectives[0].pass, false);
});

test('checkout success is judged from the reconciliation when the SLO asks for it', async () => {
  const record = await clean();
  const s = slo({ checkoutSuccess: 0.99 });
  assert.equal(evaluateGate(record, s, { tolerance: 0.1, checkout: { attempts: 100, succeeded: 99 } }).pass, true);
  const r = evaluateGate(record, s, { tolerance: 0.1, checkout: { attempts: 100, succeeded: 90 } });
  assert.match(r.objectives.find((o) => o.id === 'checkoutSuccess')!.detail, /90\.00 % .* below 99 %/);
  assert.equal(evaluateGate(record, s, { tolerance: 0.1, checkout: null }).pass, false, 'not measured is not a pass');
});

test('a regression against the baseline beyond the tolerance fails; within it passes', async () => {
  const baseline = await clean();
  const run = await clean();
  run.run.id = 'candidate';
  run.totals.latency.p95 = baseline.totals.latency.p95! * 1.05 + 0.5;
  assert.equal(evaluateGate(run, slo(), { tolerance: 0.1, baseline }).pass, true);
  run.totals.latency.p95 = baseline.totals.latency.p95! * 1.5 + 5;
  run.totals.achievedRate = baseline.totals.achievedRate * 0.5;
  const r = evaluateGate(run, slo(), { tolerance: 0.1, baseline });
  assert.equal(r.pass, false);
  assert.deepEqual(
    r.comparison!.regressions.map((f) => f.figure),
    ['p95', 'throughput (mean requests/s)'],
  );
  assert.match(
    gateText(run, r),
    /REGRESSION p95: .* vs .* in baseline fixture-4runners \(\+\d+\.\d %, tolerance 10 %\)/,
  );
});

test('junit.xml parses and has one testcase per objective, failures with measured and limit', async () => {
  const record = await clean();
  record.journeys[0].name = 'a<b>&"c';
  const r = evaluateGate(record, slo({ errorRate: 0.0001, journeys: { [record.journeys[0].name]: { p95Ms: 1 } } }), {
    tolerance: 0.1,
  });
  const xml = renderJunitXml(record.run.id, r);
  // Parse with a real XML parser (Chromium's DOMParser): malformed XML yields a <parsererror>.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    const parsed = await page.evaluate((text) => {
      // Runs in the page; the repo's TypeScript has no DOM types, hence the loose typing.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const g = globalThis as any;
      const doc = new g.DOMParser().parseFromString(text, 'application/xml');
      const cases: Array<{
        getAttribute(n: string): string | null;
        getElementsByTagName(n: string): ArrayLike<{ getAttribute(n: string): string | null }>;
      }> = [...doc.getElementsByTagName('testcase')];
      return {
        error: doc.getElementsByTagName('parsererror').length as number,
        cases: cases.map((c) => ({
          name: c.getAttribute('name'),
          failure: c.getElementsByTagName('failure')[0]?.getAttribute('message') ?? null,
        })),
        failures: doc.getElementsByTagName('testsuite')[0].getAttribute('failures') as string | null,
      };
    }, xml);
    assert.equal(parsed.error, 0, xml);
    assert.deepEqual(
      parsed.cases.map((c) => c.name),
      r.objectives.map((o) => o.id),
    );
    assert.equal(parsed.failures, String(r.objectives.filter((o) => !o.pass).length));
    assert.match(parsed.cases.find((c) => c.name === 'errorRate')!.failure!, /Error rate .* is above 0\.01 %/);
  } finally {
    await browser.close();
  }
});

test('legacy flags map onto an SLO; tolerance reads 10%, 10 and 0.1 alike', async () => {
  const record = await clean();
  const s = sloWithFlags(record, undefined, { maxErrorRate: 0.02, maxCheckFailRate: 0.05, maxP95: 800 });
  assert.equal(s.errorRate, 0.02);
  assert.equal(s.checksPass, 0.95);
  for (const j of record.journeys) assert.equal(s.journeys[j.name]?.p95Ms, 800, j.name);
  assert.deepEqual([parseTolerance('10%'), parseTolerance('10'), parseTolerance('0.1')], [0.1, 0.1, 0.1]);
  assert.throws(() => parseTolerance('ten'), /--tolerance ten: not a number/);
});
