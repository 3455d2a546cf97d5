// Guest checkout through the Store API: product page → cart (Nonce) → add-item → cart → checkout.
// Counts placed orders (rehearse_orders), each with its order id, so a run is reconciled with the
// store's orders by id (reports/orders).

import { check } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';
import { checkoutSuccess } from '../lib/checkout-success.ts';
import { viewAndAddToCart } from '../lib/add-to-cart.ts';
import { type Address } from '../lib/store-api.ts';
import { think } from '../lib/think.ts';

export const ordersPlaced = new Counter('rehearse_orders');

/** Cash on delivery needs no payment gateway; a real store may name another (REHEARSE_PAYMENT_METHOD). */
const PAYMENT_METHOD = __ENV.REHEARSE_PAYMENT_METHOD ?? 'cod';

function guest(): Address {
  return {
    first_name: 'Rehearse',
    last_name: `Guest ${__VU}`,
    address_1: '1 Load Test Lane',
    city: 'Springfield',
    postcode: '12345',
    country: 'US',
    // One address per cart (VU numbers repeat across runners): two orders with it are one cart paid twice.
    email: `guest-${__VU}-${__ITER}-${Math.random().toString(36).slice(2, 10)}@example.invalid`,
  };
}

export function checkout(): void {
  const { api } = viewAndAddToCart();
  const cart = api.cart();
  check(cart, { 'cart: holds one item to pay for': (c) => (c?.items_count ?? 0) >= 1 });
  think();

  const orderId = api.checkout(guest(), PAYMENT_METHOD);
  const placed = orderId !== undefined;
  checkoutSuccess.add(placed); // the SLO's checkout_success rate (lib/checkout-success.ts)
  if (placed) {
    // Metadata, not a tag: k6 writes it to the samples (CSV column "metadata") but keeps no time
    // series per value, so one id per order costs k6 no memory.
    exec.vu.metrics.metadata.order_id = String(orderId);
    ordersPlaced.add(1);
    delete exec.vu.metrics.metadata.order_id;
  }
}
