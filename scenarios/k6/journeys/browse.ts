// Anonymous browse: home → category → product, pausing to think between steps, each page with its
// CSS, scripts and images. The product is picked by popularity (a few doorbusters get most
// views); the visitor reaches it through its category page. Requests are tagged with stable
// endpoint names (home, category, product, asset:*); checks verify content, not just status codes.

import { check } from 'k6';
import { linksTo, showsText } from '../lib/html.ts';
import { visit } from '../lib/pages.ts';
import { categories } from '../lib/plan-data.ts';
import { popularProduct } from '../lib/popularity.ts';
import { think } from '../lib/think.ts';

/** The home check looks for any of the first N categories (a home page need not list them all). */
const HOME_CATEGORY_SAMPLE = 20;

const homeCategoryPaths = categories.slice(0, HOME_CATEGORY_SAMPLE).map((c) => c.path);

export function browse(): void {
  const home = visit('/', 'home');
  check(home.res, {
    'home: status 200': (r) => r.status === 200,
    'home: lists category links': () => homeCategoryPaths.some((p) => linksTo(home.html, p)),
  });
  think();

  const product = popularProduct();
  const category = categories.find((c) => c.slug === product.category) ?? categories[0]!;
  const listing = visit(category.path, 'category');
  check(listing.res, {
    'category: status 200': (r) => r.status === 200,
    'category: links a product': () => /\/product\/[^"'\s]+["']/.test(listing.html),
  });
  think();

  const page = visit(product.path, 'product');
  check(page.res, {
    'product: status 200': (r) => r.status === 200,
    'product: shows its name': () => showsText(page.html, product.name),
  });
}
