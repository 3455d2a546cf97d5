import assert from 'node:assert/strict';
import { test } from 'node:test';
import { costOfWindow } from './cost-model.ts';
import { DEFAULT_LOCAL_MAPPING, type CostInputs, type StackCostConfig } from './cost-types.ts';
import { GiB, T0, cents, everyStep, telemetry, testBook } from './fixtures/test-book.ts';

const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

const STACK: StackCostConfig = {
  region: 'us-east-1',
  aurora: { instanceClass: 'db.r7g.large', instances: 1, storage: 'standard', storageGb: 100 },
  cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 1 },
  efs: { storageGb: 10 },
  nat: { gateways: 1 },
  alb: { count: 1, rulesPerRequest: 15 },
};

// The hand-worked example. Window: 1.5 h from T0 (an hour boundary): hour H0 whole, H1 half.
const FROM = T0;
const TO = T0 + 5400;
const H1 = T0 + 3600;
const inH0 = (t: number) => t < H1;

function handWorked() {
  const tel = telemetry({
    window: { from: FROM, to: TO },
    instances: [
      // Two c7g.large in the whole window (pending 2 min, then in service): 2 × 5 400 s.
      { id: 'i-a', type: 'c7g.large', launchedAt: FROM, inServiceAt: FROM + 120 },
      { id: 'i-b', type: 'c7g.large', launchedAt: FROM - 600, inServiceAt: FROM - 480 },
      // One that never left pending: launched, 10 min later terminated: 600 s, billed all the same.
      { id: 'i-c', type: 'c7g.large', launchedAt: FROM + 1800, terminatedAt: FROM + 2400 },
    ],
    balancer: {
      // Per minute. H0: 1 500 new conns/min, 4 500 active, 6 000 requests/min; H1: 900, 600, 60 000.
      newConnections: everyStep(FROM, TO, 60, (t) => (inH0(t) ? 1500 : 900)),
      activeConnections: everyStep(FROM, TO, 60, (t) => (inH0(t) ? 4500 : 600)),
      requests: everyStep(FROM, TO, 60, (t) => (inH0(t) ? 6000 : 60_000)),
      // 1.25 GiB in H0 (20 minutes of 2^26 bytes), 0.5 GiB in H1 (8 minutes of 2^26).
      processedBytes: everyStep(FROM, TO, 60, (t) => (t - FROM < 1200 || (t >= H1 && t - H1 < 480) ? 2 ** 26 : 0)),
    },
    orders: { persisted: 120, countedAt: TO },
  });
  const inputs: CostInputs = {
    requests: 2_160_000, // 60 × 6 000 + 30 × 60 000
    responseBytes: 1.25 * GiB,
    dbIoRequests: 3_000_000,
    efsReadBytes: 1 * GiB,
    efsWriteBytes: 0.5 * GiB,
    natBytes: 2 * GiB,
    stack: STACK,
    runners: [
      { id: 'r-1', type: 'c7g.xlarge', launchedAt: FROM - 300, terminatedAt: TO + 300 },
      { id: 'r-2', type: 'c7g.xlarge', launchedAt: FROM - 300, terminatedAt: TO + 300 },
    ],
    cloudWatchMetricsRequested: 1800,
  };
  return costOfWindow(tel, inputs, testBook());
}

test('hand-worked example: every component priced to the cent', () => {
  const r = handWorked();
  // EC2: 2 × 5 400 s + 600 s = 11 400 s = 3.1667 h × $0.0725 = $0.229583 → 23 ¢.
  close(r.byComponent.ec2, (11_400 / 3600) * 0.0725, 'ec2');
  assert.equal(cents(r.byComponent.ec2), 23);
  assert.deepEqual(r.usage.appInstanceSecondsByType, { 'c7g.large': 11_400 });
  // ALB, H0: new 90 000/3 600 = 25/s → 1.0 LCU; active 4 500 → 1.5 LCU; 1.25 GB → 1.25 LCU;
  //   rules (15 − 10 free) × 100 req/s = 500/s → 0.5 LCU. Billed: active connections, 1.5 LCU.
  // ALB, H1 (half in the window; the rest of the hour had nothing): new 27 000/3 600 = 7.5/s → 0.3;
  //   active 600 × 1 800 s / 3 600 s = 300 → 0.1; 0.5 GB → 0.5; rules 5 × 1 800 000 / 3 600 = 2 500/s → 2.5.
  //   Billed: rule evaluations, 2.5 LCU.
  // ALB $ = 1.5 h × $0.0225 + (1.5 + 2.5) LCU-h × $0.008 = 0.03375 + 0.032 = $0.06575 → 7 ¢.
  close(r.byComponent.alb, 0.03375 + 0.032, 'alb');
  assert.equal(cents(r.byComponent.alb), 7);
  // Aurora: 1.5 h × $0.276 = 0.414; storage 100 GB × $0.10 × 1.5/730 = 0.020548; I/O 3 M × $0.20 = 0.60
  //   → $1.034548 → 103 ¢.
  close(r.byComponent.aurora, 0.414 + (100 * 0.1 * 1.5) / 730 + 0.6, 'aurora');
  assert.equal(cents(r.byComponent.aurora), 103);
  // Cache: 1.5 h × $0.065 = $0.0975 → 10 ¢.
  close(r.byComponent.cache, 0.0975, 'cache');
  assert.equal(cents(r.byComponent.cache), 10);
  // EFS: 10 GB × $0.30 × 1.5/730 = 0.006164 + 1 GB read × $0.03 + 0.5 GB written × $0.06 = $0.066164 → 7 ¢.
  close(r.byComponent.efs, (10 * 0.3 * 1.5) / 730 + 0.03 + 0.03, 'efs');
  assert.equal(cents(r.byComponent.efs), 7);
  // NAT: 1.5 h × $0.045 + 2 GB × $0.045 = 0.0675 + 0.09 = $0.1575 → 16 ¢.
  close(r.byComponent.nat, 0.1575, 'nat');
  assert.equal(cents(r.byComponent.nat), 16);
  // Transfer out: 1.25 GB × $0.09 = $0.1125 → 11 ¢.
  close(r.byComponent.transferOut, 0.1125, 'transferOut');
  assert.equal(cents(r.byComponent.transferOut), 11);
  // Total: 0.229583 + 0.06575 + 1.034548 + 0.0975 + 0.066164 + 0.1575 + 0.1125 = $1.763546 → 176 ¢.
  close(r.total, 1.7635456621004566, 'total');
  assert.equal(cents(r.total), 176);
  assert.equal(r.modelled, false);
  assert.equal(r.localMapping, undefined);
});

test('the highest dimension is billed, and a different one wins in different hours', () => {
  const r = handWorked();
  assert.equal(r.albHours.length, 2);
  const [h0, h1] = r.albHours;
  assert.equal(h0!.hourStart, T0);
  assert.equal(h0!.winner, 'activeConnections');
  close(h0!.lcus, 1.5, 'H0 LCUs');
  close(h0!.dimensions.newConnections, 1.0, 'H0 new connections');
  close(h0!.dimensions.processedBytes, 1.25, 'H0 processed bytes');
  close(h0!.dimensions.ruleEvaluations, 0.5, 'H0 rule evaluations');
  assert.equal(h1!.winner, 'ruleEvaluations');
  close(h1!.lcus, 2.5, 'H1 LCUs');
  close(h1!.dimensions.activeConnections, 0.1, 'H1 active');
  close(h1!.dimensions.newConnections, 0.3, 'H1 new');
  close(h1!.dimensions.processedBytes, 0.5, 'H1 bytes');
  // Had AWS summed the dimensions (or taken one for the whole window) the bill would differ.
  const lcuLine = r.lines.find((l) => l.unit === 'LCU-hours')!;
  close(lcuLine.quantity, 4.0, 'LCU-hours');
  close(lcuLine.usd, 0.032, 'LCU dollars');
});

test('per request, per 1 M requests and per completed order', () => {
  const r = handWorked();
  assert.equal(r.requests, 2_160_000);
  assert.equal(r.completedOrders, 120); // from telemetry.orders
  close(r.perRequest!, 1.7635456621004566 / 2_160_000, 'per request');
  // $1.763546 / 2.16 M × 1 M = $0.816456 → 82 ¢ per million requests.
  assert.equal(cents(r.perMillionRequests!), 82);
  // $1.763546 / 120 orders = $0.014696 per order: 1.47 ¢.
  assert.equal(Math.round(r.perCompletedOrder! * 10_000), 147);
  const none = costOfWindow(
    telemetry({ window: { from: FROM, to: TO } }),
    { requests: 0, responseBytes: 0, stack: STACK },
    testBook(),
  );
  assert.equal(none.perRequest, null);
  assert.equal(none.perCompletedOrder, null);
  assert.ok(none.assumptions.some((a) => a.includes('no completed-order count')));
});

test('the runner fleet and CloudWatch calls are the price of the rehearsal, not the store', () => {
  const r = handWorked();
  // Runners over their whole lives: 2 × 6 000 s = 3.3333 h × $0.145 = $0.483333 → 48 ¢.
  close(r.rehearsal.runners, (12_000 / 3600) * 0.145, 'runners');
  assert.equal(cents(r.rehearsal.runners), 48);
  assert.deepEqual(r.rehearsal.runnerSecondsByType, { 'c7g.xlarge': 12_000 });
  // 1 800 metrics × $0.01/1 000 = $0.018.
  close(r.rehearsal.cloudwatch, 0.018, 'cloudwatch');
  assert.equal(cents(r.rehearsal.total), 50);
  // Nothing of it in the store's total or components.
  close(r.total, 1.7635456621004566, 'store total unchanged');
  assert.ok(!r.lines.some((l) => l.item.includes('runner')));
});

test('the per-minute series adds up to the total, component by component', () => {
  const r = handWorked();
  assert.equal(r.perMinute.length, 90);
  assert.equal(r.perMinute[0]!.t, T0);
  for (const c of Object.keys(r.byComponent) as Array<keyof typeof r.byComponent>) {
    close(
      r.perMinute.reduce((s, m) => s + m.byComponent[c], 0),
      r.byComponent[c],
      `per-minute ${c}`,
    );
  }
  close(
    r.perMinute.reduce((s, m) => s + m.usd, 0),
    r.total,
    'per-minute total',
  );
  // Minute 30 of H0 has i-c pending: 3 instances → 3 × 60 s × $0.0725/3 600.
  close(r.perMinute[30]!.byComponent.ec2, (3 * 60 * 0.0725) / 3600, 'minute 30 ec2');
  // A minute of H1: its share of the hour's winning dimension (60 000 of 1.8 M requests) of 2.5 LCU.
  close(r.perMinute[70]!.byComponent.alb, (60 * 0.0225) / 3600 + (2.5 / 30) * 0.008, 'minute 70 alb');
});

test('a local run is modelled: priced as the mapped AWS stack, with the mapping in the report', () => {
  const tel = telemetry({
    source: 'local',
    window: { from: FROM, to: FROM + 600 },
    instances: [
      { id: 'local-0', type: 'local', launchedAt: FROM - 60, inServiceAt: FROM - 55 },
      { id: 'local-1', type: 'c7g.large', launchedAt: FROM + 300, inServiceAt: FROM + 302 },
    ],
    balancer: { requests: everyStep(FROM, FROM + 600, 1, () => 10) },
  });
  const r = costOfWindow(tel, { requests: 6000, responseBytes: 0, completedOrders: 12 }, testBook());
  assert.equal(r.modelled, true);
  assert.deepEqual(r.localMapping, DEFAULT_LOCAL_MAPPING);
  assert.ok(Object.isFrozen(DEFAULT_LOCAL_MAPPING.stack.aurora), 'the default mapping cannot be changed by accident');
  assert.equal(r.region, 'us-east-1');
  // "local" priced as the mapping's app type; 600 + 300 s of c7g.large.
  assert.deepEqual(r.usage.appInstanceSecondsByType, { 'c7g.large': 900 });
  close(r.byComponent.ec2, (900 / 3600) * 0.0725, 'ec2');
  assert.ok(r.assumptions.some((a) => a.includes('"local"') && a.includes('c7g.large')));
  // The mapping's Aurora and cache sizes are what is priced.
  assert.ok(r.lines.some((l) => l.item.startsWith('db.r7g.large (standard) × 1')));
  assert.ok(r.lines.some((l) => l.item.startsWith('cache.t4g.medium (redis) × 1')));
  close(r.byComponent.cache, (600 / 3600) * 0.065, 'cache');
  assert.ok(r.pricesUsed.some((p) => p.path === 'regions["us-east-1"].ec2["c7g.large"]' && p.basis === 'aws'));
});

test('EC2 bills a machine that lived under a minute for 60 s', () => {
  const tel = telemetry({
    window: { from: FROM, to: FROM + 600 },
    instances: [{ id: 'i-short', type: 'c7g.large', launchedAt: FROM + 100, terminatedAt: FROM + 120 }],
  });
  const r = costOfWindow(tel, { requests: 0, responseBytes: 0, stack: STACK }, testBook());
  assert.deepEqual(r.usage.appInstanceSecondsByType, { 'c7g.large': 60 });
});

test('bad inputs name the field and the fix', () => {
  const tel = telemetry({
    window: { from: FROM, to: FROM + 600 },
    instances: [{ id: 'i-x', type: 'c9z.huge', launchedAt: FROM }],
  });
  assert.throws(
    () => costOfWindow(tel, { requests: 1, responseBytes: 0 }, testBook()),
    /cost inputs: stack: an AWS run needs/,
  );
  assert.throws(
    () => costOfWindow(tel, { requests: 1, responseBytes: 0, stack: STACK }, testBook()),
    (e: Error) =>
      e.name === 'PriceBookError' &&
      /ec2\["c9z\.huge"\]/.test(e.message) &&
      /telemetry instances\[0\]\.type/.test(e.message),
  );
  assert.throws(
    () => costOfWindow(tel, { requests: -1, responseBytes: 0, stack: STACK }, testBook()),
    /requests: must be a number ≥ 0/,
  );
  const reversed = telemetry({
    window: { from: FROM, to: FROM + 600 },
    instances: [{ id: 'i-r', type: 'c7g.large', launchedAt: FROM + 50, terminatedAt: FROM + 10 }],
  });
  assert.throws(
    () => costOfWindow(reversed, { requests: 1, responseBytes: 0, stack: STACK }, testBook()),
    /telemetry instances\[0\] \(i-r\): terminatedAt .* is before launchedAt/,
  );
  assert.throws(
    () => costOfWindow(tel, { requests: 1, responseBytes: 0, stack: { ...STACK, region: 'ap-south-1' } }, testBook()),
    /regions\.ap-south-1: no prices for this region/,
  );
  assert.throws(
    () => costOfWindow(tel, { requests: 1, responseBytes: 0, stack: { ...STACK, nat: { gateways: -1 } } }, testBook()),
    /cost inputs stack: nat\.gateways/,
  );
});
