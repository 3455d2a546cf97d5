// A stand-in for WooCommerce's REST API (wc/v3) on 127.0.0.1, for the order reconciliation's
// tests: orders (include, after/before with dates_are_gmt, paging with X-WP-TotalPages) and
// products (stock_status), behind a Basic-auth consumer key.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeWooOrder {
  id: number;
  status: string;
  /** "2026-12-01T14:00:00", GMT without a zone, as WooCommerce prints it. */
  date_created_gmt: string;
  billing: { email: string };
}

export interface FakeWooProduct {
  id: number;
  name: string;
  stock_quantity: number | null;
  stock_status: 'instock' | 'outofstock' | 'onbackorder';
}

export interface FakeWoo {
  baseUrl: string;
  orders: FakeWooOrder[];
  products: FakeWooProduct[];
  /** Every request's path and query, in order. */
  requests: string[];
  close(): Promise<void>;
}

export const gmt = (unixS: number) => new Date(unixS * 1000).toISOString().replace(/\.\d{3}Z$/, '');

export async function startFakeWoo(key: string, secret: string): Promise<FakeWoo> {
  const state = { orders: [] as FakeWooOrder[], products: [] as FakeWooProduct[], requests: [] as string[] };
  const expected = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== expected) return send(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.' });
    const q = url.searchParams;
    const perPage = Number(q.get('per_page') ?? 10);
    const page = Number(q.get('page') ?? 1);
    const paged = <T>(all: T[]) => {
      const totalPages = Math.max(1, Math.ceil(all.length / perPage));
      send(200, all.slice((page - 1) * perPage, page * perPage), { 'x-wp-total': String(all.length), 'x-wp-totalpages': String(totalPages) });
    };
    if (url.pathname === '/wp-json/wc/v3/orders') {
      let list = [...state.orders].sort((a, b) => a.id - b.id);
      const include = q.get('include');
      if (include) {
        const ids = new Set(include.split(',').map(Number));
        list = list.filter((o) => ids.has(o.id));
      }
      // WooCommerce compares these with the GMT dates when dates_are_gmt is true.
      if (q.get('dates_are_gmt') !== 'true' && (q.has('after') || q.has('before'))) return send(400, { message: 'test wants dates_are_gmt=true' });
      const after = q.get('after');
      const before = q.get('before');
      if (after) list = list.filter((o) => o.date_created_gmt > after);
      if (before) list = list.filter((o) => o.date_created_gmt < before);
      return paged(list);
    }
    if (url.pathname === '/wp-json/wc/v3/products') {
      const status = q.get('stock_status');
      return paged(state.products.filter((p) => !status || p.stock_status === status));
    }
    send(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.' });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get orders() { return state.orders; },
    set orders(v) { state.orders = v; },
    get products() { return state.products; },
    set products(v) { state.products = v; },
    requests: state.requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
