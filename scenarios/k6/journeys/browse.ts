// Anonymous browse: home → category → product, pausing to think between steps, each page with its
// CSS, scripts and images. The product is picked by popularity (a few doorbusters get most
// views); the visitor reaches it through its category page. Requests are tagged with stable
// endpoint names (home, category, product, asset:*); checks verify what the catalogue promises
// (lib/product-checks.ts), not a theme's markup.

import { visit } from '../lib/pages.ts';
import { categories } from '../lib/plan-data.ts';
import { popularProduct } from '../lib/popularity.ts';
import { checkCategory, checkHome, checkProduct } from '../lib/product-checks.ts';
import { think } from '../lib/think.ts';

export function browse(): void {
  checkHome(visit('/', 'home'));
  think();

  const product = popularProduct();
  const category = categories.find((c) => c.slug === product.category) ?? categories[0]!;
  checkCategory(visit(category.path, 'category'), category);
  think();

  checkProduct(visit(product.path, 'product'), product);
}
