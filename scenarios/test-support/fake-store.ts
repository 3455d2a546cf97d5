// A stand-in store for tests and benchmarks: a node:http server on 127.0.0.1 that serves a home
// page linking the categories, category pages linking their products (absolute URLs, as
// WordPress prints them), product pages titled with the product's name (HTML-escaped) and its
// price, product search (/?s=…&post_type=product), a stylesheet and product images the pages
// reference, and WooCommerce's Store API and my-account (fake-store-api.ts). With theme 'block'
// it answers as WooCommerce under twentytwentyfive does: the home page is a blog index that links
// only /shop/, pages reference 22 stylesheets and 17 scripts, products sit in block markup; with
// searchRedirect, a search matching one product answers 302 to it (as WooCommerce does).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalogue } from '../plan/catalogue-schema.ts';
import { fakeShop, type FakeShop } from './fake-store-api.ts';

export type PageKind = 'home' | 'category' | 'product' | 'search' | 'asset' | 'api' | 'account' | 'missing';

export interface FakeStore {
  baseUrl: string;
  /** Requests served, by kind. */
  hits: Record<PageKind, number>;
  /** Query strings seen on pages (cacheBust adds one per page request). */
  queries: string[];
  /** Requests by the Host header they carried (a redirect followed off the allowlist shows here). */
  hosts: Record<string, number>;
  /** Product page views by product path. */
  productViews: Record<string, number>;
  /** When each request arrived (ms, performance.now()), for per-second load. */
  requestTimes: number[];
  /** The Store API's orders, refusals and logins. */
  shop: FakeShop;
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const STYLESHEET = '/wp-content/themes/fake/style.css?ver=1';
const classicPage = (title: string, body: string) =>
  `<!doctype html><html><head><title>${esc(title)}</title><link rel='stylesheet' href='${STYLESHEET}' media='all' /></head><body>${body}</body></html>`;
/** What twentytwentyfive + WooCommerce 10 reference on every page: 22 stylesheets, 17 scripts (some as module preloads). */
const BLOCK_CSS = Array.from({ length: 22 }, (_, i) => `/wp-includes/css/dist/block-${i}.css?ver=6.8.3`);
const BLOCK_JS = Array.from({ length: 17 }, (_, i) => `/wp-content/plugins/woocommerce/assets/js/w-${i}.js?ver=10.0.2`);
const blockHead = (origin: string) =>
  BLOCK_CSS.map(
    (h, i) => `<link rel='stylesheet' id='b${i}-css' href='${origin}${h.replace('&', '&#038;')}' media='all' />`,
  ).join('\n') +
  BLOCK_JS.map((h, i) =>
    i % 4 === 3
      ? `<link rel="modulepreload" href="${origin}${h}" id="w${i}-js-modulepreload">`
      : `<script src="${origin}${h}" id="w${i}-js"></script>`,
  ).join('\n');
/** WooCommerce's price markup: currency symbol as an entity, two decimals, thousands grouped. */
const wooPrice = (price: number | string) => {
  const [int, frac] = Number(price).toFixed(2).split('.') as [string, string];
  return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>${int.replace(/\B(?=(\d{3})+$)/g, ',')}.${frac}</bdi></span>`;
};
const SEARCH_OFF_LIST_HOST = 'localhost';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';

export interface FakeStoreOptions {
  /** Product pages show a wrong name: a store that answers 200 with the wrong content. */
  wrongProductNames?: boolean;
  /** The customers' password wp-login.php accepts. */
  customerPassword?: string;
  /** 'block': markup and assets of a block theme (twentytwentyfive); default 'classic'. */
  theme?: 'classic' | 'block';
  /**
   * A search matching exactly one product answers 302: 'store' to the product on this store,
   * 'off-list' to the same product on localhost (loopback, but off a plan that allows only 127.0.0.1).
   */
  searchRedirect?: 'store' | 'off-list';
  /** Every asset (stylesheet, script, image) answers this many ms late: slow assets, fast pages. */
  assetDelayMs?: number;
}

/**
 * The assets a page view of this store loads, a visit's first page and each later one (what
 * scenarios/plan/measure-assets.ts measures on it; measure-assets.test.ts holds them to that):
 * classic, a stylesheet and then a category's picture on half the later pages; block, the 39
 * stylesheets and scripts on every page, nothing new after the first.
 */
export function fakeStoreAssets(theme: 'classic' | 'block' = 'classic') {
  return theme === 'block'
    ? { first: 39, later: 0, source: 'given' as const }
    : { first: 1, later: 0.5, source: 'given' as const };
}

export async function startFakeStore(
  catalogue: Pick<Catalogue, 'categories' | 'products' | 'customers'>,
  opts: FakeStoreOptions = {},
): Promise<FakeStore> {
  const hits: Record<PageKind, number> = {
    home: 0,
    category: 0,
    product: 0,
    search: 0,
    asset: 0,
    api: 0,
    account: 0,
    missing: 0,
  };
  const queries: string[] = [];
  const productViews: Record<string, number> = {};
  const requestTimes: number[] = [];
  const hosts: Record<string, number> = {};
  let origin = '';
  const block = opts.theme === 'block';
  const page = (title: string, body: string) =>
    block
      ? `<!doctype html><html><head><title>${esc(title)}</title>${blockHead(origin)}</head><body class="wp-site-blocks">${body}</body></html>`
      : classicPage(title, body);
  const shop = fakeShop(catalogue, opts.customerPassword);
  const categories = new Map(catalogue.categories.map((c) => [c.path, c]));
  const products = new Map(catalogue.products.map((p) => [p.path, p]));
  const link = (path: string, text: string) => `<a href="${origin}${path}">${esc(text)}</a>`;
  const image = (slug: string) => `<img src="${origin}/wp-content/uploads/shop/${slug}.svg" alt="">`;

  const server: Server = createServer((req, res) => {
    requestTimes.push(performance.now());
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    hosts[host] = (hosts[host] ?? 0) + 1;
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const [path = '/', query] = (req.url ?? '/').split('?');
      const params = new URLSearchParams(query ?? '');
      if (path.startsWith('/wp-json/')) hits.api++;
      else if (path === '/wp-login.php' || path.startsWith('/my-account/')) hits.account++;
      if (shop.handle(req, res, path, body, origin)) return;
      if (path.startsWith('/wp-content/') || path.startsWith('/wp-includes/')) {
        hits.asset++;
        const type = path.endsWith('.css')
          ? 'text/css'
          : path.endsWith('.js')
            ? 'application/javascript'
            : 'image/svg+xml';
        const send = () => {
          res.writeHead(200, { 'content-type': type });
          res.end(type === 'text/css' ? 'body{margin:0}' : type === 'application/javascript' ? ';' : SVG);
        };
        if (opts.assetDelayMs) setTimeout(send, opts.assetDelayMs);
        else send();
        return;
      }
      if (query !== undefined) queries.push(query);
      let html: string | undefined;
      if (path === '/' && params.has('s')) {
        hits.search++;
        const words = (params.get('s') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const found = catalogue.products.filter((p) => words.every((w) => p.name.toLowerCase().includes(w)));
        if (found.length === 1 && opts.searchRedirect) {
          const to = opts.searchRedirect === 'store' ? origin : origin.replace('127.0.0.1', SEARCH_OFF_LIST_HOST);
          res.writeHead(302, { location: `${to}${found[0]!.path}`, 'content-type': 'text/html; charset=UTF-8' });
          res.end();
          return;
        }
        html = page(
          'Search',
          `<h1>Results</h1><ul>${found.map((p) => `<li>${link(p.path, p.name)}</li>`).join('')}</ul>`,
        );
      } else if (path === '/' && block) {
        hits.home++; // a blog index: posts and a link to the shop, no category or product links
        html = page(
          'Store',
          `<main><h2><a href="${origin}/hello-world/">Hello world!</a></h2><p><a href="${origin}/shop/">Shop</a></p></main>`,
        );
      } else if (path === '/') {
        hits.home++;
        html = page(
          'Store',
          `<ul>${catalogue.categories.map((c) => `<li>${link(c.path, c.name)}</li>`).join('')}</ul>`,
        );
      } else if (categories.has(path)) {
        hits.category++;
        const c = categories.get(path)!;
        const items = catalogue.products.filter((p) => p.category === c.slug);
        html = block
          ? page(
              c.name,
              `<h1 class="wp-block-query-title">${esc(c.name)}</h1><ul class="wc-block-product-template">${items
                .map(
                  (p) =>
                    `<li class="wc-block-product"><h3 class="wp-block-post-title"><a href="${origin}${p.path}" target="_self">${esc(p.name)}</a></h3>` +
                    `<div class="wp-block-woocommerce-product-price">${wooPrice(p.price)}</div></li>`,
                )
                .join('')}</ul>`,
            )
          : page(
              c.name,
              `<h1>${esc(c.name)}</h1><ul>${items.map((p) => `<li>${image(p.category)}${link(p.path, p.name)}</li>`).join('')}</ul>`,
            );
      } else if (products.has(path)) {
        hits.product++;
        productViews[path] = (productViews[path] ?? 0) + 1;
        const p = products.get(path)!;
        const name = opts.wrongProductNames ? `Not ${p.slug}` : p.name;
        html = block
          ? page(
              name,
              `<h1 class="wp-block-post-title">${esc(name)}</h1><div class="wp-block-woocommerce-product-price">${wooPrice(p.price)}</div>`,
            )
          : page(
              name,
              `${image(p.category)}<h1 class="product_title entry-title">${esc(name)}</h1><p class="price">$${Number(p.price).toFixed(2)}</p>`,
            );
      }
      if (html === undefined) hits.missing++;
      res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html ?? page('Not found', '<h1>Not found</h1>'));
    });
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin,
    hits,
    queries,
    productViews,
    requestTimes,
    hosts,
    shop,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A small catalogue: `categories` categories of `perCategory` products, some names needing escaping, a few customers. */
export function smallCatalogue(categories = 4, perCategory = 5, customers = 3): Catalogue {
  const cats = Array.from({ length: categories }, (_, i) => ({
    slug: `cat-${i}`,
    name: `Category ${i}`,
    path: `/product-category/cat-${i}/`,
  }));
  const products = cats.flatMap((c, ci) =>
    Array.from({ length: perCategory }, (_, j) => {
      const n = ci * perCategory + j + 1;
      const slug = `item-${String(n).padStart(3, '0')}`;
      return {
        id: 100 + n,
        slug,
        name: j % 2 ? `Kettle & Toaster <${n}>` : `Blue Kettle ${n}`,
        path: `/product/${slug}/`,
        category: c.slug,
        price: 10 + n,
      };
    }),
  );
  return {
    version: 1,
    categories: cats,
    products,
    customers: Array.from({ length: customers }, (_, i) => ({ username: `customer${String(i + 1).padStart(3, '0')}` })),
  };
}
