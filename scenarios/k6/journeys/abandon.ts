// Cart abandoner: two product pages, both added to the cart, a look at the cart, one item
// removed — and gone before checkout. Leaves a session (and its Redis/cookie cost) behind, as
// most sale-day carts do.

import { check } from 'k6';
import { checkProduct } from '../lib/product-checks.ts';
import { visit } from '../lib/pages.ts';
import { popularProduct } from '../lib/popularity.ts';
import { StoreApi } from '../lib/store-api.ts';
import { think } from '../lib/think.ts';

export function abandon(): void {
  const api = new StoreApi();
  const first = popularProduct();
  let second = popularProduct();
  for (let tries = 0; second.id === first.id && tries < 5; tries++) second = popularProduct();
  for (const [i, product] of [first, second].entries()) {
    const page = visit(product.path, 'product');
    checkProduct(page, product);
    if (i === 0) api.cart();
    api.addItem(product.id, 1);
    think();
  }
  const cart = api.cart();
  const item = (cart?.items ?? []).find((i) => i.id === first.id);
  check(cart, {
    'cart: holds both products': (c) => [first.id, second.id].every((id) => (c?.items ?? []).some((i) => i.id === id)),
  });
  think();
  if (item) api.removeItem(item.key);
}
