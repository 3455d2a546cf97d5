// A stand-in for WooCommerce's REST API (wc/v3) on 127.0.0.1, for the order reconciliation's
// tests: orders (include, after/before with dates_are_gmt, paging with X-WP-TotalPages) and
// products (stock_status). Plain HTTP, so, as WooCommerce does, it takes the consumer key only as
// a one-legged OAuth 1.0a signature (checked here the way class-wc-rest-authentication.php
// checks it) and refuses Basic auth.
import { createHash, createHmac } from 'node:crypto';
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
  /** Every request's headers, in order. */
  headers: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export const gmt = (unixS: number) => new Date(unixS * 1000).toISOString().replace(/\.\d{3}Z$/, '');

// PHP's rawurlencode, written apart from the client's on purpose.
const phpRawurlencode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

export async function startFakeWoo(key: string, secret: string): Promise<FakeWoo> {
  const state = {
    orders: [] as FakeWooOrder[],
    products: [] as FakeWooProduct[],
    requests: [] as string[],
    headers: [] as Array<Record<string, unknown>>,
  };
  const nonces = new Set<string>();
  /** WooCommerce's check_oauth_signature over HTTP: null when the request is signed right. */
  const oauthError = (method: string, host: string, url: URL): string | null => {
    const params = Object.fromEntries(url.searchParams);
    if (params.oauth_consumer_key !== key) return 'Consumer key is invalid.';
    const given = params.oauth_signature;
    delete params.oauth_signature;
    if (Math.abs(Date.now() / 1000 - Number(params.oauth_timestamp)) > 15 * 60) return 'Invalid timestamp.';
    const nonce = createHash('sha256').update(`${params.oauth_timestamp}:${params.oauth_nonce}`).digest('hex');
    if (!params.oauth_nonce || nonces.has(nonce)) return 'Invalid nonce - nonce has already been used.';
    nonces.add(nonce);
    const names = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const query = names.map((k) => `${phpRawurlencode(k)}%3D${phpRawurlencode(params[k]!)}`).join('%26');
    const toSign = `${method}&${phpRawurlencode(`http://${host}${url.pathname}`)}&${query}`;
    const algo =
      params.oauth_signature_method === 'HMAC-SHA256'
        ? 'sha256'
        : params.oauth_signature_method === 'HMAC-SHA1'
          ? 'sha1'
          : null;
    if (!algo) return 'Invalid signature method.';
    return createHmac(algo, `${secret}&`).update(toSign).digest('base64') === given
      ? null
      : 'Invalid signature - provided signature does not match.';
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push(`${url.pathname}${url.search}`);
    state.headers.push({ ...req.headers });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    // Basic auth over plain HTTP is not accepted (WooCommerce reads it over HTTPS only).
    const problem = req.headers.authorization
      ? 'Basic auth over HTTP'
      : oauthError(req.method ?? 'GET', req.headers.host ?? '', url);
    if (problem) return send(401, { code: 'woocommerce_rest_authentication_error', message: problem });
    const q = url.searchParams;
    const perPage = Number(q.get('per_page') ?? 10);
    const page = Number(q.get('page') ?? 1);
    const paged = <T>(all: T[]) => {
      const totalPages = Math.max(1, Math.ceil(all.length / perPage));
      send(200, all.slice((page - 1) * perPage, page * perPage), {
        'x-wp-total': String(all.length),
        'x-wp-totalpages': String(totalPages),
      });
    };
    if (url.pathname === '/wp-json/wc/v3/orders') {
      let list = [...state.orders].sort((a, b) => a.id - b.id);
      const include = q.get('include');
      if (include) {
        const ids = new Set(include.split(',').map(Number));
        list = list.filter((o) => ids.has(o.id));
      }
      // WooCommerce compares these with the GMT dates when dates_are_gmt is true.
      if (q.get('dates_are_gmt') !== 'true' && (q.has('after') || q.has('before')))
        return send(400, { message: 'test wants dates_are_gmt=true' });
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
    get orders() {
      return state.orders;
    },
    set orders(v) {
      state.orders = v;
    },
    get products() {
      return state.products;
    },
    set products(v) {
      state.products = v;
    },
    requests: state.requests,
    headers: state.headers,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
