// The first steps every buying journey shares: a popular product's page, the mini-cart's GET
// cart (which hands out the Nonce), then add-item. Returns the product and the session's API.

import { checkProduct } from './product-checks.ts';
import { visit } from './pages.ts';
import { popularProduct } from './popularity.ts';
import { StoreApi } from './store-api.ts';
import { think } from './think.ts';

export function viewAndAddToCart(): { product: ReturnType<typeof popularProduct>; api: StoreApi } {
  const product = popularProduct();
  const page = visit(product.path, 'product');
  checkProduct(page, product);
  const api = new StoreApi();
  api.cart();
  think();

  api.addItem(product.id, 1);
  think();
  return { product, api };
}
