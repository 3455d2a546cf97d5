// Search: home → WordPress product search for a (popular) product's full name → that product's
// page. WooCommerce answers a search that matches one product with a redirect to it: the journey
// follows it (on the allowlist only) and checks that it landed on that product's page; otherwise
// the results must link the product, and the visitor clicks through.

import { check } from 'k6';
import { linksTo } from '../lib/html.ts';
import { visit } from '../lib/pages.ts';
import { popularProduct } from '../lib/popularity.ts';
import { checkProduct } from '../lib/product-checks.ts';
import { think } from '../lib/think.ts';
import { pathOf } from '../lib/urls.ts';

export function search(): void {
  const home = visit('/', 'home');
  check(home.res, { 'home: status 200': (r) => r.status === 200 });
  think();

  const product = popularProduct();
  const query = `/?s=${encodeURIComponent(product.name).replace(/%20/g, '+')}&post_type=product`;
  const results = visit(query, 'search', { redirectName: 'product' });
  if (results.redirected) {
    check(results.res, { 'search: finds the product': () => pathOf(results.url) === product.path });
    checkProduct(results, product);
    return;
  }
  check(results.res, {
    'search: status 200': (r) => r.status === 200,
    'search: finds the product': () => linksTo(results.html, product.path),
  });
  think();

  checkProduct(visit(product.path, 'product'), product);
}
