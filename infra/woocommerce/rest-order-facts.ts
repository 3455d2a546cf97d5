// A WooCommerce store's side of a run's orders, read through its REST API (wc/v3) with a
// read-only key the user gives in the environment (never in a file, never logged; over HTTPS as
// Basic auth, over HTTP as an OAuth 1.0a signature, oauth1-sign.ts, so the secret never travels in
// clear): the accepted
// ids it holds (orders?include=…), every order created in the window (orders?after=…&before=…),
// and products out of stock below zero. The cart key is the billing email: the checkout journey
// writes one address per cart (scenarios/k6/journeys/checkout.ts).
import type { StoreOrder, StoreOrderFacts } from '../../reports/orders/reconcile-orders.ts';
import { signWooUrl } from './oauth1-sign.ts';

export const WC_KEY_ENV = 'REHEARSE_WC_CONSUMER_KEY';
export const WC_SECRET_ENV = 'REHEARSE_WC_CONSUMER_SECRET';

export interface WooCredentials {
  key: string;
  secret: string;
}

/** The key from the environment, or null with what is missing. */
export function wooCredentialsFromEnv(env: NodeJS.ProcessEnv = process.env): WooCredentials | null {
  const key = env[WC_KEY_ENV]?.trim();
  const secret = env[WC_SECRET_ENV]?.trim();
  return key && secret ? { key, secret } : null;
}

const PER_PAGE = 100;
/** Stops a runaway listing (a window holding far more orders than any run places). */
const MAX_PAGES = 2000;

const ALL_CHECKS = [
  'accepted orders missing from the store',
  'duplicate orders (two from one cart)',
  'oversold stock (below zero)',
  'orders created in the window that no runner accepted',
];

/** What is left unchecked, said exactly, when there is no key (or half of one). */
export function noKeyFacts(
  baseUrl: string,
  window: { from: number; to: number },
  env: NodeJS.ProcessEnv = {},
): StoreOrderFacts {
  const half = [WC_KEY_ENV, WC_SECRET_ENV].filter((v) => env[v]?.trim());
  const what =
    half.length === 1
      ? `Only ${half[0]} is set (${half[0] === WC_KEY_ENV ? WC_SECRET_ENV : WC_KEY_ENV} is not)`
      : 'No WooCommerce REST key';
  return {
    source: 'none',
    where: `${apiBase(baseUrl)} (not asked)`,
    window,
    byId: null,
    inWindow: null,
    products: null,
    notChecked: [
      `${what}: ${ALL_CHECKS.join('; ')} were not checked. ` +
        `To check them, create a read-only key (WooCommerce → Settings → Advanced → REST API) and set ${WC_KEY_ENV} and ${WC_SECRET_ENV} in the environment of the run.`,
    ],
  };
}

/** The REST base, without any user:password a URL may carry (it is written to the record). */
function apiBase(baseUrl: string): string {
  let clean = baseUrl;
  try {
    const u = new URL(baseUrl);
    u.username = '';
    u.password = '';
    clean = u.toString();
  } catch {
    // not a URL: the request will say so
  }
  return `${clean.replace(/\/+$/, '')}/wp-json/wc/v3`;
}

interface WooOrder {
  id: number;
  status: string;
  date_created_gmt?: string | null;
  billing?: { email?: string };
}
interface WooProduct {
  id: number;
  name: string;
  stock_quantity: number | null;
  manage_stock?: boolean | string;
}

const iso = (unixS: number) => new Date(unixS * 1000).toISOString().replace(/\.\d{3}Z$/, '');

function toOrder(o: WooOrder): StoreOrder {
  // WooCommerce prints GMT dates without a zone.
  const created = o.date_created_gmt ? Date.parse(`${o.date_created_gmt}Z`) / 1000 : 0;
  return {
    id: o.id,
    cart: (o.billing?.email ?? '').toLowerCase(),
    createdAt: Number.isFinite(created) ? created : 0,
    status: o.status,
  };
}

export interface WooFactsOptions {
  /** The store's base URL (the plan's target). */
  baseUrl: string;
  credentials: WooCredentials;
  accepted: readonly number[];
  window: { from: number; to: number };
  timeoutMs?: number;
}

export async function wooOrderFacts(o: WooFactsOptions): Promise<StoreOrderFacts> {
  const base = apiBase(o.baseUrl);
  const tls = new URL(base).protocol === 'https:';
  const basic = `Basic ${Buffer.from(`${o.credentials.key}:${o.credentials.secret}`).toString('base64')}`;
  const get = async <T>(path: string, params: Record<string, string>): Promise<{ body: T[]; totalPages: number }> => {
    let u = new URL(`${base}/${path}`);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    // Over HTTPS the key goes as Basic auth; over HTTP only a signature made with the secret does.
    if (!tls) u = signWooUrl(u, o.credentials.key, o.credentials.secret);
    const headers: Record<string, string> = { accept: 'application/json', ...(tls ? { authorization: basic } : {}) };
    const res = await fetch(u, { headers, signal: AbortSignal.timeout(o.timeoutMs ?? 20_000) });
    if (res.status === 401 || res.status === 403) {
      await res.arrayBuffer();
      throw new Error(
        `${base}/${path} refused the key (HTTP ${res.status}): check ${WC_KEY_ENV} and ${WC_SECRET_ENV} hold a key of this store with read access`,
      );
    }
    if (!res.ok) {
      const text = (await res.text()).slice(0, 200);
      throw new Error(`${base}/${path} answered HTTP ${res.status}: ${text}`);
    }
    const body = (await res.json()) as T[];
    if (!Array.isArray(body))
      throw new Error(
        `${base}/${path} did not answer a JSON list: is ${o.baseUrl} a WooCommerce store with the REST API on?`,
      );
    return { body, totalPages: Number(res.headers.get('x-wp-totalpages') ?? '1') || 1 };
  };
  const pages = async <T>(path: string, params: Record<string, string>): Promise<T[]> => {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { body, totalPages } = await get<T>(path, { ...params, per_page: String(PER_PAGE), page: String(page) });
      all.push(...body);
      if (body.length < PER_PAGE || page >= totalPages) break;
    }
    return all;
  };

  const byId: StoreOrder[] = [];
  for (let i = 0; i < o.accepted.length; i += PER_PAGE) {
    const ids = o.accepted.slice(i, i + PER_PAGE);
    byId.push(
      ...(
        await get<WooOrder>('orders', { include: ids.join(','), per_page: String(PER_PAGE), status: 'any' })
      ).body.map(toOrder),
    );
  }
  const from = Math.floor(o.window.from);
  const to = Math.ceil(o.window.to);
  const inWindow = (
    await pages<WooOrder>('orders', {
      after: iso(from - 1),
      before: iso(to + 1),
      dates_are_gmt: 'true',
      status: 'any',
      orderby: 'id',
      order: 'asc',
    })
  )
    .map(toOrder)
    .filter((x) => x.createdAt >= from && x.createdAt <= to);
  // Stock below zero shows as out of stock (backorders, which may go below zero by design, do not).
  const out = await pages<WooProduct>('products', { stock_status: 'outofstock' });
  const belowZero = out
    .filter((p) => typeof p.stock_quantity === 'number' && p.stock_quantity < 0)
    .map((p) => ({ id: p.id, name: p.name, stock: p.stock_quantity! }));
  return {
    source: 'woocommerce-rest',
    where: base,
    window: { from, to },
    byId,
    inWindow,
    products: { checked: out.length, belowZero },
    notChecked: [],
  };
}
