// A minimal Store API shopper for tests and benches: a guest cart identified by its Cart-Token,
// add-item, checkout. Only to 127.0.0.1/localhost; every request has a timeout.
const STORE = '/wp-json/wc/store/v1';

export interface StoreAnswer {
  status: number;
  body: Record<string, unknown>;
  /** The fixture's own account of the request (rehearse-cost.php), e.g. "product; queries=108; …". */
  cost: string | null;
  cartToken: string | null;
}

export const ADDRESS = {
  first_name: 'Rehearse',
  last_name: 'Shopper',
  company: '',
  address_1: '1 Loopback Road',
  address_2: '',
  city: 'Localhost',
  state: 'CA',
  postcode: '90210',
  country: 'US',
  email: 'shopper@example.invalid',
  phone: '',
};

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost'].includes(host))
    throw new Error(`store requests go only to 127.0.0.1/localhost, not ${host}`);
}

export async function storeRequest(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<StoreAnswer> {
  const url = `${baseUrl}${STORE}${path}`;
  assertLoopback(url);
  const r = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { 'cart-token': opts.token } : {}),
      ...opts.headers,
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await r.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text.slice(0, 200) };
  }
  return { status: r.status, body, cost: r.headers.get('x-rehearse-cost'), cartToken: r.headers.get('cart-token') };
}

/** A new guest's Cart-Token (GET cart). */
export async function newCart(baseUrl: string): Promise<string> {
  const a = await storeRequest(baseUrl, 'GET', '/cart');
  if (a.status !== 200 || !a.cartToken)
    throw new Error(`GET cart answered ${a.status} without a Cart-Token: ${JSON.stringify(a.body).slice(0, 200)}`);
  return a.cartToken;
}

export function addItem(baseUrl: string, token: string, id: number, quantity = 1): Promise<StoreAnswer> {
  return storeRequest(baseUrl, 'POST', '/cart/add-item', { token, body: { id, quantity } });
}

export function checkout(
  baseUrl: string,
  token: string,
  idempotencyKey?: string,
  timeoutMs?: number,
): Promise<StoreAnswer> {
  return storeRequest(baseUrl, 'POST', '/checkout', {
    token,
    body: { billing_address: ADDRESS, payment_method: 'cod' },
    timeoutMs,
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
  });
}

/** "name; queries=108; select=107; …" → { endpoint, queries, … }. */
export function parseCost(header: string | null): { endpoint: string; [k: string]: number | string } | null {
  if (!header) return null;
  const [endpoint, ...pairs] = header.split(';').map((s) => s.trim());
  return {
    endpoint: endpoint!,
    ...Object.fromEntries(pairs.map((p) => p.split('=')).map(([k, v]) => [k!, Number(v)])),
  };
}
