// The replica's shop through HTTP, for real: WooCommerce's Store API contract (Nonce / Cart-Token
// refusals, cart, checkout), orders and stock in one transaction (also while an instance's
// php-fpm is SIGKILLed mid-burst), the Redis page and object caches, returning customers' login
// and my-account, product search. A temp state dir and a free port; ~40 s.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readPidRecord } from './daemon.ts';
import { instanceLayout, pidFile, resolveLayout } from './layout.ts';
import { runSql } from './mariadb.ts';
import { sessionMembers } from './proc.ts';
import { unixRequest } from './readiness.ts';
import { down, up } from './replica.ts';
import { isRoot, serviceIds } from './privilege.ts';
import { freeReplicaPort } from './test-support/free-port.ts';
import { customerPasswordFile } from './wordpress.ts';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-shop-'));
const port = await freeReplicaPort();
// The contract, not the cost: the light shop keeps it quick (checkout-once and shop-cost
// integration tests run the calibrated one).
const opts = { stateDir, port, shopCost: 'light' as const, log: (l: string) => console.log(`# ${l}`) };
const layout = resolveLayout({ stateDir, port });
const base = `http://127.0.0.1:${port}`;
const api = `${base}/wp-json/wc/store/v1`;

interface Catalogue {
  products: Array<{ id: number; name: string; path: string; category: string }>;
  categories: Array<{ slug: string; path: string }>;
  customers?: Array<{ username: string }>;
}
let catalogue: Catalogue;

before(async () => {
  await up(opts);
  catalogue = JSON.parse(fs.readFileSync(layout.catalogue, 'utf8')) as Catalogue;
});
after(async () => {
  await down(opts);
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** A browser's cookies: name → value, kept across requests. */
class Jar {
  cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const [name, value] = [pair.slice(0, i).trim(), pair.slice(i + 1).trim()];
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === 'deleted';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

async function call(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    jar?: Jar;
    form?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.jar?.cookies.size) headers.cookie = init.jar.header();
  let body: string | undefined;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
  init.jar?.take(res);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const sql = async (q: string) =>
  (await runSql(layout, `USE ${layout.db.name}; ${q}`)).trim().split('\n').slice(1).filter(Boolean); // rows, no header
const orderCount = async () => Number((await sql('SELECT COUNT(*) FROM wp_rehearse_orders'))[0]);
const stockOf = async (id: number) =>
  Number((await sql(`SELECT meta_value FROM wp_postmeta WHERE post_id=${id} AND meta_key='_stock'`))[0]);
const billing = {
  first_name: 'Test',
  last_name: 'Buyer',
  email: 'buyer@example.invalid',
  country: 'US',
  address_1: '1 Main St',
  city: 'Springfield',
  postcode: '12345',
};

test('writes without a valid Nonce or Cart-Token are refused as WooCommerce refuses them', async () => {
  const before = await orderCount();
  const product = catalogue.products[3]!;
  const missing = await call(`${api}/cart/add-item`, { body: { id: product.id, quantity: 1 } });
  assert.deepEqual([missing.status, missing.json.code], [401, 'woocommerce_rest_missing_nonce']);
  const invalid = await call(`${api}/cart/add-item`, {
    body: { id: product.id, quantity: 1 },
    headers: { Nonce: '0123456789' },
  });
  assert.deepEqual([invalid.status, invalid.json.code], [403, 'woocommerce_rest_invalid_nonce']);
  const forged = await call(`${api}/cart/add-item`, {
    body: { id: product.id, quantity: 1 },
    headers: { 'Cart-Token': 'eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoieCJ9.forged' },
  });
  assert.deepEqual(
    [forged.status, forged.json.code],
    [401, 'woocommerce_rest_missing_nonce'],
    'a forged Cart-Token is no token',
  );
  const checkout = await call(`${api}/checkout`, { body: { billing_address: billing, payment_method: 'cod' } });
  assert.deepEqual([checkout.status, checkout.json.code], [401, 'woocommerce_rest_missing_nonce']);
  assert.equal(await orderCount(), before);

  // GET cart hands out both; either one then lets the write through.
  const jar = new Jar();
  const cart = await call(`${api}/cart`, { jar });
  assert.equal(cart.status, 200);
  assert.equal(cart.json.items_count, 0);
  const nonce = cart.headers.get('nonce')!;
  const token = cart.headers.get('cart-token')!;
  assert.match(nonce, /^[0-9a-f]{10}$/);
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const viaToken = await call(`${api}/cart/add-item`, {
    body: { id: product.id, quantity: 2 },
    headers: { 'Cart-Token': token },
  });
  assert.equal(viaToken.status, 201);
  assert.deepEqual(
    [viaToken.json.items_count, viaToken.json.items[0].id, viaToken.json.items[0].name],
    [2, product.id, product.name],
  );
  assert.equal(viaToken.headers.getSetCookie().length, 0, 'a Cart-Token session sets no cookies');
  const viaNonce = await call(`${api}/cart/add-item`, {
    body: { id: product.id, quantity: 1 },
    headers: { Nonce: nonce },
    jar,
  });
  assert.equal(viaNonce.status, 201);
  const names = [...jar.cookies.keys()];
  assert.ok(
    names.some((n) => /^wp_woocommerce_session_[0-9a-f]{32}$/.test(n)),
    names.join(),
  );
  assert.ok(names.includes('woocommerce_items_in_cart') && names.includes('woocommerce_cart_hash'), names.join());
  // The cookie carries the session to the other instance: the cart is there.
  const again = await call(`${api}/cart`, { jar });
  assert.equal(again.json.items_count, 1);
  const removed = await call(`${api}/cart/remove-item`, {
    body: { key: again.json.items[0].key },
    headers: { Nonce: again.headers.get('nonce')! },
    jar,
  });
  assert.deepEqual([removed.status, removed.json.items_count], [200, 0]);
  assert.ok(!jar.cookies.has('woocommerce_items_in_cart'), 'an emptied cart clears its cookies');
});

test('checkout writes the order and its items and decrements stock, all or nothing', async () => {
  const [a, b] = [catalogue.products[10]!, catalogue.products[11]!].sort((x, y) => x.id - y.id);
  const [stockA, stockB, orders0] = [await stockOf(a.id), await stockOf(b.id), await orderCount()];
  const headers = { 'Cart-Token': (await call(`${api}/cart`)).headers.get('cart-token')! };
  for (const [p, q] of [
    [a, 2],
    [b, 1],
  ] as const)
    assert.equal((await call(`${api}/cart/add-item`, { body: { id: p.id, quantity: q }, headers })).status, 201);
  const placed = await call(`${api}/checkout`, {
    body: { billing_address: billing, shipping_address: billing, payment_method: 'cod' },
    headers,
  });
  assert.equal(placed.status, 200, placed.text);
  assert.equal(placed.json.status, 'processing');
  assert.equal(placed.json.payment_result.payment_status, 'success');
  const id = placed.json.order_id as number;
  assert.deepEqual(await sql(`SELECT billing_email, payment_method FROM wp_rehearse_orders WHERE id=${id}`), [
    'buyer@example.invalid\tcod',
  ]);
  assert.deepEqual(
    await sql(`SELECT product_id, quantity FROM wp_rehearse_order_items WHERE order_id=${id} ORDER BY product_id`),
    [`${a.id}\t2`, `${b.id}\t1`],
  );
  assert.deepEqual(
    [await stockOf(a.id), await stockOf(b.id), await orderCount()],
    [stockA - 2, stockB - 1, orders0 + 1],
  );
  assert.equal((await call(`${api}/cart`, { headers })).json.items_count, 0, 'the cart is empty after checkout');
  assert.equal(
    (await call(`${api}/checkout`, { body: { billing_address: billing, payment_method: 'cod' }, headers })).json.code,
    'woocommerce_rest_cart_empty',
  );

  // Stock short on the second product: the first product's decrement is rolled back too.
  for (const [p, q] of [
    [a, 1],
    [b, 3],
  ] as const)
    assert.equal((await call(`${api}/cart/add-item`, { body: { id: p.id, quantity: q }, headers })).status, 201);
  await sql(`UPDATE wp_postmeta SET meta_value='2' WHERE post_id=${b.id} AND meta_key='_stock'`);
  await unixRequest(layout.redis.socket, `DEL wp:post_meta:${b.id}\r\nQUIT\r\n`); // what an admin's stock edit would invalidate
  const refused = await call(`${api}/checkout`, { body: { billing_address: billing, payment_method: 'cod' }, headers });
  assert.deepEqual([refused.status, refused.json.code], [409, 'woocommerce_rest_product_out_of_stock']);
  assert.deepEqual([await stockOf(a.id), await stockOf(b.id), await orderCount()], [stockA - 2, 2, orders0 + 1]);
  const tooMany = await call(`${api}/cart/add-item`, { body: { id: b.id, quantity: 5 }, headers });
  assert.deepEqual([tooMany.status, tooMany.json.code], [400, 'woocommerce_rest_product_partially_out_of_stock']);
});

test('products: list, page, category by slug or id, search, one product', async () => {
  const cat = catalogue.categories[1]!;
  const inCat = catalogue.products.filter((p) => p.category === cat.slug);
  const page1 = await call(`${api}/products?per_page=5&page=1&category=${cat.slug}`);
  assert.equal(page1.status, 200);
  assert.equal(page1.json.length, 5);
  assert.equal(page1.headers.get('x-wp-total'), String(inCat.length));
  assert.ok(
    page1.json.every(
      (p: any) =>
        p.categories[0].slug === cat.slug && /^\d+$/.test(p.prices.price) && p.prices.currency_minor_unit === 2,
    ),
  );
  const byId = await call(`${api}/products?per_page=5&page=1&category=${page1.json[0].categories[0].id}`);
  assert.deepEqual(
    byId.json.map((p: any) => p.id),
    page1.json.map((p: any) => p.id),
  );
  const page2 = await call(`${api}/products?per_page=5&page=2&category=${cat.slug}`);
  assert.equal(page2.json.filter((p: any) => page1.json.some((q: any) => q.id === p.id)).length, 0);
  const target = catalogue.products[77]!;
  const found = await call(`${api}/products?search=${encodeURIComponent(target.name)}`);
  assert.ok(
    found.json.some((p: any) => p.id === target.id),
    'search finds the product by name',
  );
  const one = await call(`${api}/products/${target.id}`);
  assert.deepEqual([one.json.id, one.json.name, one.json.is_in_stock], [target.id, target.name, true]);
  assert.equal((await call(`${api}/products/999999`)).json.code, 'woocommerce_rest_product_invalid_id');
});

test('page cache: anonymous pages MISS then HIT; cart, session and login cookies BYPASS it', async () => {
  const url = `${base}${catalogue.categories[2]!.path}?t=${Date.now()}`;
  const first = await call(url);
  assert.deepEqual([first.status, first.headers.get('x-rehearse-cache')], [200, 'MISS']);
  const second = await call(url);
  assert.deepEqual([second.status, second.headers.get('x-rehearse-cache')], [200, 'HIT']);
  assert.equal(second.text, first.text);
  for (const cookie of ['woocommerce_items_in_cart=1', 'wp_woocommerce_session_abc=t_1', 'wordpress_logged_in_abc=x']) {
    const r = await call(url, { headers: { cookie } });
    assert.deepEqual([r.status, r.headers.get('x-rehearse-cache')], [200, 'BYPASS'], cookie);
    assert.equal(r.headers.get('x-rehearse-cost'), null, 'the light shop pays no calibrated cost');
  }
  assert.equal((await call(`${api}/cart`)).headers.get('x-rehearse-cache'), 'BYPASS');
  // Object cache: WordPress's own keys are in the shared Redis.
  const reply = await unixRequest(layout.redis.socket, 'EXISTS wp:options:alloptions\r\nQUIT\r\n');
  assert.match(reply, /^:1\r\n/);
});

test('Redis has no password, so its socket directory admits only root and the PHP workers', async (t) => {
  const dir = path.dirname(layout.redis.socket);
  const st = fs.statSync(dir);
  if (!isRoot()) {
    assert.equal(st.mode & 0o777, 0o700);
    return;
  }
  const web = serviceIds('www-data', 'php8.2-fpm');
  assert.deepEqual([st.mode & 0o777, st.uid, st.gid], [0o750, 0, web.gid]);
  // Connect as a user: www-data gets in, nobody does not.
  const connectAs = (uid: number, gid: number) => {
    const probe = `require('net').connect(${JSON.stringify(layout.redis.socket)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
    const r = spawnSync(
      'setpriv',
      [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', process.execPath, '-e', probe],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    return (r.stdout || r.stderr).trim();
  };
  t.diagnostic(`socket dir ${dir}: 0750 root:www-data`);
  assert.equal(connectAs(web.uid, web.gid), 'connected');
  assert.equal(connectAs(65534, 65534), 'EACCES');
});

test('search finds products: /?s=term&post_type=product', async () => {
  const target = catalogue.products[123]!;
  const term = target.name.split(' ').at(-1)!; // its number, e.g. "124"
  const r = await call(
    `${base}/?s=${encodeURIComponent(target.name.replace(` ${term}`, ''))}+${term}&post_type=product`,
  );
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`${target.path}"`), `search results link ${target.path}`);
});

test("returning customer: wp-login.php, then my-account lists their orders and no one else's", async () => {
  assert.ok(catalogue.customers && catalogue.customers.length >= 50);
  const password = fs.readFileSync(customerPasswordFile(stateDir), 'utf8').trim();
  assert.equal(fs.statSync(customerPasswordFile(stateDir)).mode & 0o777, 0o600);
  assert.ok(!fs.readFileSync(layout.catalogue, 'utf8').includes(password), 'the password is not in catalogue.json');
  const anonymous = await call(`${base}/my-account/`);
  assert.equal(anonymous.status, 302);
  assert.match(anonymous.headers.get('location')!, /\/wp-login\.php\?redirect_to=/);

  const username = catalogue.customers[6]!.username;
  const jar = new Jar();
  await call(`${base}/wp-login.php`, { jar }); // sets WordPress's test cookie
  const login = await call(`${base}/wp-login.php`, {
    jar,
    form: {
      log: username,
      pwd: password,
      'wp-submit': 'Log In',
      testcookie: '1',
      redirect_to: `${base}/my-account/orders/`,
    },
  });
  assert.equal(login.status, 302, login.text.slice(0, 300));
  assert.equal(login.headers.get('location'), `${base}/my-account/orders/`);
  assert.ok([...jar.cookies.keys()].some((n) => n.startsWith('wordpress_logged_in_')));
  const page = await call(`${base}/my-account/orders/`, { jar });
  assert.deepEqual([page.status, page.headers.get('x-rehearse-cache')], [200, 'BYPASS']);
  assert.ok(page.text.includes(`>${username}</span>`));
  const shown = [...page.text.matchAll(/data-order-id="(\d+)"/g)].map((m) => m[1]).sort();
  const own = (
    await sql(
      `SELECT o.id FROM wp_rehearse_orders o JOIN wp_users u ON u.ID = o.customer_id WHERE u.user_login='${username}'`,
    )
  ).sort();
  assert.ok(own.length > 0);
  assert.deepEqual(shown, own);
  const wrong = await call(`${base}/wp-login.php`, {
    form: { log: username, pwd: 'not-the-password', 'wp-submit': 'Log In' },
  });
  assert.equal(wrong.status, 200, 'a wrong password shows the form again');
});

test("a burst of checkouts while one instance's php-fpm is SIGKILLed: every accepted order is in the database", async () => {
  // Bounded: at most 150 checkouts, and no longer than until 6 s after the kill (HAProxy needs
  // ~3.5 s to mark the instance down; checkouts go on through the survivor afterwards).
  const cap = 150;
  const concurrency = 8;
  const orders0 = await orderCount();
  const maxId0 = Number((await sql('SELECT COALESCE(MAX(id), 0) FROM wp_rehearse_orders'))[0]);
  const products = catalogue.products.slice(200, 210);
  const stock0 = await Promise.all(products.map((p) => stockOf(p.id)));
  const accepted: number[] = [];
  let started = 0;
  let killedAt = 0;
  let acceptedAtKill = 0;
  const kill = () => {
    const rec = readPidRecord(pidFile(layout, instanceLayout(layout, 1).fpmComponent))!;
    for (const pid of [rec.pid, ...sessionMembers(rec.pid)]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    killedAt = Date.now();
    acceptedAtKill = accepted.length;
  };
  const one = async (n: number) => {
    try {
      const headers = { 'Cart-Token': (await call(`${api}/cart`)).headers.get('cart-token') ?? '' };
      const add = await call(`${api}/cart/add-item`, {
        body: { id: products[n % products.length]!.id, quantity: 1 + (n % 2) },
        headers,
      });
      if (add.status !== 201) return;
      const done = await call(`${api}/checkout`, {
        body: { billing_address: billing, payment_method: 'cod' },
        headers,
      });
      if (done.status === 200 && typeof done.json?.order_id === 'number') accepted.push(done.json.order_id);
    } catch {
      // a connection cut by the kill: not accepted
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < cap && (!killedAt || Date.now() < killedAt + 6000)) {
        const n = started++;
        if (n === 16) kill(); // mid-burst: checkouts are in flight on both instances
        await one(n);
      }
    }),
  );
  assert.ok(killedAt > 0, 'the kill happened');
  assert.ok(
    acceptedAtKill > 0 && accepted.length - acceptedAtKill >= 5,
    `accepted ${acceptedAtKill} before and ${accepted.length - acceptedAtKill} after the kill`,
  );
  const rows = await sql(`SELECT id FROM wp_rehearse_orders WHERE id IN (${accepted.join(',')})`);
  assert.equal(rows.length, accepted.length, 'every accepted order is in wp_rehearse_orders');
  assert.ok((await orderCount()) - orders0 >= accepted.length);
  // Stock and order items moved together (one transaction each).
  const sold = await sql(
    `SELECT i.product_id, SUM(i.quantity) FROM wp_rehearse_order_items i JOIN wp_rehearse_orders o ON o.id = i.order_id WHERE o.id > ${maxId0} AND i.product_id IN (${products.map((p) => p.id).join(',')}) GROUP BY i.product_id`,
  );
  const soldBy = new Map(sold.map((r) => r.split('\t').map(Number) as [number, number]));
  for (const [i, p] of products.entries())
    assert.equal(await stockOf(p.id), stock0[i]! - (soldBy.get(p.id) ?? 0), `stock of ${p.id}`);
  console.log(
    `# burst: ${accepted.length}/${started} checkouts accepted; app-1's php-fpm SIGKILLed after ${acceptedAtKill}`,
  );
});
