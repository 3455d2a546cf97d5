import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';
import { analyseCapacityCurve, type CountKnee } from '../analyse/capacity-curve.ts';
import { renderCapacityReport } from './capacity-report.ts';

const knee = (instances: number, rps: number, db: number): CountKnee => ({
  instances,
  outcome: 'found',
  kneeJourneysPerS: rps / 6,
  kneeRequestsPerS: rps,
  brokeAtJourneysPerS: rps / 5,
  p95ByJourneyAtKnee: { browse: 410 },
  tiersAtBreak: [{ tier: 'db', mean: db, p95: db, max: db }],
  whyBroke: ['Journey browse: p95 612 ms is above 500 ms.'],
  plateauCount: 7,
  searchMinutes: 2.4,
});

test('capacity.html: the curve as a chart with the numbers in its alt text, the findings, the sale day, the time scales', async () => {
  const counts = [knee(1, 20, 40), knee(2, 38, 60), knee(4, 44, 96)];
  const curve = analyseCapacityCurve(counts, {
    slo: DEFAULT_SLO,
    targetKind: 'local',
    plateauS: 15,
    stepFactor: 1.25,
    tolerance: 0.1,
    headroom: 0.3,
    salePeakRps: 30,
  });
  const html = await renderCapacityReport('cap-1', curve, counts);
  assert.match(
    html,
    /<img src="data:image\/png;base64,[^"]+" alt="Requests per second held at SLO &quot;default&quot; by instance count: 1 → 20\.0 \(100 % of linear\), 2 → 38\.0 \(95 % of linear\), 4 → 44\.0 \(55 % of linear\); flattens beyond 2\."/,
  );
  assert.match(html, /Beyond 2 instances the curve flattens .*the database is the limit/);
  assert.match(
    html,
    /<h2 id="sale-day">Sale day<\/h2><p>For a peak of 30\.0 requests\/s with 30 % headroom \(39\.0 requests\/s\)/,
  );
  assert.match(html, /<b>modelled<\/b>/);
  assert.match(html, /no profile compression/);
  assert.match(html, /Journey browse: p95 612 ms is above 500 ms\./);
  assert.doesNotMatch(html, /<script/);
});
