import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StackCostConfig } from './cost-types.ts';
import { GiB, testBook } from './fixtures/test-book.ts';
import { estimateRehearsal, needsConfirmation, type RehearsalEstimateInput } from './rehearsal-estimate.ts';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);

const STACK: StackCostConfig = {
  region: 'us-east-1',
  aurora: { instanceClass: 'db.r7g.large', instances: 1, storage: 'standard', storageGb: 0 },
  cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 1 },
  efs: { storageGb: 0 },
  nat: { gateways: 1 },
  alb: { count: 1, rulesPerRequest: 1 },
};

// A 30-minute plan of 360 000 requests (200 req/s); the stack lives 15 min more: 0.75 h (1 h billed whole).
const INPUT: RehearsalEstimateInput = {
  plan: { durationSeconds: 1800, expectedRequests: 360_000 },
  stack: STACK,
  app: { type: 'c7g.large', min: 2, max: 6 },
  runners: { type: 'c7g.xlarge', count: 2 },
  overheadSeconds: 900,
  perRequest: {
    responseBytes: GiB / 100_000, // 3.6 GB out
    processedBytes: GiB / 72_000, // 200 req/s → 10 GB/h → 10 LCU for 0.5 h
    newConnections: 0.01,
    connectionSeconds: 1,
    dbIo: 5, // 1.8 M I/Os
    efsReadBytes: 0,
    efsWriteBytes: 0,
    natBytes: 0,
  },
};

test('estimate of an AWS rehearsal: a low and a high bound, worked by hand', () => {
  const e = estimateRehearsal(INPUT, testBook());
  close(e.stackHours, 0.75, 'stack hours');
  // Low (2 instances, exact 0.75 h): EC2 2 × 0.75 × $0.0725 = 0.10875; ALB 0.75 × $0.0225 + 5 LCU-h × $0.008
  //   = 0.056875; Aurora 0.75 × $0.276 + 1.8 M × $0.20/M = 0.567; cache 0.75 × $0.065 = 0.04875;
  //   NAT 0.75 × $0.045 = 0.03375; out 3.6 GB × $0.09 = 0.324 → store $1.139125.
  close(e.store.low.ec2, 0.10875, 'low ec2');
  close(e.store.low.alb, 0.056875, 'low alb');
  close(e.store.low.aurora, 0.567, 'low aurora');
  // Runners: 2 × 0.75 h × $0.145 = 0.2175.
  close(e.runners, 0.2175, 'runners');
  close(e.low, 1.139125 + 0.2175, 'low');
  // High (6 instances; ALB, Aurora, cache, NAT billed 1 whole hour): EC2 6 × 0.75 × $0.0725 = 0.32625;
  //   ALB 0.0225 + 0.04; Aurora 0.276 + 0.36; cache 0.065; NAT 0.045; out 0.324 → store $1.45875.
  close(e.store.high.ec2, 0.32625, 'high ec2');
  close(e.store.high.nat, 0.045, 'high nat');
  close(e.high, 1.45875 + 0.2175, 'high');
  assert.equal(e.cloudwatch, 0);
  assert.ok(e.assumptions.some((a) => a.includes('15 min longer')));
});

test('a confirmation is needed only above the limit', () => {
  const e = estimateRehearsal(INPUT, testBook()); // $1.36–$1.68
  const over = needsConfirmation(e, 1.5);
  assert.equal(over.needed, true);
  assert.match(
    over.message,
    /may cost up to \$1\.68: estimate \$1\.36–\$1\.68 \(us-east-1, prices as of 2026-11-25\), above the limit of \$1\.50/,
  );
  assert.equal(needsConfirmation(e, 2).needed, false);
  assert.match(needsConfirmation(e, 2).message, /within the limit of \$2\.00/);
  assert.equal(needsConfirmation(e, e.high).needed, false);
  assert.equal(needsConfirmation(e, 0).needed, true);
  assert.throws(() => needsConfirmation(e, Number.NaN), /rehearsal estimate: limitUsd: must be a dollar amount/);
});

test('without a measured run the guess is used and said; bad plans name the field', () => {
  const e = estimateRehearsal({ ...INPUT, perRequest: undefined, cloudWatchMetricsPerMinute: 100 }, testBook());
  assert.ok(e.assumptions.some((a) => a.includes('stated guess')));
  // 100 metrics/min × 45 min = 4 500 metrics × $0.01/1 000 = $0.045.
  close(e.cloudwatch, 0.045, 'cloudwatch');
  assert.ok(e.high > e.low);
  assert.throws(
    () => estimateRehearsal({ ...INPUT, plan: { durationSeconds: 0, expectedRequests: 1 } }, testBook()),
    /plan\.durationSeconds: must be > 0/,
  );
  assert.throws(
    () => estimateRehearsal({ ...INPUT, app: { type: 'c7g.large', min: 3, max: 2 } }, testBook()),
    /rehearsal estimate: app: min and max/,
  );
  assert.throws(
    () => estimateRehearsal({ ...INPUT, runners: { type: 'q1.nano', count: 1 } }, testBook()),
    /ec2\["q1\.nano"\]:.*runners\.type/,
  );
});

test('runners with a life of their own are billed for it, at least a minute each', () => {
  // 3 runners × (6 min boot + 30 min load + 3 min wind-down = 0.65 h) × $0.145.
  const e = estimateRehearsal({ ...INPUT, runners: { type: 'c7g.xlarge', count: 3, lifeSeconds: 2340 } }, testBook());
  close(e.runners, 3 * 0.65 * 0.145, 'runners');
  assert.ok(
    e.assumptions.some((a) => a === 'each of the 3 runners is billed 39 min (boot budget, load, wind-down)'),
    e.assumptions.join(' | '),
  );
  assert.ok(!e.assumptions.some((a) => a.includes('so do the runners')));
  close(
    estimateRehearsal({ ...INPUT, runners: { type: 'c7g.xlarge', count: 1, lifeSeconds: 5 } }, testBook()).runners,
    0.145 / 60,
    'one minute at least',
  );
  assert.throws(
    () => estimateRehearsal({ ...INPUT, runners: { type: 'c7g.xlarge', count: 1, lifeSeconds: 0 } }, testBook()),
    /runners\.lifeSeconds: must be > 0/,
  );
});
