// The local replica's side of a run's orders, by SQL (the fixture checkout writes
// wp_rehearse_orders in one transaction with the stock; infra/local/wordpress/store-checkout.php):
// the accepted ids it holds, every order created in the window, and products below zero stock.
// The cart key is the order's cart session (session_id): two orders with one are one cart paid twice.
import type { StoreOrder, StoreOrderFacts } from '../../reports/orders/reconcile-orders.ts';
import { ORDERS_TABLE } from './autoscaler/sampler.ts';
import { resolveLayout, type LocalReplicaOptions } from './layout.ts';
import { sqlRows } from './mariadb-client.ts';

/** Ids per IN (...) list: keeps each statement far below max_allowed_packet. */
const IDS_PER_QUERY = 1000;

// created_at is UTC (current_time('mysql', true)): the session's time zone must be UTC too.
const ORDER_COLUMNS = 'id, session_id, UNIX_TIMESTAMP(created_at), status';
const toOrder = (r: string[]): StoreOrder => ({
  id: Number(r[0]),
  cart: r[1] ?? '',
  createdAt: Number(r[2]),
  status: r[3] ?? '',
});

export async function localOrderFacts(
  accepted: readonly number[],
  window: { from: number; to: number },
  opts: LocalReplicaOptions = {},
): Promise<StoreOrderFacts> {
  const layout = resolveLayout(opts);
  const utc = "SET time_zone = '+00:00'; ";
  const byId: StoreOrder[] = [];
  for (let i = 0; i < accepted.length; i += IDS_PER_QUERY) {
    const ids = accepted
      .slice(i, i + IDS_PER_QUERY)
      .map((id) => Math.trunc(id))
      .join(',');
    byId.push(
      ...(await sqlRows(layout, `${utc}SELECT ${ORDER_COLUMNS} FROM ${ORDERS_TABLE} WHERE id IN (${ids})`)).map(
        toOrder,
      ),
    );
  }
  const from = Math.floor(window.from);
  const to = Math.ceil(window.to);
  const inWindow = (
    await sqlRows(
      layout,
      `${utc}SELECT ${ORDER_COLUMNS} FROM ${ORDERS_TABLE} WHERE created_at BETWEEN FROM_UNIXTIME(${from}) AND FROM_UNIXTIME(${to}) ORDER BY id`,
    )
  ).map(toOrder);
  const stock = "m.meta_key = '_stock' AND m.meta_value <> ''";
  const [[checked = '0'] = []] = await sqlRows(layout, `SELECT COUNT(*) FROM wp_postmeta m WHERE ${stock}`);
  const belowZero = (
    await sqlRows(
      layout,
      `SELECT p.ID, CAST(m.meta_value AS SIGNED), p.post_title FROM wp_postmeta m JOIN wp_posts p ON p.ID = m.post_id WHERE ${stock} AND CAST(m.meta_value AS SIGNED) < 0`,
    )
  ).map((r) => ({ id: Number(r[0]), stock: Number(r[1]), name: r.slice(2).join('\t') }));
  return {
    source: 'mariadb',
    where: `${layout.db.name}.${ORDERS_TABLE} on the local replica`,
    window: { from, to },
    byId,
    inWindow,
    products: { checked: Number(checked), belowZero },
    notChecked: [],
  };
}
