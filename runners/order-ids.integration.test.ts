// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// End to end, k6 included: checkout journeys against the fake store on 127.0.0.1 (2 runners,
// a few seconds, bounded by the plan) record each accepted order's id in the samples; the run
// stage collects them into record.orders and reconciles them with the store: one order the
// store then loses is reported missing, one order placed outside the runners is unseen.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildPlan } from '../scenarios/plan/build-plan.ts';
import { writePlan } from '../scenarios/plan/plan-file.ts';
import { loadProfile } from '../scenarios/profile/load-profile.ts';
import { smallCatalogue } from '../scenarios/test-support/fake-store.ts';
import { useFakeStore } from '../scenarios/test-support/use-fake-store.ts';
import { readRecord } from '../reports/record/read-record.ts';
import type { OrderFactsLookup } from '../reports/orders/audit-record.ts';
import { reconcileOrdersById } from '../reports/analyse/orders.ts';
import { runPlan } from './run-plan.ts';

const catalogue = smallCatalogue(3, 4);
const env = useFakeStore(catalogue, 'rehearse-order-ids-');

describe('order ids', () => {
  it('travel from the checkout journey through the samples into record.orders, and are reconciled with the store by id', async () => {
    const loaded = await loadProfile(new URL('../scenarios/profiles/smoke.json', import.meta.url).pathname);
    const checkoutOnly = {
      ...loaded,
      profile: { ...loaded.profile, mix: { checkout: 1 } as typeof loaded.profile.mix },
    };
    const plan = buildPlan(checkoutOnly, {
      id: 'orders',
      baseUrl: env.store.baseUrl,
      targetKind: 'url',
      peakRate: 4,
      durationS: 5,
      catalogue,
      createdAt: new Date().toISOString(),
    });
    const planPath = join(env.dir, 'orders.plan.json');
    await writePlan(planPath, plan);
    let asked: number[] = [];
    // The store's side from the fake shop; it "loses" its first order and gains one nobody placed.
    const lookup: OrderFactsLookup = async (accepted, window) => {
      asked = accepted;
      const now = Math.floor(Date.now() / 1000);
      const held = env.store.shop.orders
        .slice(1)
        .map((o) => ({ id: o.id, cart: o.email, createdAt: now, status: 'processing' }));
      held.push({ id: 99_999, cart: 'walk-in@example.invalid', createdAt: now, status: 'processing' });
      return {
        source: 'woocommerce-rest',
        where: 'fake shop',
        window,
        byId: held.filter((o) => accepted.includes(o.id)),
        inWindow: held,
        products: { checked: 0, belowZero: [] },
        notChecked: [],
      };
    };
    const res = await runPlan({
      planPath,
      runsDir: join(env.dir, 'runs'),
      log: () => {},
      runners: 2,
      orderFacts: lookup,
      fleet: { startDelayMs: 3000, chunkEveryMs: 500, progressEveryMs: 500 },
    });
    const record = await readRecord(res.runDir);
    const placed = env.store.shop.orders.map((o) => o.id).sort((a, b) => a - b);
    assert.ok(placed.length >= 5, `the journeys placed orders (${placed.length})`);
    assert.deepEqual(record.orders!.accepted, placed, 'every order the store placed was recorded as accepted, by id');
    assert.equal(record.orders!.withoutId, 0);
    assert.deepEqual(asked, placed);
    const emails = new Set(env.store.shop.orders.map((o) => o.email));
    assert.equal(emails.size, placed.length, 'one billing address per cart');
    const audit = record.orders!.audit!;
    assert.deepEqual(audit.missing.ids, [placed[0]]);
    assert.deepEqual(
      audit.unseen.orders.map((o) => o.id),
      [99_999],
    );
    const report = reconcileOrdersById(record)!;
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ['missing', 'unseen'],
    );
    // The report, the summary and analysis.json carry the findings.
    const analysis = JSON.parse(await readFile(join(res.runDir, 'analysis.json'), 'utf8'));
    assert.deepEqual(
      analysis.orders.findings.map((f: { kind: string }) => f.kind),
      ['missing', 'unseen'],
    );
    const html = await readFile(join(res.runDir, 'report.html'), 'utf8');
    assert.match(html, /Accepted but missing: 1\./);
    assert.match(html, /Orders no runner saw: 1\./);
    assert.match(
      await readFile(join(res.runDir, 'summary.md'), 'utf8'),
      /\*\*Orders \(by id, woocommerce-rest\):\*\* missing 1, unseen 1\./,
    );
  });
});
