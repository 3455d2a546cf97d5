// The replica's side of a run's orders, by SQL, on a real replica (temp state dir, free port;
// ~1 min): two checkouts through the Store API, then the database is made to hold each fault
// the reconciliation must find: an accepted order it lost (missing), a second order from one
// cart session (duplicate), stock below zero (oversold), an order no runner accepted (unseen).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { reconcileOrders } from '../../reports/orders/reconcile-orders.ts';
import { resolveLayout } from './layout.ts';
import { runSql } from './mariadb.ts';
import { localOrderFacts } from './order-facts.ts';
import { down, up } from './replica.ts';
import { freeReplicaPort } from './test-support/free-port.ts';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-order-facts-'));
const port = await freeReplicaPort();
const opts = { stateDir, port, log: (l: string) => console.log(`# ${l}`) };
const layout = resolveLayout({ stateDir, port });
const api = `http://127.0.0.1:${port}/wp-json/wc/store/v1`;

before(async () => {
  await up(opts);
});
after(async () => {
  await down(opts);
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const sql = async (q: string) =>
  (await runSql(layout, `USE ${layout.db.name}; ${q}`)).trim().split('\n').slice(1).filter(Boolean);
const billing = {
  first_name: 'Test',
  last_name: 'Buyer',
  email: 'buyer@example.invalid',
  country: 'US',
  address_1: '1 Main St',
  city: 'Springfield',
  postcode: '12345',
};

async function placeOrder(productId: number): Promise<number> {
  const cart = await fetch(`${api}/cart`, { signal: AbortSignal.timeout(20_000) });
  await cart.arrayBuffer();
  const headers = { 'Cart-Token': cart.headers.get('cart-token')!, 'content-type': 'application/json' };
  const add = await fetch(`${api}/cart/add-item`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: productId, quantity: 1 }),
  });
  assert.equal(add.status, 201, await add.text());
  const placed = await fetch(`${api}/checkout`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ billing_address: billing, shipping_address: billing, payment_method: 'cod' }),
  });
  const body = (await placed.json()) as { order_id: number };
  assert.equal(placed.status, 200);
  return body.order_id;
}

test('SQL on the replica: missing, duplicate, oversold and unseen orders are each found', async () => {
  const catalogue = JSON.parse(fs.readFileSync(layout.catalogue, 'utf8')) as {
    products: Array<{ id: number; name: string }>;
  };
  const [p1, p2] = catalogue.products;
  const from = Math.floor(Date.now() / 1000) - 1;
  const a = await placeOrder(p1!.id);
  const b = await placeOrder(p2!.id);
  // The faults: a copy of order a from its cart session (a replayed checkout), an order placed
  // by nobody the runners know, and a product sold below zero.
  const cols =
    'order_key, status, customer_id, session_id, billing_email, billing_address, shipping_address, payment_method, currency, total, created_at';
  const copy = (id: number, session = 'session_id') =>
    sql(
      `INSERT INTO wp_rehearse_orders (${cols}) SELECT ${cols.replace('order_key', "CONCAT(order_key, 'x')").replace('session_id', session)} FROM wp_rehearse_orders WHERE id = ${id}`,
    );
  await copy(a);
  await copy(b, "'walk-in'");
  const [dup, walkIn] = (await sql(`SELECT id FROM wp_rehearse_orders WHERE id > ${b} ORDER BY id`)).map(Number);
  await sql(`UPDATE wp_postmeta SET meta_value = '-3' WHERE post_id = ${p2!.id} AND meta_key = '_stock'`);
  const lost = 999_999;
  const accepted = [a, b, lost];
  const facts = await localOrderFacts(accepted, { from, to: Math.ceil(Date.now() / 1000) + 1 }, { stateDir, port });
  const audit = reconcileOrders(accepted, facts, new Date());
  assert.equal(audit.source, 'mariadb');
  assert.deepEqual(audit.missing.ids, [lost]);
  assert.equal(audit.duplicates.count, 1);
  assert.deepEqual(audit.duplicates.carts[0]!.ids, [a, dup]);
  assert.deepEqual(audit.oversold.products, [{ id: p2!.id, name: p2!.name, stock: -3 }]);
  assert.deepEqual(
    audit.unseen.orders.map((o) => o.id),
    [dup, walkIn],
  );
  assert.ok(
    audit.unseen.orders.every((o) => o.createdAt >= from),
    'creation times read as UTC unix seconds',
  );
  assert.ok(
    audit.looked.products! >= catalogue.products.length - 1,
    `stock read for the products (${audit.looked.products})`,
  );
  // Orders before the window are not in it.
  const later = await localOrderFacts(
    accepted,
    { from: Math.ceil(Date.now() / 1000) + 60, to: Math.ceil(Date.now() / 1000) + 120 },
    { stateDir, port },
  );
  assert.deepEqual(later.inWindow, []);
});
