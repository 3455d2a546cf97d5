import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StackCostConfig } from './cost-types.ts';
import { GiB, cents, testBook } from './fixtures/test-book.ts';
import { instancesNeeded, projectSaleDay, type SaleDayInput } from './sale-day-projection.ts';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);

const STACK: StackCostConfig = {
  region: 'us-east-1',
  aurora: { instanceClass: 'db.r7g.large', instances: 1, storage: 'standard', storageGb: 0 },
  cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 1 },
  efs: { storageGb: 0 },
  nat: { gateways: 0 },
  alb: { count: 1, rulesPerRequest: 1 },
};

const INPUT: SaleDayInput = {
  rpsPerInstanceAtSlo: 45,
  targetUtilisation: 0.7, // 31.5 req/s planned per instance
  instanceType: 'c7g.large',
  phases: [
    { name: 'peak', requestsPerSecond: 400, hours: 6 },
    { name: 'baseline', requestsPerSecond: 80, hours: 18 },
  ],
  stack: STACK,
  perRequest: {
    responseBytes: GiB / 18_000, // 400 req/s × 6 h = 8.64 M requests → 480 GB out
    processedBytes: GiB / 14_400, // 400 req/s → 100 GB/h through the ALB → 100 LCU
    newConnections: 0.01, // 400 req/s → 4 new/s → 0.16 LCU
    connectionSeconds: 0.5, // 400 req/s → 200 active → 0.067 LCU
    dbIo: 2,
    efsReadBytes: 0,
    efsWriteBytes: 0,
    natBytes: 0,
  },
  ordersPerRequest: 0.002,
};

test('instances needed: rounded up with headroom, never under the minimum', () => {
  assert.equal(instancesNeeded(400, 45, 0.7, 2), 13); // 400 / 31.5 = 12.7
  assert.equal(instancesNeeded(80, 45, 0.7, 2), 3); // 2.54
  assert.equal(instancesNeeded(400, 50, 0.8, 2), 10); // exactly 10, though 400/(50×0.8) = 10.000000000000002
  assert.equal(instancesNeeded(0, 45, 0.7, 2), 2);
  assert.equal(instancesNeeded(10, 45, 1, 0), 1);
});

test('a sale day: 400 req/s for 6 h, 80 req/s for 18 h, priced by component', () => {
  const p = projectSaleDay(INPUT, testBook());
  assert.deepEqual(
    p.phases.map((x) => x.instances),
    [13, 3],
  );
  assert.equal(p.peakInstances, 13);
  assert.equal(p.instanceHours, 13 * 6 + 3 * 18);
  assert.equal(p.requests, 13_824_000);
  close(p.plannedRpsPerInstance, 31.5, 'planned');
  const [peak, base] = p.phases;
  // Peak: EC2 13 × 6 h × $0.0725 = 5.655; ALB 6 × $0.0225 = 0.135 + 100 LCU × 6 h × $0.008 = 4.8;
  //   Aurora 6 × $0.276 = 1.656 + 17.28 M I/O × $0.20/M = 3.456; cache 6 × $0.065 = 0.39;
  //   out 480 GB × $0.09 = 43.2 → $59.292.
  assert.equal(peak!.lcuWinner, 'processedBytes');
  close(peak!.lcusPerHour, 100, 'peak LCUs');
  close(peak!.usd, 59.292, 'peak');
  // Baseline: EC2 3 × 18 × $0.0725 = 3.915; ALB 18 × $0.0225 = 0.405 + 20 LCU × 18 h × $0.008 = 2.88;
  //   Aurora 18 × $0.276 = 4.968 + 10.368 M I/O × $0.20/M = 2.0736; cache 18 × $0.065 = 1.17;
  //   out 288 GB × $0.09 = 25.92 → $41.3316.
  close(base!.usd, 41.3316, 'baseline');
  close(p.byComponent.ec2, 5.655 + 3.915, 'ec2');
  close(p.byComponent.alb, 0.135 + 4.8 + 0.405 + 2.88, 'alb');
  close(p.byComponent.aurora, 1.656 + 3.456 + 4.968 + 2.0736, 'aurora');
  close(p.byComponent.transferOut, 43.2 + 25.92, 'out');
  assert.equal(p.byComponent.nat, 0);
  // Day: $100.6236 → 10 062 ¢; per 1 M requests $100.6236 / 13.824 = $7.2789 → 728 ¢; per order
  // (27 648 orders) $0.00364 → 0.36 ¢.
  assert.equal(cents(p.total), 10_062);
  assert.equal(cents(p.perMillionRequests!), 728);
  assert.equal(Math.round(p.perOrder! * 10_000), 36);
});

test('a higher headroom needs more instances and costs more', () => {
  const tight = projectSaleDay({ ...INPUT, targetUtilisation: 1 }, testBook());
  const loose = projectSaleDay({ ...INPUT, targetUtilisation: 0.5 }, testBook());
  assert.deepEqual(
    tight.phases.map((x) => x.instances),
    [9, 2],
  );
  assert.deepEqual(
    loose.phases.map((x) => x.instances),
    [18, 4],
  );
  assert.ok(loose.byComponent.ec2 > tight.byComponent.ec2);
  close(loose.byComponent.alb, tight.byComponent.alb, 'ALB does not depend on instance count');
});

test('bad projection inputs name the field', () => {
  assert.throws(
    () => projectSaleDay({ ...INPUT, rpsPerInstanceAtSlo: 0 }, testBook()),
    /sale-day projection: rpsPerInstanceAtSlo: must be > 0/,
  );
  assert.throws(
    () => projectSaleDay({ ...INPUT, targetUtilisation: 1.2 }, testBook()),
    /targetUtilisation: must be in \(0, 1\]/,
  );
  assert.throws(
    () => projectSaleDay({ ...INPUT, phases: [{ name: 'x', requestsPerSecond: 10, hours: 0 }] }, testBook()),
    /phases\[0\]\.hours: must be > 0/,
  );
  assert.throws(() => projectSaleDay({ ...INPUT, instanceType: 'z9.tiny' }, testBook()), /ec2\["z9\.tiny"\]/);
});
