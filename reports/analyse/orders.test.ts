// Orders reconciled by id in the analysis: the gate's checkout success counts an accepted order
// the store lost as a failure; explanations name what this run shows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { analyseRun } from './analyse-run.ts';

const slo: Slo = {
  version: 1,
  name: 'orders',
  errorRate: 1,
  checksPass: 0,
  journeys: {},
  abortOnErrorRate: 1,
  checkoutSuccess: 0.95,
};

async function withOrders(missing: number[]): Promise<RunRecord> {
  const r = await fixtureRecord();
  const j = r.journeys.find((x) => x.name === 'checkout')!;
  Object.assign(j.endpoints[0]!, { name: 'api:checkout', kind: 'api', requests: 20, failed: 0 });
  r.orders = {
    accepted: Array.from({ length: 20 }, (_, i) => 100 + i),
    repeatedIds: 0,
    withoutId: 0,
    audit: {
      checkedAt: '2026-12-01T00:00:00.000Z',
      source: 'mariadb',
      where: 'wp_rehearse_orders',
      window: { from: 1, to: 2 },
      looked: { accepted: 20, inWindow: 20 - missing.length, products: 4 },
      missing: { count: missing.length, ids: missing },
      duplicates: { count: 0, carts: [] },
      oversold: { count: 0, products: [] },
      unseen: { count: 0, orders: [] },
      notChecked: [],
    },
  };
  return r;
}

test('the checkout-success objective counts by id: two accepted orders the store lost fail a 95 % objective', async () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const clean = analyseRun({ record: await withOrders([]), telemetry: null, plan: null, slo, book: null, now });
  const lost = analyseRun({ record: await withOrders([103, 117]), telemetry: null, plan: null, slo, book: null, now });
  const objective = (a: typeof clean) => a.gate!.objectives.find((o) => o.id === 'checkoutSuccess')!;
  assert.equal(objective(clean).pass, true);
  assert.match(objective(clean).detail, /20 of 20 attempts/);
  assert.equal(objective(lost).pass, false);
  assert.match(objective(lost).detail, /18 of 20 attempts/);
  assert.deepEqual(
    lost.orders!.findings.map((f) => [f.kind, f.count, f.examples]),
    [['missing', 2, ['order 103', 'order 117']]],
  );
  assert.match(lost.orders!.findings[0]!.explanation, /2 orders the store confirmed .* are not in wp_rehearse_orders/);
  assert.ok(!lost.notes.some((n) => /order reconciliation need/.test(n)), 'orders by id need no telemetry');
});
