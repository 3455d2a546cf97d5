// A stand-in store for tests and benchmarks: a node:http server on 127.0.0.1 that serves a home
// page linking the categories, category pages linking their products (absolute URLs, as
// WordPress prints them) and product pages titled with the product's name (HTML-escaped).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalogue } from '../plan/catalogue-schema.ts';

export interface FakeStore {
  baseUrl: string;
  /** Requests served, by page kind: home, category, product, missing. */
  hits: Record<'home' | 'category' | 'product' | 'missing', number>;
  /** Query strings seen (cacheBust adds one per request). */
  queries: string[];
  close(): Promise<void>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${esc(title)}</title></head><body>${body}</body></html>`;

export interface FakeStoreOptions {
  /** Product pages show a wrong name: a store that answers 200 with the wrong content. */
  wrongProductNames?: boolean;
}

export async function startFakeStore(catalogue: Pick<Catalogue, 'categories' | 'products'>, opts: FakeStoreOptions = {}): Promise<FakeStore> {
  const hits = { home: 0, category: 0, product: 0, missing: 0 };
  const queries: string[] = [];
  let origin = '';
  const categories = new Map(catalogue.categories.map((c) => [c.path, c]));
  const products = new Map(catalogue.products.map((p) => [p.path, p]));
  const link = (path: string, text: string) => `<a href="${origin}${path}">${esc(text)}</a>`;

  const server: Server = createServer((req, res) => {
    const [path = '/', query] = (req.url ?? '/').split('?');
    if (query !== undefined) queries.push(query);
    let html: string | undefined;
    if (path === '/') {
      hits.home++;
      html = page('Store', `<ul>${catalogue.categories.map((c) => `<li>${link(c.path, c.name)}</li>`).join('')}</ul>`);
    } else if (categories.has(path)) {
      hits.category++;
      const c = categories.get(path)!;
      const items = catalogue.products.filter((p) => p.category === c.slug);
      html = page(c.name, `<h1>${esc(c.name)}</h1><ul>${items.map((p) => `<li>${link(p.path, p.name)}</li>`).join('')}</ul>`);
    } else if (products.has(path)) {
      hits.product++;
      const p = products.get(path)!;
      const name = opts.wrongProductNames ? `Not ${p.slug}` : p.name;
      html = page(name, `<h1 class="product_title entry-title">${esc(name)}</h1><p class="price">${esc(String(p.price))}</p>`);
    }
    if (html === undefined) hits.missing++;
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? page('Not found', '<h1>Not found</h1>'));
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin,
    hits,
    queries,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

/** A small catalogue: `categories` categories of `perCategory` products, some names needing escaping. */
export function smallCatalogue(categories = 4, perCategory = 5): Catalogue {
  const cats = Array.from({ length: categories }, (_, i) => ({ slug: `cat-${i}`, name: `Category ${i}`, path: `/product-category/cat-${i}/` }));
  const products = cats.flatMap((c, ci) =>
    Array.from({ length: perCategory }, (_, j) => {
      const n = ci * perCategory + j + 1;
      const slug = `item-${String(n).padStart(3, '0')}`;
      return { id: 100 + n, slug, name: j % 2 ? `Kettle & Toaster <${n}>` : `Blue Kettle ${n}`, path: `/product/${slug}/`, category: c.slug, price: 10 + n };
    }),
  );
  return { version: 1, categories: cats, products };
}
