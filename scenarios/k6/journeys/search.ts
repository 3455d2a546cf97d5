// Search: home → WordPress product search for a (popular) product's name → that product's page.

import { check } from 'k6';
import { linksTo, showsText } from '../lib/html.ts';
import { visit } from '../lib/pages.ts';
import { popularProduct } from '../lib/popularity.ts';
import { think } from '../lib/think.ts';

export function search(): void {
  const home = visit('/', 'home');
  check(home.res, { 'home: status 200': (r) => r.status === 200 });
  think();

  const product = popularProduct();
  const results = visit(`/?s=${encodeURIComponent(product.name).replace(/%20/g, '+')}&post_type=product`, 'search');
  check(results.res, {
    'search: status 200': (r) => r.status === 200,
    'search: finds the product': () => linksTo(results.html, product.path),
  });
  think();

  const page = visit(product.path, 'product');
  check(page.res, {
    'product: status 200': (r) => r.status === 200,
    'product: shows its name': () => showsText(page.html, product.name),
  });
}
