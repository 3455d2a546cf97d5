// test lane: alone (measures CPU time or throughput under a cap; a neighbour would move it)
// The calibrated shop for real: each endpoint pays its calibration (queries as MariaDB counts
// them, PHP CPU as the instances' cgroups count it, the session row written on a cart request),
// and a running replica switches between the calibrated and the light shop on up(). Loopback
// only; ~40 s.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { appCgroupName, cgroupUsageNs } from './cgroup.ts';
import { cgroupRoots } from './instance.ts';
import { resolveLayout } from './layout.ts';
import { runSql } from './mariadb.ts';
import { down, up } from './replica.ts';
import { loadCalibration } from './shop-cost.ts';
import { freeReplicaPort } from './test-support/free-port.ts';
import { newCart, parseCost, storeRequest } from './test-support/store-client.ts';

const INSTANCES = 2;
const parent = tempDir('rehearse-shop-cost-');
fs.chmodSync(parent, 0o755); // mysql and www-data reach the state dir inside
const stateDir = path.join(parent, 's');
const lines: string[] = [];
const opts = {
  stateDir,
  port: await freeReplicaPort(INSTANCES),
  instances: INSTANCES,
  log: (l: string) => lines.push(l),
};
const layout = resolveLayout(opts);
let base = '';

const sql = async (q: string) =>
  (await runSql(layout, `USE ${layout.db.name}; ${q}`)).trim().split('\n').slice(1).filter(Boolean);
const costOf = async (url: string) => {
  const r = await fetch(`${base}${url}`, { headers: { cookie: 'woocommerce_items_in_cart=1' } }); // past the page cache
  await r.text();
  return parseCost(r.headers.get('x-rehearse-cost'));
};

before(async () => {
  fs.mkdirSync(stateDir, { recursive: true });
  base = (await up(opts)).baseUrl; // no shopCost: the calibrated shop is the default
});
after(async () => {
  await down(opts);
});

test('the calibrated shop pays each endpoint its calibration: queries as MariaDB counts them, PHP CPU from the cgroup', async () => {
  const cal = loadCalibration();
  const cat = JSON.parse(fs.readFileSync(layout.catalogue, 'utf8')) as { products: Array<{ path: string }> };
  const questions = async () =>
    Number(/Questions\s+(\d+)/.exec(await runSql(layout, "SHOW GLOBAL STATUS LIKE 'Questions'"))?.[1]);
  for (const [name, url] of [
    ['product', cat.products[3]!.path],
    ['home', '/'],
  ] as const) {
    const cost = await costOf(url);
    assert.equal(cost?.endpoint, name);
    assert.equal(cost?.queries, cal.endpoints[name].queries);
  }
  // The PHP CPU is real work the instances' cgroups count (sequential product pages; health checks add a little).
  const roots = cgroupRoots();
  const used = () =>
    Array.from({ length: INSTANCES }, (_, i) => cgroupUsageNs(roots, appCgroupName(layout.stateDir, i)) ?? 0).reduce(
      (a, b) => a + b,
      0,
    );
  if (roots.mode !== 'none') {
    const u0 = used();
    for (let i = 0; i < 5; i++)
      await (
        await fetch(`${base}${cat.products[i]!.path}`, { headers: { cookie: 'woocommerce_items_in_cart=1' } })
      ).text();
    const ms = (used() - u0) / 1e6 / 5;
    assert.ok(
      ms >= 0.8 * cal.endpoints.product.php_cpu_ms && ms <= 1.6 * cal.endpoints.product.php_cpu_ms,
      `a product page took ${ms.toFixed(1)} ms of CPU`,
    );
  }
  // MariaDB's own count agrees with the fixture's, to within the health checks running meanwhile.
  const token = await newCart(base);
  const q0 = await questions();
  const cart = await storeRequest(base, 'GET', '/cart', { token });
  const q1 = await questions();
  assert.equal(parseCost(cart.cost)?.endpoint, 'cart_new');
  const counted = q1 - q0 - 2; // the two SHOW STATUS
  assert.ok(
    counted >= cal.endpoints.cart_new.queries && counted <= cal.endpoints.cart_new.queries + 12,
    `MariaDB counted ${counted} statements`,
  );
  // The session row is written on a cart request.
  const customer = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).user_id as string;
  assert.deepEqual(await sql(`SELECT COUNT(*) FROM wp_woocommerce_sessions WHERE session_key = '${customer}'`), ['1']);
});

test('up() says which calibration it runs, and switches a running replica to the light shop and back', async () => {
  assert.ok(
    lines.some((l) => /shop cost calibrated to woocommerce-10\.0\.2 .*2026-12-01/.test(l)),
    lines.join('\n'),
  );
  const cat = JSON.parse(fs.readFileSync(layout.catalogue, 'utf8')) as { products: Array<{ path: string }> };
  const product = cat.products[5]!.path;
  await up({ ...opts, shopCost: 'light' });
  assert.match(lines.at(-1)!, /shop cost light/);
  assert.equal(await costOf(product), null, 'the light shop pays nothing extra');
  await up({ ...opts, shopCost: 'calibrated' });
  assert.equal((await costOf(product))?.queries, loadCalibration().endpoints.product.queries);
});
