// Orders reconciled by id through a fake WooCommerce REST API on 127.0.0.1: an accepted order
// the store lacks (missing), one cart turned into two orders (duplicate), stock below zero
// (oversold) and an order no runner accepted (unseen) are each found, through paging; with no
// key or a refused key, the audit says what it did not check. Over HTTP the secret never travels:
// the fake, like WooCommerce, takes only an OAuth 1.0a signature there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { analyseRun } from '../../reports/analyse/analyse-run.ts';
import { reconcileOrdersById } from '../../reports/analyse/orders.ts';
import { auditRecordOrders } from '../../reports/orders/audit-record.ts';
import type { RunRecord } from '../../reports/record/record-schema.ts';
import { fixtureRecord } from '../../reports/fixtures/fixture-record.ts';
import { renderSummaryMarkdown } from '../../reports/render/summary-markdown.ts';
import { orderFactsFor } from '../order-facts-for.ts';
import { gmt, startFakeWoo, type FakeWoo, type FakeWooOrder } from './test-support/fake-woo-rest.ts';
import { noKeyFacts, WC_KEY_ENV, WC_SECRET_ENV } from './rest-order-facts.ts';

const KEY = 'ck_fake0123456789';
const SECRET = 'cs_fake_secret_9876543210';
const env = { [WC_KEY_ENV]: KEY, [WC_SECRET_ENV]: SECRET };
const T0 = 1_796_000_000;
const window = { from: T0, to: T0 + 300 };

let woo: FakeWoo;
before(async () => {
  woo = await startFakeWoo(KEY, SECRET);
});
after(async () => {
  await woo?.close();
});

const order = (id: number, at: number, email: string, status = 'processing'): FakeWooOrder => ({
  id,
  status,
  date_created_gmt: gmt(at),
  billing: { email },
});

/** The smallest record the audit and the analysis read: accepted ids, journeys, partial runners. */
function record(
  accepted: number[],
  partial: Array<{ runner: string; segment: string; reason: string }> = [],
): RunRecord {
  return { orders: { accepted, repeatedIds: 0, withoutId: 0 }, journeys: [], run: { partial } } as unknown as RunRecord;
}

describe('orders reconciled through the WooCommerce REST API', () => {
  it('finds the missing, duplicate, oversold and unseen orders, each once, through several pages', async () => {
    // 150 accepted orders the store holds (two pages of ids, two pages of the window) ...
    const accepted = Array.from({ length: 150 }, (_, i) => 1000 + i);
    woo.orders = accepted.map((id, i) => order(id, T0 + 10 + i, `guest-${id}@example.invalid`));
    // ... one the store answered but does not hold, one cart paid twice, one order nobody
    // accepted, a draft (not an order), and an order before the window.
    accepted.push(990);
    woo.orders.push(
      order(1200, T0 + 200, 'GUEST-1005@example.invalid'),
      order(1201, T0 + 210, 'walk-in@example.invalid'),
      order(1202, T0 + 220, 'draft@example.invalid', 'checkout-draft'),
      order(900, T0 - 600, 'yesterday@example.invalid'),
    );
    woo.products = [
      { id: 7, name: 'Oversold mug', stock_quantity: -2, stock_status: 'outofstock' },
      { id: 8, name: 'Sold-out cap', stock_quantity: 0, stock_status: 'outofstock' },
      { id: 9, name: 'Backorder tee', stock_quantity: -5, stock_status: 'onbackorder' },
    ];
    woo.requests.length = 0;
    const r = record(accepted.sort((a, b) => a - b));
    await auditRecordOrders(
      r,
      orderFactsFor({ kind: 'url', baseUrl: `${woo.baseUrl}/` }, env),
      window,
      () => new Date('2026-12-01T00:00:00Z'),
    );
    const a = r.orders!.audit!;
    assert.equal(a.source, 'woocommerce-rest');
    assert.equal(a.where, `${woo.baseUrl}/wp-json/wc/v3`);
    assert.deepEqual(a.missing, { count: 1, ids: [990] });
    assert.deepEqual(a.duplicates, { count: 1, carts: [{ cart: 'guest-1005@example.invalid', ids: [1005, 1200] }] });
    assert.deepEqual(a.oversold, { count: 1, products: [{ id: 7, name: 'Oversold mug', stock: -2 }] });
    assert.deepEqual(
      a.unseen.orders.map((o) => o.id),
      [1200, 1201],
    );
    assert.equal(a.unseen.count, 2);
    assert.deepEqual(a.notChecked, []);
    assert.deepEqual(a.looked, { accepted: 151, inWindow: 153, products: 2 });
    const includes = woo.requests.filter((q) => q.includes('include='));
    assert.equal(includes.length, 2, 'ids asked 100 at a time');
    assert.ok(
      woo.requests.some((q) => /orders\?.*page=2/.test(q)),
      'the window is read page by page',
    );
    assert.doesNotMatch(JSON.stringify(r), new RegExp(`${KEY}|${SECRET}`), 'the key is not in the record');
    assert.ok(
      woo.requests.every((q) => q.includes('oauth_signature=') && !q.includes(SECRET)),
      'signed, the secret never sent',
    );
    assert.ok(
      woo.headers.every((h) => h.authorization === undefined),
      'no Basic auth over plain HTTP',
    );

    const report = reconcileOrdersById(r)!;
    assert.deepEqual(
      report.findings.map((f) => [f.kind, f.count]),
      [
        ['missing', 1],
        ['duplicate', 1],
        ['oversold', 1],
        ['unseen', 2],
      ],
    );
    assert.equal(report.clean, false);
    const unseen = report.findings.find((f) => f.kind === 'unseen')!;
    assert.match(unseen.explanation, /1 of them is the second order of a duplicated cart/);
    assert.match(report.findings[1].explanation, /checkout ran twice for one cart/);
  });

  it("a lost runner is named in the unseen orders' explanation", async () => {
    woo.orders = [order(5, T0 + 5, 'a@example.invalid'), order(6, T0 + 6, 'b@example.invalid')];
    woo.products = [];
    const r = record(
      [5],
      [
        {
          runner: 'local-1',
          segment: '1/2:1',
          reason: 'runner was killed (SIGKILL) at 2026-12-01T00:00:40Z; its chunks up to then are kept',
        },
      ],
    );
    await auditRecordOrders(r, orderFactsFor({ kind: 'aws', baseUrl: woo.baseUrl }, env), window);
    const f = reconcileOrdersById(r)!.findings;
    assert.deepEqual(
      f.map((x) => x.kind),
      ['unseen'],
    );
    assert.match(f[0].explanation, /runners that did not finish: local-1 \(runner was killed \(SIGKILL\)/);
  });

  it('a clean run: nothing found, and the analysis says every check ran', async () => {
    woo.orders = [order(5, T0 + 5, 'a@example.invalid')];
    woo.products = [{ id: 8, name: 'Sold-out cap', stock_quantity: 0, stock_status: 'outofstock' }];
    const r = record([5]);
    await auditRecordOrders(r, orderFactsFor({ kind: 'url', baseUrl: woo.baseUrl }, env), window);
    const report = reconcileOrdersById(r)!;
    assert.deepEqual(report.findings, []);
    assert.equal(report.clean, true);
    const full = await fixtureRecord();
    full.orders = r.orders;
    const summary = renderSummaryMarkdown(
      full,
      undefined,
      analyseRun({ record: full, telemetry: null, plan: null, slo: null, book: null, now: new Date() }),
    );
    assert.match(
      summary,
      /\*\*Orders:\*\* 1 accepted, reconciled by id with http:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3: none missing, duplicated, oversold or unseen\./,
    );
  });

  it('no key: nothing is asked, and the audit says exactly which checks did not run and how to enable them', async () => {
    woo.requests.length = 0;
    const r = record([5]);
    await auditRecordOrders(r, orderFactsFor({ kind: 'url', baseUrl: woo.baseUrl }, {}), window);
    const a = r.orders!.audit!;
    assert.equal(woo.requests.length, 0);
    assert.equal(a.source, 'none');
    assert.equal(a.notChecked.length, 1);
    for (const what of [
      'accepted orders missing from the store',
      'duplicate orders',
      'oversold stock',
      'orders created in the window that no runner accepted',
      WC_KEY_ENV,
      WC_SECRET_ENV,
    ]) {
      assert.ok(a.notChecked[0].includes(what), `names ${what}: ${a.notChecked[0]}`);
    }
    const half = noKeyFacts(woo.baseUrl, window, { [WC_KEY_ENV]: KEY }).notChecked[0]!;
    assert.match(
      half,
      /^Only REHEARSE_WC_CONSUMER_KEY is set \(REHEARSE_WC_CONSUMER_SECRET is not\): accepted orders missing/,
    );
    assert.doesNotMatch(half, new RegExp(KEY), 'the key itself is not repeated');
    assert.equal(
      noKeyFacts('https://admin:hunter2@shop.example.com/', window).where,
      'https://shop.example.com/wp-json/wc/v3 (not asked)',
      'no password in the record',
    );
    const report = reconcileOrdersById(r)!;
    assert.equal(report.clean, false, 'unchecked is not clean');
    assert.deepEqual(report.findings, []);
  });

  it('a refused key is said, without the key or the secret', async () => {
    const r = record([5]);
    await auditRecordOrders(
      r,
      orderFactsFor({ kind: 'url', baseUrl: woo.baseUrl }, { [WC_KEY_ENV]: KEY, [WC_SECRET_ENV]: 'cs_wrong_secret' }),
      window,
    );
    const refused = r.orders!.audit!.notChecked.join(' ');
    assert.match(
      refused,
      /refused the key \(HTTP 401\): check REHEARSE_WC_CONSUMER_KEY and REHEARSE_WC_CONSUMER_SECRET/,
    );
    assert.doesNotMatch(JSON.stringify(r), /cs_wrong_secret|ck_fake/);
  });
});
