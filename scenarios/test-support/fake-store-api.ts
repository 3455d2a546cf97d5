// The WooCommerce side of the fake store: the Store API contract the journeys use (cart, add-item,
// remove-item, checkout, with Nonce / Cart-Token / session-cookie rules and WooCommerce's error
// codes) and a returning customer's wp-login.php → /my-account/orders/. In memory; pure Node.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Catalogue } from '../plan/catalogue-schema.ts';

export interface FakeOrder {
  id: number;
  items: Array<{ id: number; quantity: number }>;
  email: string;
  customer?: string;
}

export interface FakeShop {
  orders: FakeOrder[];
  /** Writes refused for a missing or invalid Nonce (no Cart-Token). */
  refused: number;
  logins: number;
  handle(req: IncomingMessage, res: ServerResponse, path: string, body: string, origin: string): boolean;
}

const SESSION_COOKIE = 'wp_woocommerce_session_fake';

function cookies(req: IncomingMessage): Map<string, string> {
  return new Map(
    (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('=') as [string, string])
      .filter(([k]) => k),
  );
}

export function fakeShop(catalogue: Pick<Catalogue, 'products' | 'customers'>, customerPassword = ''): FakeShop {
  const products = new Map(catalogue.products.map((p) => [p.id, p]));
  const carts = new Map<string, Map<string, { key: string; id: number; quantity: number }>>();
  const nonces = new Set<string>();
  const logins = new Set((catalogue.customers ?? []).map((c) => c.username));
  const shop: FakeShop = { orders: [], refused: 0, logins: 0, handle };

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string | string[]> = {},
  ): true {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
    return true;
  }
  const error = (res: ServerResponse, status: number, code: string, message: string) =>
    send(res, status, { code, message, data: { status } });

  function cartJson(cart: Map<string, { key: string; id: number; quantity: number }>) {
    const items = [...cart.values()].map((i) => ({
      ...i,
      name: products.get(i.id)!.name,
      prices: { price: String(Math.round(Number(products.get(i.id)!.price) * 100)), currency_minor_unit: 2 },
    }));
    return {
      items,
      items_count: items.reduce((s, i) => s + i.quantity, 0),
      totals: { currency_code: 'USD' },
      errors: [],
    };
  }

  function handle(req: IncomingMessage, res: ServerResponse, path: string, body: string, origin: string): boolean {
    const jar = cookies(req);
    if (path.startsWith('/wp-json/wc/store/v1/')) {
      const route = path.slice('/wp-json/wc/store/v1/'.length);
      const token = String(req.headers['cart-token'] ?? '');
      const viaToken = token.startsWith('tok.') && carts.has(token.slice(4));
      const sid = viaToken ? token.slice(4) : (jar.get(SESSION_COOKIE) ?? randomBytes(8).toString('hex'));
      if (!carts.has(sid)) carts.set(sid, new Map());
      const cart = carts.get(sid)!;
      const nonce = randomBytes(5).toString('hex');
      nonces.add(nonce);
      const headers: Record<string, string | string[]> = { Nonce: nonce, 'Cart-Token': `tok.${sid}` };
      if (!viaToken)
        headers['Set-Cookie'] = [
          `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly`,
          ...(cart.size ? ['woocommerce_items_in_cart=1; Path=/'] : []),
        ];
      if (req.method === 'POST' && !viaToken) {
        const n = String(req.headers.nonce ?? '');
        if (!n)
          return (
            shop.refused++,
            error(
              res,
              401,
              'woocommerce_rest_missing_nonce',
              'Missing the Nonce header. This endpoint requires a valid nonce.',
            )
          );
        if (!nonces.has(n))
          return (shop.refused++, error(res, 403, 'woocommerce_rest_invalid_nonce', 'Nonce is invalid.'));
      }
      let input: Record<string, any> = {};
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        return error(res, 400, 'rest_invalid_json', 'Invalid JSON body passed.');
      }
      if (route === 'cart' && req.method === 'GET') return send(res, 200, cartJson(cart), headers);
      if (route === 'cart/add-item' && req.method === 'POST') {
        if (!products.has(input.id))
          return error(res, 400, 'woocommerce_rest_cart_invalid_product', 'This product cannot be added to the cart.');
        const key = `k${input.id}`;
        cart.set(key, { key, id: input.id, quantity: (cart.get(key)?.quantity ?? 0) + (input.quantity ?? 1) });
        return send(res, 201, cartJson(cart), {
          ...headers,
          'Set-Cookie': [`${SESSION_COOKIE}=${sid}; Path=/; HttpOnly`, 'woocommerce_items_in_cart=1; Path=/'],
        });
      }
      if (route === 'cart/remove-item' && req.method === 'POST') {
        if (!cart.delete(String(input.key)))
          return error(res, 409, 'woocommerce_rest_cart_invalid_key', 'Cart item does not exist.');
        return send(res, 200, cartJson(cart), headers);
      }
      if (route === 'checkout' && req.method === 'POST') {
        if (!cart.size) return error(res, 400, 'woocommerce_rest_cart_empty', 'Cannot create order from empty cart.');
        const order: FakeOrder = {
          id: 1000 + shop.orders.length,
          items: [...cart.values()].map(({ id, quantity }) => ({ id, quantity })),
          email: input.billing_address?.email ?? '',
        };
        shop.orders.push(order);
        cart.clear();
        return send(
          res,
          200,
          {
            order_id: order.id,
            status: 'processing',
            payment_method: input.payment_method,
            payment_result: {
              payment_status: 'success',
              payment_details: [],
              redirect_url: `${origin}/checkout/order-received/${order.id}/`,
            },
          },
          headers,
        );
      }
      return error(res, 404, 'rest_no_route', 'No route was found matching the URL and request method.');
    }
    if (path === '/wp-login.php') {
      if (req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/html',
          'set-cookie': 'wordpress_test_cookie=WP%20Cookie%20check; Path=/',
        });
        res.end(
          '<!doctype html><html><body><form method="post"><input name="log"><input name="pwd" type="password"></form></body></html>',
        );
        return true;
      }
      const form = new URLSearchParams(body);
      const user = form.get('log') ?? '';
      if (
        !jar.has('wordpress_test_cookie') ||
        !logins.has(user) ||
        !customerPassword ||
        form.get('pwd') !== customerPassword
      ) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><html><body><div id="login_error">Error: the password you entered is incorrect.</div><input name="log"></body></html>',
        );
        return true;
      }
      shop.logins++;
      res.writeHead(302, {
        location: form.get('redirect_to') ?? `${origin}/my-account/`,
        'set-cookie': `wordpress_logged_in_fake=${user}; Path=/; HttpOnly`,
      });
      res.end();
      return true;
    }
    if (path === '/my-account/' || path === '/my-account/orders/') {
      const user = jar.get('wordpress_logged_in_fake');
      if (!user) {
        res.writeHead(302, { location: `${origin}/wp-login.php?redirect_to=${encodeURIComponent(origin + path)}` });
        res.end();
        return true;
      }
      const rows = shop.orders
        .filter((o) => o.customer === user)
        .map((o) => `<tr class="woocommerce-orders-table__row"><td>#${o.id}</td></tr>`);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<!doctype html><html><body><p>Hello <strong>${user}</strong></p>${
          path.endsWith('orders/')
            ? rows.length
              ? `<table class="woocommerce-orders-table">${rows.join('')}</table>`
              : '<p>No order has been made yet.</p>'
            : ''
        }</body></html>`,
      );
      return true;
    }
    return false;
  }
  return shop;
}
