import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pricesFor } from '../price-book/price-lookup.ts';
import { costOfWindow } from './cost-model.ts';
import type { StackCostConfig } from './cost-types.ts';
import { GiB, T0, everyStep, telemetry, testBook } from './fixtures/test-book.ts';
import { perRequestUsage, steadyRunCost } from './steady-run-cost.ts';

const STACK: StackCostConfig = {
  region: 'us-east-1',
  aurora: { instanceClass: 'db.r7g.large', instances: 2, storage: 'io-optimized', storageGb: 50 },
  cache: { engine: 'valkey', nodeType: 'cache.t4g.medium', nodes: 2 },
  efs: { storageGb: 20 },
  nat: { gateways: 2 },
  alb: { count: 1, rulesPerRequest: 12 },
};

// One steady hour: 100 req/s, 1 new connection/s, 300 active, 2^26 bytes a minute through the ALB.
function steadyHour() {
  const tel = telemetry({
    window: { from: T0, to: T0 + 3600 },
    instances: [
      { id: 'a', type: 'c7g.large', launchedAt: T0 - 100 },
      { id: 'b', type: 'c7g.large', launchedAt: T0 - 100 },
    ],
    balancer: {
      requests: everyStep(T0, T0 + 3600, 60, () => 6000),
      newConnections: everyStep(T0, T0 + 3600, 60, () => 60),
      activeConnections: everyStep(T0, T0 + 3600, 60, () => 300),
      processedBytes: everyStep(T0, T0 + 3600, 60, () => 2 ** 26),
    },
  });
  return costOfWindow(
    tel,
    {
      requests: 360_000,
      responseBytes: 3 * GiB,
      dbIoRequests: 900_000,
      efsReadBytes: GiB,
      efsWriteBytes: GiB / 4,
      natBytes: GiB / 2,
      stack: STACK,
    },
    testBook(),
  );
}

test('usage per request is the window usage divided by its requests', () => {
  const per = perRequestUsage(steadyHour().usage);
  assert.equal(per.newConnections, (60 * 60) / 360_000);
  assert.equal(per.connectionSeconds, (300 * 3600) / 360_000); // 3 s of connection per request
  assert.equal(per.processedBytes, (60 * 2 ** 26) / 360_000);
  assert.equal(per.responseBytes, (3 * GiB) / 360_000);
  assert.equal(per.dbIo, 2.5);
  assert.throws(() => perRequestUsage({ ...steadyHour().usage, requests: 0 }), /no requests/);
});

test('a steady hour priced from its usage per request costs what the window model says', () => {
  const measured = steadyHour();
  const steady = steadyRunCost(
    { stackHours: 1, app: { type: 'c7g.large', count: 2, hours: 1 }, requests: 360_000, loadHours: 1 },
    STACK,
    perRequestUsage(measured.usage),
    pricesFor(testBook(), 'us-east-1'),
  );
  assert.equal(steady.alb.winner, measured.albHours[0]!.winner);
  assert.ok(Math.abs(steady.alb.lcus - measured.albHours[0]!.lcus) < 1e-12);
  for (const c of Object.keys(steady.byComponent) as Array<keyof typeof steady.byComponent>) {
    assert.ok(
      Math.abs(steady.byComponent[c] - measured.byComponent[c]) < 1e-9,
      `${c}: ${steady.byComponent[c]} ≠ ${measured.byComponent[c]}`,
    );
  }
  // I/O-Optimized: no I/O line at all.
  assert.ok(!steady.lines.some((l) => l.unit === 'million I/O requests'));
  assert.ok(!measured.lines.some((l) => l.unit === 'million I/O requests'));
});
