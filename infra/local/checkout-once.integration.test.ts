// Checkout is never run twice by the platform and never half-written (issue 15): on the calibrated
// replica (3 app instances), shoppers check out while app instances are SIGKILLed again and
// again (and restarted); afterwards, by order ID, no accepted order is missing, no cart has two
// orders, no order is in the database that no shopper was told about, every order is whole
// (items, HPOS rows, one queued job) and stock fell by exactly what the orders hold. Then the
// database connection is dropped in the middle of the order transaction (test fault): a retry on
// a new connection places the order once, and a transaction that cannot finish leaves nothing.
// Loopback only; ~70 s.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { serverStats } from './haproxy.ts';
import { startInstance } from './instance.ts';
import { resolveLayout } from './layout.ts';
import { runSql } from './mariadb.ts';
import { down, killInstance, up } from './replica.ts';
import { freeReplicaPort } from './test-support/free-port.ts';
import { addItem, checkout, newCart, storeRequest, type StoreAnswer } from './test-support/store-client.ts';

const INSTANCES = 3;
const SHOPPERS = 6;
const LOAD_S = 40;
const KILL_EVERY_MS = 5000;
const MAX_CARTS = 120;

const parent = tempDir('rehearse-checkout-once-');
fs.chmodSync(parent, 0o755); // mysql and www-data reach the state dir inside
const stateDir = path.join(parent, 's');
const opts = {
  stateDir,
  port: await freeReplicaPort(INSTANCES),
  instances: INSTANCES,
  shopCost: 'calibrated' as const,
  log: (l: string) => console.log(`# ${l}`),
};
const layout = resolveLayout(opts);
let base = '';
let products: Array<{ id: number }> = [];

const sql = async (q: string) =>
  (await runSql(layout, `USE ${layout.db.name}; ${q}`)).trim().split('\n').slice(1).filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  fs.mkdirSync(stateDir, { recursive: true });
  base = (await up(opts)).baseUrl;
  const cat = JSON.parse(fs.readFileSync(layout.catalogue, 'utf8')) as { products: Array<{ id: number }> };
  products = cat.products.slice(40, 52);
});
after(async () => {
  await down(opts);
});

/** One careful shopper's checkout: the same Idempotency-Key on every retry, until an answer that is not a failure of the platform. */
async function checkoutWithRetries(
  token: string,
  key: string,
): Promise<{ answer: StoreAnswer | null; interrupted: number }> {
  let interrupted = 0;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      const a = await checkout(base, token, key, 20_000);
      if (a.status < 500) return { answer: a, interrupted };
    } catch {
      // connection cut by the kill
    }
    interrupted++;
    await sleep(300 + attempt * 300);
  }
  return { answer: null, interrupted };
}

async function retried<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (attempt >= 6) throw e;
      await sleep(300);
    }
  }
}

test('instances killed during checkouts: zero lost, zero duplicated, zero half-written orders', async () => {
  const stock0 = new Map(
    (
      await sql(
        `SELECT post_id, meta_value FROM wp_postmeta WHERE meta_key = '_stock' AND post_id IN (${products.map((p) => p.id).join(',')})`,
      )
    ).map((l) => l.split('\t').map(Number) as [number, number]),
  );
  const maxId0 = Number((await sql('SELECT COALESCE(MAX(id), 0) FROM wp_rehearse_orders'))[0]);
  const prefix = crypto.randomBytes(4).toString('hex');
  const accepted = new Map<string, number>(); // idempotency key → order id the shopper was told
  const refused: string[] = [];
  let interrupted = 0;
  let carts = 0;
  const end = Date.now() + LOAD_S * 1000;

  const shopper = async (n: number) => {
    while (Date.now() < end && carts < MAX_CARTS) {
      const c = carts++;
      const key = `${prefix}-${n}-${c}`;
      try {
        const token = await retried(() => newCart(base));
        const product = products[c % products.length]!;
        await retried(async () => {
          const a = await addItem(base, token, product.id, 1 + (c % 2));
          if (a.status !== 201) throw new Error(`add-item answered ${a.status}`);
        });
        const { answer, interrupted: i } = await checkoutWithRetries(token, key);
        interrupted += i;
        if (answer?.status === 200) accepted.set(key, Number(answer.body.order_id));
        else
          refused.push(`${key}: ${answer?.status ?? 'no answer'} ${JSON.stringify(answer?.body ?? {}).slice(0, 120)}`);
      } catch (e) {
        refused.push(`${key}: ${(e as Error).message}`);
      }
    }
  };
  const kills: string[] = [];
  const killer = async () => {
    while (Date.now() < end - KILL_EVERY_MS) {
      await sleep(KILL_EVERY_MS);
      // The instance with the most requests in flight: the kill cuts checkouts mid-way.
      const busiest = (await serverStats(layout))
        .filter((s) => s.status === 'UP')
        .sort((a, b) => b.currentSessions - a.currentSessions)[0];
      const index = busiest ? Number(busiest.name.replace('app-', '')) : 0;
      kills.push(await killInstance(opts, index));
      await sleep(1500);
      await startInstance(layout, index);
    }
  };
  await Promise.all([killer(), ...Array.from({ length: SHOPPERS }, (_, n) => shopper(n))]);
  console.log(
    `# ${carts} carts, ${accepted.size} orders accepted, ${refused.length} refused, ${interrupted} checkout attempts cut, kills: ${kills.join(' ')}`,
  );

  assert.ok(kills.length >= 4, `the instances were killed repeatedly (${kills.length})`);
  assert.ok(
    accepted.size >= 10,
    `checkouts went through between the kills (${accepted.size}; refused: ${refused.slice(0, 3).join('; ')})`,
  );
  assert.deepEqual(refused, [], 'every shopper got an answer by retrying with its key');

  const rows = (
    await sql(
      `SELECT id, checkout_key, session_id FROM wp_rehearse_orders WHERE id > ${maxId0} AND checkout_key LIKE '%:k:${prefix}-%'`,
    )
  )
    .map((l) => l.split('\t'))
    .map(([id, key, session]) => ({ id: Number(id), key: key!.split(':k:')[1]!, session: session! }));
  const inDb = new Map(rows.map((r) => [r.key, r.id]));
  const lost = [...accepted].filter(([k, id]) => inDb.get(k) !== id);
  assert.deepEqual(lost, [], 'every accepted order is in the database under the ID the shopper got');
  const sessions = new Map<string, number>();
  for (const r of rows) sessions.set(r.session, (sessions.get(r.session) ?? 0) + 1);
  assert.deepEqual(
    [...sessions].filter(([, n]) => n > 1),
    [],
    'no cart has two orders',
  );
  assert.deepEqual(
    rows.filter((r) => !accepted.has(r.key)).map((r) => r.id),
    [],
    'no order that no shopper was told about',
  );

  const ids = rows.map((r) => r.id).join(',');
  const whole = await sql(`SELECT o.id, (SELECT COUNT(*) FROM wp_rehearse_order_items i WHERE i.order_id = o.id),
    (SELECT COUNT(*) FROM wp_wc_orders w WHERE w.id = o.id), (SELECT COUNT(*) FROM wp_wc_order_addresses a WHERE a.order_id = o.id),
    (SELECT COUNT(*) FROM wp_woocommerce_order_items oi WHERE oi.order_id = o.id), (SELECT COUNT(*) FROM wp_actionscheduler_actions s WHERE s.args = CONCAT('[', o.id, ']'))
    FROM wp_rehearse_orders o WHERE o.id IN (${ids})`);
  const broken = whole.filter((l) => l.split('\t').slice(1).join(' ') !== '1 1 2 2 1');
  assert.deepEqual(
    broken,
    [],
    'each order: 1 item, its wc_orders row, 2 addresses, product + shipping lines, 1 queued job',
  );
  const orphans = await sql(
    `SELECT w.id FROM wp_wc_orders w LEFT JOIN wp_rehearse_orders o ON o.id = w.id WHERE o.id IS NULL`,
  );
  assert.deepEqual(orphans, [], 'no HPOS order row without its order');

  const sold = new Map(
    (
      await sql(
        `SELECT i.product_id, SUM(i.quantity) FROM wp_rehearse_order_items i WHERE i.order_id > ${maxId0} GROUP BY i.product_id`,
      )
    ).map((l) => l.split('\t').map(Number) as [number, number]),
  );
  const stock1 = await sql(
    `SELECT post_id, meta_value FROM wp_postmeta WHERE meta_key = '_stock' AND post_id IN (${products.map((p) => p.id).join(',')})`,
  );
  for (const [id, now] of stock1.map((l) => l.split('\t').map(Number) as [number, number])) {
    assert.equal(
      now,
      stock0.get(id)! - (sold.get(id) ?? 0),
      `product ${id}: stock fell by exactly what the orders hold`,
    );
  }
});

test('a DB connection dropped mid-transaction: retried once on a new connection, or nothing written', async () => {
  fs.writeFileSync(path.join(layout.wordpress.dir, 'test-faults'), 'enabled for checkout-once.integration.test.ts\n');
  try {
    const product = products[0]!;
    const stockOf = async () =>
      Number(
        (await sql(`SELECT meta_value FROM wp_postmeta WHERE meta_key = '_stock' AND post_id = ${product.id}`))[0],
      );
    const cartWith = async () => {
      const token = await newCart(base);
      assert.equal((await addItem(base, token, product.id, 1)).status, 201);
      return token;
    };
    const fault = (token: string, key: string, how: string) =>
      storeRequest(base, 'POST', '/checkout', {
        token,
        body: { billing_address: { email: 'drop@example.invalid' }, payment_method: 'cod' },
        headers: { 'idempotency-key': key, 'x-rehearse-fault': how },
      });
    const ordersOf = (key: string) => sql(`SELECT id FROM wp_rehearse_orders WHERE checkout_key LIKE '%:k:${key}'`);

    // Dropped after the order row, the stock update and the item (statement 4 of the first attempt): placed once on retry.
    let stock = await stockOf();
    const once = `drop-once-${crypto.randomBytes(3).toString('hex')}`;
    const a = await fault(await cartWith(), once, 'db-drop-once:4');
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual(await ordersOf(once), [String(a.body.order_id)]);
    assert.deepEqual(
      await sql(`SELECT COUNT(*) FROM wp_rehearse_order_items WHERE order_id = ${Number(a.body.order_id)}`),
      ['1'],
    );
    assert.deepEqual(
      await sql(`SELECT COUNT(*) FROM wp_wc_order_addresses WHERE order_id = ${Number(a.body.order_id)}`),
      ['2'],
    );
    assert.equal(await stockOf(), stock - 1, 'stock fell once');

    // Dropped in the middle of the HPOS writes on every attempt: the shopper hears 503, the database holds nothing of it.
    stock = await stockOf();
    const always = `drop-always-${crypto.randomBytes(3).toString('hex')}`;
    const orders0 = await sql('SELECT COUNT(*) FROM wp_wc_orders');
    const b = await fault(await cartWith(), always, 'db-drop-always:12');
    assert.equal(b.status, 503, JSON.stringify(b.body));
    assert.deepEqual(await ordersOf(always), []);
    assert.deepEqual(await sql('SELECT COUNT(*) FROM wp_wc_orders'), orders0, 'no HPOS row of the failed order');
    assert.equal(await stockOf(), stock, 'stock untouched');
  } finally {
    fs.rmSync(path.join(layout.wordpress.dir, 'test-faults'), { force: true });
  }
});
