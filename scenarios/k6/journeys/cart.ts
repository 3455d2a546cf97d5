// Add to cart → view cart: a product page, the mini-cart's GET cart (which hands out the Nonce),
// add-item, then the cart again. From here on the visitor carries WooCommerce's cart cookies, so
// the next page bypasses page caches, as on a real store.

import { check } from 'k6';
import { viewAndAddToCart } from '../lib/add-to-cart.ts';

export function cart(): void {
  const { product, api } = viewAndAddToCart();
  const viewed = api.cart();
  check(viewed, { 'cart: shows the added product': (c) => (c?.items ?? []).some((i) => i.id === product.id) });
}
