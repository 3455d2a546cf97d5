// Anonymous browse: home → category → product, pausing to think between steps. Requests are
// tagged with stable endpoint names (home, category, product) so results group by endpoint, not
// by URL; checks verify content, not just status codes.

import { check } from 'k6';
import http from 'k6/http';
import { bodyText, linksTo, randomIndex, showsText } from '../lib/html.ts';
import { categories, products, storeUrl, type CatalogueProduct } from '../lib/plan-data.ts';
import { think } from '../lib/think.ts';

/** The home check looks for any of the first N categories (a home page need not list them all). */
const HOME_CATEGORY_SAMPLE = 20;
/** How many of a category's products to look for on its (paginated) page. */
const CATEGORY_PRODUCT_SAMPLE = 100;

const homeCategoryPaths = categories.slice(0, HOME_CATEGORY_SAMPLE).map((c) => c.path);

export function browse(): void {
  const home = http.get(storeUrl('/'), { tags: { name: 'home' } });
  const homeHtml = bodyText(home);
  check(home, {
    'home: status 200': (r) => r.status === 200,
    'home: lists category links': () => homeCategoryPaths.some((p) => linksTo(homeHtml, p)),
  });
  think();

  const category = categories[randomIndex(categories.length)]!;
  const listing = http.get(storeUrl(category.path), { tags: { name: 'category' } });
  const listed = linkedProducts(bodyText(listing), category.first, category.count);
  check(listing, {
    'category: status 200': (r) => r.status === 200,
    'category: links a product': () => listed.length > 0,
  });
  think();

  // A visitor clicks a product the page shows; if it shows none, one from the catalogue.
  const product = listed.length > 0 ? listed[randomIndex(listed.length)]! : products[category.first + randomIndex(category.count)]!;
  const page = http.get(storeUrl(product.path), { tags: { name: 'product' } });
  check(page, {
    'product: status 200': (r) => r.status === 200,
    'product: shows its name': (r) => showsText(bodyText(r), product.name),
  });
}

function linkedProducts(html: string, first: number, count: number): CatalogueProduct[] {
  const found: CatalogueProduct[] = [];
  if (!html) return found;
  for (let i = first; i < first + Math.min(count, CATEGORY_PRODUCT_SAMPLE); i++) {
    const p = products[i]!;
    if (linksTo(html, p.path)) found.push(p);
  }
  return found;
}
