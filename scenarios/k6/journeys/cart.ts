// Add to cart → view cart: a product page, the mini-cart's GET cart (which hands out the Nonce),
// add-item, then the cart again. From here on the visitor carries WooCommerce's cart cookies, so
// the next page bypasses page caches, as on a real store.

import { check } from 'k6';
import { showsText } from '../lib/html.ts';
import { visit } from '../lib/pages.ts';
import { popularProduct } from '../lib/popularity.ts';
import { StoreApi } from '../lib/store-api.ts';
import { think } from '../lib/think.ts';

export function cart(): void {
  const product = popularProduct();
  const page = visit(product.path, 'product');
  check(page.res, { 'product: shows its name': () => page.res.status === 200 && showsText(page.html, product.name) });
  const api = new StoreApi();
  api.cart();
  think();

  api.addItem(product.id, 1);
  think();

  const viewed = api.cart();
  check(viewed, { 'cart: shows the added product': (c) => (c?.items ?? []).some((i) => i.id === product.id) });
}
