import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';
import { analyseCapacityCurve, type CountKnee } from './capacity-curve.ts';

const knee = (
  instances: number,
  rps: number,
  tiers: Partial<Record<'app' | 'db' | 'cache', number>> = {},
): CountKnee => ({
  instances,
  outcome: 'found',
  kneeJourneysPerS: rps / 6,
  kneeRequestsPerS: rps,
  brokeAtJourneysPerS: (rps / 6) * 1.1,
  p95ByJourneyAtKnee: {},
  tiersAtBreak: Object.entries(tiers).map(([tier, p95]) => ({ tier: tier as 'app', mean: p95, p95, max: p95 })),
  whyBroke: [],
  plateauCount: 6,
  searchMinutes: 2,
});
const opts = { slo: DEFAULT_SLO, targetKind: 'local', plateauS: 15, stepFactor: 1.25, tolerance: 0.1, headroom: 0.3 };

test('efficiency per count against linear scaling from the smallest count', () => {
  const c = analyseCapacityCurve([knee(2, 36), knee(1, 20), knee(4, 64)], opts);
  assert.deepEqual(
    c.points.map((p) => p.instances),
    [1, 2, 4],
  );
  assert.deepEqual(
    c.points.map((p) => p.linear),
    [20, 40, 80],
  );
  assert.deepEqual(
    c.points.map((p) => p.efficiency),
    [1, 0.9, 0.8],
  );
  assert.deepEqual(
    c.points.map((p) => p.marginal),
    [null, 0.8, 0.7],
  );
  assert.equal(c.flattensAfter, null);
  assert.match(c.findings[0], /^One instance holds 20\.0 requests\/s at SLO "default"/);
  assert.ok(c.findings.includes('4 instances: 64.0 requests/s, 80 % of linear scaling.'));
});

test('where the curve flattens and which tier is then the limit, in words', () => {
  const c = analyseCapacityCurve(
    [
      knee(1, 20, { app: 95, db: 30 }),
      knee(2, 39, { app: 90, db: 55 }),
      knee(4, 76, { app: 85, db: 70 }),
      knee(8, 82, { app: 40, db: 97 }),
    ],
    opts,
  );
  assert.equal(c.flattensAfter, 4);
  assert.equal(c.limitBeyond, 'database');
  assert.ok(
    c.findings.some((f) =>
      /^Beyond 4 instances the curve flattens .*: the database is the limit — scale the database tier .*not the app tier\.$/.test(
        f,
      ),
    ),
    c.findings.join('\n'),
  );
  assert.equal(c.points[0].limitingTier, 'app');
});

test('the sale-day count comes from the measured curve, with headroom, and says "modelled" for a local replica', () => {
  const curve = [knee(1, 20, { app: 95 }), knee(2, 39, { app: 93 }), knee(4, 76, { app: 90 })];
  const measured = analyseCapacityCurve(curve, { ...opts, salePeakRps: 40 })!.recommendation!;
  assert.equal(measured.instances, 4, '40 × 1.3 = 52 requests/s: 2 instances hold 39, 4 hold 76');
  assert.equal(measured.basis, 'measured');
  assert.match(
    measured.text,
    /have 4 instances in service before the peak \(modelled: c7g\.large per local instance\)/,
  );
  const beyond = analyseCapacityCurve(curve, { ...opts, salePeakRps: 100 }).recommendation!;
  assert.equal(beyond.basis, 'extrapolated');
  assert.equal(beyond.instances, 4 + Math.ceil((130 - 76) / (((76 - 39) / 2 / 20) * 20)));
  const aws = analyseCapacityCurve(curve, { ...opts, targetKind: 'aws', salePeakRps: 40 });
  assert.equal(aws.modelled, false);
  assert.doesNotMatch(aws.recommendation!.text, /modelled/);
  const flat = analyseCapacityCurve([knee(1, 20), knee(2, 22, { db: 96 })], {
    ...opts,
    salePeakRps: 40,
  }).recommendation!;
  assert.equal(flat.basis, 'unreachable');
  assert.match(
    flat.text,
    /no instance count on the measured curve holds it \(at most 22\.0 requests\/s at 2\); scale the database tier/,
  );
});

test('time scales are stated: no compression, autoscaling held', () => {
  const c = analyseCapacityCurve([knee(1, 20)], opts);
  assert.match(c.timeScales[0], /constant arrival rate: no profile compression \(×1\)/);
  assert.match(c.timeScales[1], /Autoscaling was held/);
  assert.match(c.timeScales[2], /^Modelled: each local instance/);
});
