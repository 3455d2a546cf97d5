// The analysis on hand-made timelines and telemetry, where the right answer can be worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { analyseCapacity, sustainedWindow } from './capacity.ts';
import { analyseScaling } from './scaling.ts';
import { breachEpisodes, sloSeconds, type SecondState } from './slo-seconds.ts';
import { durationS, plannedRateFn, plannedVsAchieved } from './planned-rate.ts';
import { preScaleLead } from './recommendation.ts';

const T = 1_800_000_000;

function tel(over: Partial<Telemetry>): Telemetry {
  return {
    schema: 'rehearse.telemetry/v1',
    source: 'local',
    window: { from: T, to: T + 300 },
    capacity: { desired: [], pending: [], inService: [] },
    instances: [],
    activities: [],
    cpu: { perInstance: {}, db: [], cache: [] },
    connections: { db: [], cache: [] },
    balancer: {},
    ...over,
  };
}

/** 300 s at `rate` requests/s; breached in [from, to). */
const secs = (n: number, rate: (i: number) => number, breached: (i: number) => boolean): SecondState[] =>
  Array.from({ length: n }, (_, i) => ({ t: T + i, requests: rate(i), breached: breached(i) }));

test('a breach at t=60 with a new instance in service at t=150: 90 s to capacity, 90 s breached while pending', () => {
  const seconds = secs(
    300,
    () => 20,
    (i) => i >= 60 && i < 160,
  );
  const telemetry = tel({
    instances: [
      { id: 'a', type: 'c7g.large', launchedAt: T - 100, inServiceAt: T - 90 },
      { id: 'b', type: 'c7g.large', launchedAt: T + 62, inServiceAt: T + 150 },
    ],
    activities: [
      { id: 'x', start: T + 62, end: T + 150, cause: 'alarm', status: 'Successful', description: 'launch b', delta: 1 },
    ],
  });
  const s = analyseScaling(seconds, telemetry, 20);
  assert.equal(s.breaches.length, 1);
  assert.deepEqual(
    { ...s.breaches[0] },
    { from: T + 60, to: T + 160, seconds: 100, inServiceAtBreach: 1, newCapacityAt: T + 150, timeToCapacityS: 90 },
  );
  // pending from 62 to 149 inclusive while breached: 88 s
  assert.equal(s.breachedWhilePendingS, 88);
  assert.ok(Math.abs(s.breachedWhilePendingMinutes - 88 / 60) < 1e-9);
  assert.equal(s.activities[0].atS, 62);
  assert.equal(s.slowestLaunchToServiceS, 88);
  // used: a for 300 s + b from 62 to 300 = 538 s; needed: 20 req/s ÷ 20 per instance = 1 per minute × 5
  assert.ok(Math.abs(s.instanceMinutesUsed - 538 / 60) < 1e-9);
  assert.equal(s.instanceMinutesNeeded, 5);
});

test('no new instance after the breach: time to capacity is null, not zero', () => {
  const seconds = secs(
    120,
    () => 10,
    (i) => i >= 30 && i < 40,
  );
  const s = analyseScaling(
    seconds,
    tel({ instances: [{ id: 'a', type: 't', launchedAt: T - 10, inServiceAt: T - 5 }] }),
    null,
  );
  assert.equal(s.breaches[0].timeToCapacityS, null);
  assert.equal(s.breachedWhilePendingS, 0);
  assert.equal(s.instanceMinutesNeeded, null);
});

test('breach episodes merge short gaps and split long ones', () => {
  const bad = new Set([5, 6, 10, 40]);
  const e = breachEpisodes(
    secs(
      60,
      () => 1,
      (i) => bad.has(i),
    ),
    10,
  );
  assert.deepEqual(e, [
    { from: T + 5, to: T + 11 },
    { from: T + 40, to: T + 41 },
  ]);
});

test('capacity: the best window that met the SLO, per instance in service, and the hottest tier', () => {
  // ramp 1..100 req/s; breached from second 80 on: the best clean 30-s window is 50..79 (mean 65.5)
  const seconds = secs(
    100,
    (i) => i + 1,
    (i) => i >= 80,
  );
  assert.deepEqual(sustainedWindow(seconds, 30), { rate: 65.5, from: T + 50 });
  const telemetry = tel({
    instances: [
      { id: 'a', type: 't', launchedAt: T - 10, inServiceAt: T - 5 },
      { id: 'b', type: 't', launchedAt: T - 10, inServiceAt: T + 65 },
    ],
    cpu: {
      perInstance: {
        a: [
          { t: T, v: 50 },
          { t: T + 1, v: 90 },
        ],
        b: [{ t: T + 1, v: 70 }],
      },
      db: [
        { t: T, v: 95 },
        { t: T + 1, v: 96 },
      ],
      cache: [{ t: T, v: 5 }],
    },
  });
  const c = analyseCapacity(seconds, telemetry, 30);
  assert.equal(c.sustainedRateAtSlo, 65.5);
  assert.equal(c.lowerBound, false);
  // b in service from 65: 15 of 30 s with 1 instance, 15 with 2 → 1.5 on average
  assert.equal(c.instancesInService, 1.5);
  assert.ok(Math.abs(c.rpsPerInstanceAtSlo! - 65.5 / 1.5) < 1e-9);
  assert.equal(c.bottleneck?.tier, 'db');
  assert.deepEqual(
    c.tiers.find((x) => x.tier === 'app'),
    { tier: 'app', mean: 65, p95: 80, max: 80 },
  );
});

test('a run that never breached gives a lower bound; one that always breached gives no rate', () => {
  assert.equal(
    analyseCapacity(
      secs(
        60,
        () => 5,
        () => false,
      ),
      null,
      30,
    ).lowerBound,
    true,
  );
  const bad = analyseCapacity(
    secs(
      60,
      () => 5,
      () => true,
    ),
    null,
    30,
  );
  assert.equal(bad.sustainedRateAtSlo, null);
  assert.equal(bad.rpsPerInstanceAtSlo, null);
});

test('SLO seconds: a journey p95 above its limit or an error rate above the SLO breaks that second', () => {
  const point = (t: number, requests: number, failed: number, p95: number) => ({
    t: T + t,
    requests,
    failed,
    p50: p95 / 2,
    p95,
    p99: p95,
  });
  const record = {
    timeline: [0, 1, 2].map((t) => ({ ...point(t, 10, 0, 100), checksFailed: 0, droppedIterations: 0, vus: 1 })),
    journeys: [{ name: 'browse', timeline: [point(0, 10, 0, 100), point(1, 10, 0, 2000), point(2, 10, 1, 100)] }],
  } as unknown as RunRecord;
  const slo: Slo = {
    version: 1,
    name: 't',
    errorRate: 0.05,
    checksPass: 0.99,
    journeys: { browse: { p95Ms: 1500 } },
    abortOnErrorRate: 0.5,
  };
  assert.deepEqual(
    sloSeconds(record, slo).map((s) => s.breached),
    [false, true, true],
  );
});

test('the planned curve follows k6 ramping-arrival-rate stages', () => {
  assert.equal(durationS('1m30s'), 90);
  assert.equal(durationS('0.167s'), 0.167);
  assert.equal(durationS('250ms'), 0.25);
  assert.equal(durationS('ten'), null);
  const plan = {
    k6: {
      scenarios: {
        a: {
          executor: 'ramping-arrival-rate',
          startRate: 0,
          timeUnit: '1m',
          stages: [
            { duration: '10s', target: 600 },
            { duration: '10s', target: 600 },
          ],
        },
        b: { executor: 'constant-arrival-rate', rate: 2, timeUnit: '1s', duration: '5s' },
      },
    },
  };
  const f = plannedRateFn(plan)!;
  assert.equal(f(4), 4 + 2); // 40 % of the way up to 10/s, plus b's 2/s
  assert.equal(f(5), 5); // b has ended
  assert.equal(f(15), 10);
  assert.equal(f(25), 0);
  assert.equal(plannedRateFn({}), null);
  const record = {
    timeline: [
      { t: T, requests: 4 },
      { t: T + 1, requests: 6 },
    ],
    journeys: [
      {
        name: 'a',
        requests: 10,
        iterations: 5,
        timeline: [
          { t: T, requests: 4 },
          { t: T + 1, requests: 6 },
        ],
      },
    ],
  } as unknown as RunRecord;
  const pts = plannedVsAchieved(record, plan)!;
  assert.deepEqual(
    pts.map((p) => p.achieved),
    [2, 3],
  );
  assert.equal(pts[0].planned, 0.5 + 2);
});

test('pre-scale lead: three times the slowest scale-out, never under 15 minutes', () => {
  assert.equal(preScaleLead(null).minutes, 15);
  assert.equal(preScaleLead(90).minutes, 15);
  assert.equal(preScaleLead(600).minutes, 30);
});
