import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LISTED, orderAuditSchema } from './order-audit-schema.ts';
import { reconcileOrders, type StoreOrder, type StoreOrderFacts } from './reconcile-orders.ts';

const o = (id: number, cart = `cart-${id}`, status = 'processing'): StoreOrder => ({
  id,
  cart,
  createdAt: 1_796_000_000 + id,
  status,
});
const facts = (f: Partial<StoreOrderFacts>): StoreOrderFacts => ({
  source: 'mariadb',
  where: 't',
  window: { from: 1, to: 2 },
  byId: [],
  inWindow: [],
  products: { checked: 0, belowZero: [] },
  notChecked: [],
  ...f,
});
const at = new Date('2026-12-01T00:00:00Z');

test('by id, not by count: one lost and one doubled order do not cancel out', () => {
  // 3 accepted, 3 held: the counts agree, the ids do not.
  const a = reconcileOrders([1, 2, 3], facts({ byId: [o(1), o(2)], inWindow: [o(1), o(2), o(4, 'cart-2')] }), at);
  assert.deepEqual(a.missing, { count: 1, ids: [3] });
  assert.deepEqual(a.duplicates.carts, [{ cart: 'cart-2', ids: [2, 4] }]);
  assert.deepEqual(
    a.unseen.orders.map((x) => x.id),
    [4],
  );
  orderAuditSchema.parse(a);
});

test('drafts, failed and cancelled orders are neither duplicates nor unseen; an unknown cart is never a duplicate', () => {
  const a = reconcileOrders(
    [1],
    facts({
      byId: [o(1)],
      inWindow: [
        o(1),
        o(2, 'cart-1', 'checkout-draft'),
        o(3, 'cart-1', 'failed'),
        o(4, 'cart-1', 'cancelled'),
        o(5, ''),
        o(6, ''),
      ],
    }),
    at,
  );
  assert.equal(a.duplicates.count, 0);
  assert.deepEqual(
    a.unseen.orders.map((x) => x.id),
    [5, 6],
  );
});

test('a store not asked by id reports nothing missing; stock above zero is not oversold; lists are cut, counts are not', () => {
  const many = Array.from({ length: MAX_LISTED + 5 }, (_, i) => o(100 + i));
  const a = reconcileOrders(
    [],
    facts({
      byId: null,
      inWindow: many,
      products: {
        checked: 3,
        belowZero: [
          { id: 9, name: 'x', stock: -1 },
          { id: 8, name: 'y', stock: -4 },
        ],
      },
    }),
    at,
  );
  assert.equal(a.missing.count, 0);
  assert.equal(a.looked.accepted, 0);
  assert.equal(a.unseen.count, MAX_LISTED + 5);
  assert.equal(a.unseen.orders.length, MAX_LISTED);
  assert.deepEqual(
    a.oversold.products.map((p) => p.id),
    [8, 9],
    'most oversold first',
  );
  assert.equal(a.looked.products, 3);
});
