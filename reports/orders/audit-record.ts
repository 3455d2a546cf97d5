// The run stage's last look at the store: the accepted order ids of a fresh record, reconciled
// with what the store holds (reconcile-orders.ts), into record.orders.audit. The store is asked
// through a function the caller picks for the target (SQL locally, WooCommerce REST elsewhere).
// A store that cannot be asked costs the report the check, said in notChecked, never the run.
import type { RunRecord } from '../record/record-schema.ts';
import { reconcileOrders, type StoreOrderFacts } from './reconcile-orders.ts';

export type OrderFactsLookup = (accepted: number[], window: { from: number; to: number }) => Promise<StoreOrderFacts>;

/** Runs that placed orders, or tried to (a checkout journey): the ones worth asking the store about. */
export function wantsOrderAudit(record: RunRecord): boolean {
  return record.orders !== undefined || record.journeys.some((j) => /checkout/i.test(j.name));
}

export async function auditRecordOrders(
  record: RunRecord,
  lookup: OrderFactsLookup,
  window: { from: number; to: number },
  now: () => Date = () => new Date(),
): Promise<void> {
  if (!wantsOrderAudit(record)) return;
  const orders = (record.orders ??= { accepted: [], repeatedIds: 0, withoutId: 0 });
  let facts: StoreOrderFacts;
  try {
    facts = await lookup(orders.accepted, window);
  } catch (e) {
    facts = {
      source: 'none',
      where: '(the store could not be asked)',
      window,
      byId: null,
      inWindow: null,
      products: null,
      notChecked: [`Orders were not reconciled with the store: ${(e as Error).message}`],
    };
  }
  orders.audit = reconcileOrders(orders.accepted, facts, now());
}
