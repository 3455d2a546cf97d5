// The orders of a run, reconciled by id (record.orders.audit), as findings a reader can act on:
// accepted orders the store lost, carts paid twice, stock sold below zero, and orders no runner
// saw, each with what it means and what likely caused it in this run. Pure.
import type { RunRecord } from '../record/record-schema.ts';
import { CHECKOUT_ENDPOINT } from './breakdown.ts';

export type OrderFindingKind = 'missing' | 'duplicate' | 'oversold' | 'unseen';

export interface OrderFinding {
  kind: OrderFindingKind;
  count: number;
  /** The first few cases, as text (ids, carts, products). */
  examples: string[];
  explanation: string;
}

export interface OrderReconciliation {
  accepted: number;
  source: 'mariadb' | 'woocommerce-rest' | 'none';
  where: string;
  checkedAt: string;
  findings: OrderFinding[];
  /** Every check ran and found nothing. */
  clean: boolean;
  notChecked: string[];
}

const SHOWN = 10;
const more = (shown: number, count: number) => (count > shown ? [`… and ${count - shown} more`] : []);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function reconcileOrdersById(record: RunRecord): OrderReconciliation | null {
  const orders = record.orders;
  const a = orders?.audit;
  if (!orders || !a) return null;
  const findings: OrderFinding[] = [];
  const store = a.where;

  if (a.missing.count > 0) {
    findings.push({
      kind: 'missing',
      count: a.missing.count,
      examples: [
        ...a.missing.ids.slice(0, SHOWN).map((id) => `order ${id}`),
        ...more(Math.min(SHOWN, a.missing.ids.length), a.missing.count),
      ],
      explanation:
        `${plural(a.missing.count, 'order')} the store confirmed (an order id and payment success) ${a.missing.count === 1 ? 'is' : 'are'} not in ${store}: ` +
        'lost after the shopper was told it went through. Look for a transaction rolled back after the answer was sent, a database failover to a replica that had not caught up, or a restore during the run.',
    });
  }

  const extra = a.duplicates.carts.reduce((s, c) => s + c.ids.length - 1, 0);
  if (a.duplicates.count > 0) {
    findings.push({
      kind: 'duplicate',
      count: a.duplicates.count,
      examples: [
        ...a.duplicates.carts.slice(0, SHOWN).map((c) => `cart ${c.cart}: orders ${c.ids.join(', ')}`),
        ...more(Math.min(SHOWN, a.duplicates.carts.length), a.duplicates.count),
      ],
      explanation:
        `${plural(a.duplicates.count, 'cart')} became more than one order (${plural(extra, 'extra order')}): the checkout ran twice for one cart and both runs committed, so the shopper pays twice. ` +
        'The usual cause is a retried POST: a balancer retrying on an empty response or a timeout (HAProxy retry-on, an ALB), or a client retrying after its answer was lost. ' +
        'Retry only what is safe to retry, and make checkout idempotent on a key written in its transaction.',
    });
  }

  if (a.oversold.count > 0) {
    findings.push({
      kind: 'oversold',
      count: a.oversold.count,
      examples: [
        ...a.oversold.products.slice(0, SHOWN).map((p) => `${p.name} (product ${p.id}): stock ${p.stock}`),
        ...more(Math.min(SHOWN, a.oversold.products.length), a.oversold.count),
      ],
      explanation:
        `${plural(a.oversold.count, 'product')} ${a.oversold.count === 1 ? 'has' : 'have'} stock below zero: the store sold units it did not have. ` +
        "The stock check ran outside the order's transaction, or concurrent checkouts both passed it before either wrote the new stock.",
    });
  }

  if (a.unseen.count > 0) {
    const extraIds = new Set(a.duplicates.carts.flatMap((c) => c.ids));
    const fromDuplicates = a.unseen.orders.filter((o) => extraIds.has(o.id)).length;
    const lost = (record.run.partial ?? []).filter((p) => p.runner !== '(none)');
    const checkoutFailed = record.journeys.reduce(
      (s, j) => s + j.endpoints.filter((e) => CHECKOUT_ENDPOINT.test(e.name)).reduce((t, e) => t + e.failed, 0),
      0,
    );
    const causes: string[] = [];
    if (lost.length)
      causes.push(
        `runners that did not finish: ${lost.map((p) => `${p.runner} (${p.reason.split(';')[0]})`).join('; ')}. A lost runner's orders after its last uploaded chunk were placed but never recorded`,
      );
    if (fromDuplicates)
      causes.push(
        `${plural(fromDuplicates, 'of them is', 'of them are')} the second order of a duplicated cart (above)`,
      );
    if (checkoutFailed)
      causes.push(
        `k6 saw ${plural(checkoutFailed, 'failed checkout request')}: a checkout that committed but whose answer failed (timeout, dropped connection) is an order nobody was told about`,
      );
    if (!causes.length)
      causes.push(
        'no runner was lost and no checkout failed in k6: another client ordered in the window (someone else using the store), or orders were created by the store itself',
      );
    findings.push({
      kind: 'unseen',
      count: a.unseen.count,
      examples: [
        ...a.unseen.orders.slice(0, SHOWN).map((o) => `order ${o.id} at ${new Date(o.createdAt * 1000).toISOString()}`),
        ...more(Math.min(SHOWN, a.unseen.orders.length), a.unseen.count),
      ],
      explanation: `${plural(a.unseen.count, 'order')} created in the run's window ${a.unseen.count === 1 ? 'was' : 'were'} not accepted by any runner: load the record did not see, so its numbers undercount what the store did. Likely: ${causes.join('; ')}.`,
    });
  }
  if (orders.repeatedIds > 0) {
    findings.push({
      kind: 'duplicate',
      count: orders.repeatedIds,
      examples: [],
      explanation: `The store answered ${plural(orders.repeatedIds, 'checkout')} with an order id it had already given another checkout: two shoppers were told they placed the same order.`,
    });
  }
  return {
    accepted: orders.accepted.length,
    source: a.source,
    where: a.where,
    checkedAt: a.checkedAt,
    findings,
    clean: findings.length === 0 && a.notChecked.length === 0,
    notChecked: a.notChecked,
  };
}
