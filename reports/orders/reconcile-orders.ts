// Orders reconciled by id: the ids the runners were told were accepted against what the store
// holds after the run. By id, not by count: one lost order and one doubled order do not cancel
// out. Pure; the store's facts come from infra (SQL on the replica, WooCommerce REST elsewhere).
import { MAX_LISTED, type OrderAudit } from './order-audit-schema.ts';

export interface StoreOrder {
  id: number;
  /** What identifies the cart it came from ('' when unknown): the replica's cart session, or the billing email. */
  cart: string;
  /** Unix seconds. */
  createdAt: number;
  status: string;
}

/** What the store said; null for a part it was not asked (notChecked says why). */
export interface StoreOrderFacts {
  source: OrderAudit['source'];
  where: string;
  window: { from: number; to: number };
  /** The accepted ids the store holds, looked up by id. */
  byId: StoreOrder[] | null;
  /** Every order the store holds that was created in the window. */
  inWindow: StoreOrder[] | null;
  /** Stock: how many products were read, and those below zero. */
  products: { checked: number; belowZero: Array<{ id: number; name: string; stock: number }> } | null;
  notChecked: string[];
}

/** Not an order anybody pays for: a Store API draft, a failed payment, a cancelled or binned one. */
const NOT_PLACED = new Set(['checkout-draft', 'auto-draft', 'failed', 'cancelled', 'trash']);
export const isPlaced = (o: StoreOrder) => !NOT_PLACED.has(o.status);

export function reconcileOrders(accepted: readonly number[], facts: StoreOrderFacts, checkedAt: Date): OrderAudit {
  const acceptedSet = new Set(accepted);
  const held = new Map<number, StoreOrder>();
  for (const o of facts.byId ?? []) held.set(o.id, o);
  for (const o of facts.inWindow ?? []) held.set(o.id, o);

  const missing = facts.byId === null ? [] : accepted.filter((id) => !held.has(id)).sort((a, b) => a - b);

  const byCart = new Map<string, number[]>();
  for (const o of held.values()) {
    if (o.cart === '' || !isPlaced(o)) continue;
    const ids = byCart.get(o.cart) ?? [];
    ids.push(o.id);
    byCart.set(o.cart, ids);
  }
  const carts = [...byCart]
    .filter(([, ids]) => ids.length > 1)
    .map(([cart, ids]) => ({ cart, ids: ids.sort((a, b) => a - b) }));
  carts.sort((a, b) => a.ids[0]! - b.ids[0]!);

  const oversold = (facts.products?.belowZero ?? [])
    .filter((p) => p.stock < 0)
    .map((p) => ({ id: p.id, name: p.name, stock: p.stock }))
    .sort((a, b) => a.stock - b.stock || a.id - b.id);

  const unseen = (facts.inWindow ?? [])
    .filter((o) => isPlaced(o) && !acceptedSet.has(o.id))
    .map((o) => ({ id: o.id, createdAt: o.createdAt, cart: o.cart }))
    .sort((a, b) => a.id - b.id);

  return {
    checkedAt: checkedAt.toISOString(),
    source: facts.source,
    where: facts.where,
    window: facts.window,
    looked: {
      accepted: facts.byId === null ? 0 : accepted.length,
      inWindow: facts.inWindow?.length ?? 0,
      products: facts.products?.checked ?? null,
    },
    missing: { count: missing.length, ids: missing.slice(0, MAX_LISTED) },
    duplicates: { count: carts.length, carts: carts.slice(0, MAX_LISTED) },
    oversold: { count: oversold.length, products: oversold.slice(0, MAX_LISTED) },
    unseen: { count: unseen.length, orders: unseen.slice(0, MAX_LISTED) },
    notChecked: facts.notChecked,
  };
}
