// Checks on what the catalogue promises, not on a theme's markup: a product page shows the
// product's name and price; a category page links products of that category; the home page links
// into the shop (a category, a product or the shop page — a block theme's home is a blog index
// that links only /shop/). The same check names on every store, classic or block theme.

import { check } from 'k6';
import { linksTo, showsPrice, showsText } from './html.ts';
import type { PageView } from './pages.ts';
import { categories, products, type BrowsableCategory, type CatalogueProduct } from './plan-data.ts';

/** WooCommerce's shop page (the product archive) at its default path. */
const SHOP_PATH = '/shop/';
/** The home check looks for any of the first N categories and products (a home page need not list them all). */
const HOME_SAMPLE = 20;

const homeTargets = [
  SHOP_PATH,
  ...categories.slice(0, HOME_SAMPLE).map((c) => c.path),
  ...products.slice(0, HOME_SAMPLE).map((p) => p.path),
];

export function checkHome(page: PageView): void {
  check(page.res, {
    'home: status 200': (r) => r.status === 200,
    'home: links into the shop': () => homeTargets.some((p) => linksTo(page.html, p)),
  });
}

export function checkCategory(page: PageView, category: BrowsableCategory): void {
  check(page.res, {
    'category: status 200': (r) => r.status === 200,
    'category: lists its products': () => {
      for (let i = category.first; i < category.first + category.count; i++) {
        if (linksTo(page.html, products[i]!.path)) return true;
      }
      return false;
    },
  });
}

/** `page` shows `product`: status 200, its name and its price. */
export function checkProduct(page: PageView, product: CatalogueProduct): void {
  check(page.res, {
    'product: status 200': (r) => r.status === 200,
    'product: shows its name and price': () =>
      showsText(page.html, product.name) && showsPrice(page.html, product.price),
  });
}
