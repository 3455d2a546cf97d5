// The first steps every buying journey shares: a popular product's page, the mini-cart's GET
// cart (which hands out the Nonce), then add-item. Returns the product and the session's API.

import { check } from 'k6';
import { showsText } from './html.ts';
import { visit } from './pages.ts';
import { popularProduct } from './popularity.ts';
import { StoreApi } from './store-api.ts';
import { think } from './think.ts';

export function viewAndAddToCart(): { product: ReturnType<typeof popularProduct>; api: StoreApi } {
  const product = popularProduct();
  const page = visit(product.path, 'product');
  check(page.res, { 'product: shows its name': () => page.res.status === 200 && showsText(page.html, product.name) });
  const api = new StoreApi();
  api.cart();
  think();

  api.addItem(product.id, 1);
  think();
  return { product, api };
}
