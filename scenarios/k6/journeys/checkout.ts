// Guest checkout through the Store API: product page → cart (Nonce) → add-item → cart → checkout.
// Counts placed orders (rehearse_orders) so a run can be compared with the store's order table.

import { check } from 'k6';
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
    email: `guest-${__VU}-${__ITER}@example.invalid`,
  };
}

export function checkout(): void {
  const { api } = viewAndAddToCart();
  const cart = api.cart();
  check(cart, { 'cart: holds one item to pay for': (c) => (c?.items_count ?? 0) >= 1 });
  think();

  const placed = api.checkout(guest(), PAYMENT_METHOD) !== undefined;
  checkoutSuccess.add(placed); // the SLO's checkout_success rate (lib/checkout-success.ts)
  if (placed) ordersPlaced.add(1);
}
