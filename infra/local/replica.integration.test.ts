// The whole replica for real: a temp state dir and a non-default port, so a developer's own
// replica (18080) is not touched. Cold up ~10 s, the whole file ~20 s.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { serverStats } from './haproxy.ts';
import { stopDaemon } from './daemon.ts';
import { instanceLayout, pidFile, resolveLayout } from './layout.ts';
import { isAlive, listeningTcp, sessionMembers } from './proc.ts';
import { httpGet } from './readiness.ts';
import { down, status, up, type Endpoint } from './replica.ts';
import { freeReplicaPort } from './test-support/free-port.ts';

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-it-'));
const port = await freeReplicaPort();
// Mechanics, not cost: the light shop.
const opts = { stateDir, port, shopCost: 'light' as const, log: (l: string) => console.log(`# ${l}`) };
const layout = resolveLayout({ stateDir, port });

interface Catalogue {
  version: number;
  categories: Array<{ slug: string; name: string; path: string }>;
  products: Array<{ id: number; slug: string; name: string; path: string; category: string; price: number }>;
}

let endpoint: Endpoint;
let catalogue: Catalogue;
let coldMs = 0;
const seenPids = new Set<number>();

async function recordPids(): Promise<number[]> {
  const pids = (await status(opts)).components.map((c) => c.pid).filter((p): p is number => p !== undefined);
  // Workers (nginx, php-fpm) live in their master's session.
  const all = pids.flatMap((p) => [p, ...sessionMembers(p)]);
  for (const p of all) seenPids.add(p);
  return pids;
}

before(async () => {
  const t0 = Date.now();
  endpoint = await up(opts);
  coldMs = Date.now() - t0;
  console.log(`# cold up: ${coldMs} ms`);
  catalogue = JSON.parse(fs.readFileSync(endpoint.cataloguePath, 'utf8')) as Catalogue;
  await recordPids();
});

after(async () => {
  await down(opts); // also when a test failed half-way
  fs.rmSync(stateDir, { recursive: true, force: true });
});

test('up returns the balancer and a catalogue of shop shape', () => {
  assert.equal(endpoint.baseUrl, `http://127.0.0.1:${port}`);
  assert.equal(endpoint.cataloguePath, path.join(stateDir, 'catalogue.json'));
  assert.equal(catalogue.version, 1);
  assert.ok(catalogue.categories.length >= 12);
  assert.ok(catalogue.products.length >= 300);
  assert.match(catalogue.categories[0].path, /^\/product-category\/[a-z0-9-]+\/$/);
  assert.match(catalogue.products[0].path, /^\/product\/[a-z0-9-]+\/$/);
  const slugs = new Set(catalogue.categories.map((c) => c.slug));
  assert.ok(catalogue.products.every((p) => slugs.has(p.category) && p.price > 0));
});

test('home, a category page and a product page answer 200 through the balancer', async () => {
  const home = await httpGet(`${endpoint.baseUrl}/`);
  assert.equal(home.status, 200);
  assert.match(home.body, /Rehearse Shop/);
  // The shop's front: category navigation and products, as the browse journey expects.
  for (const c of catalogue.categories) assert.ok(home.body.includes(`${c.path}"`), `home links ${c.path}`);
  assert.match(home.body, /\/product\/[a-z0-9-]+\/"/);

  const product = catalogue.products[41];
  const category = catalogue.categories.find((c) => c.slug === product.category)!;
  const cat = await httpGet(`${endpoint.baseUrl}${category.path}`);
  assert.equal(cat.status, 200);
  assert.ok(cat.body.includes(product.name), 'category page lists its product');
  assert.ok(cat.body.includes(`${endpoint.baseUrl}${product.path}`), 'with a link to it');

  const page = await httpGet(`${endpoint.baseUrl}${product.path}`);
  assert.equal(page.status, 200);
  assert.ok(page.body.includes(product.name));
  assert.ok(page.body.includes(`$${product.price.toFixed(2)}`), 'product page shows the price');
});

test('both instances receive traffic', async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const r = await httpGet(`${endpoint.baseUrl}/rehearse-health.php`);
    assert.equal(r.status, 200);
    assert.equal(r.body.trim(), 'ok');
    seen.add(String(r.headers['x-rehearse-instance']));
  }
  assert.deepEqual([...seen].sort(), ['app-0', 'app-1']);
  const stats = await serverStats(layout);
  assert.deepEqual(
    stats.map((s) => s.name),
    ['app-0', 'app-1'],
  );
  for (const s of stats) {
    assert.equal(s.status, 'UP');
    assert.equal(s.check, 'L7OK');
    assert.ok(s.totalSessions > 0, `${s.name} served requests`);
  }
});

test('a second up is a no-op: same pids, quick', async () => {
  const before = await recordPids();
  const t0 = Date.now();
  const again = await up(opts);
  const ms = Date.now() - t0;
  console.log(`# second up: ${ms} ms`);
  assert.deepEqual(again, endpoint);
  assert.deepEqual(await recordPids(), before);
  assert.ok(ms < 1000, `second up took ${ms} ms`);
  await assert.rejects(
    up({ ...opts, port: port + 1 }),
    new RegExp(`is running on port ${port} .*call down\\(\\) first`, 's'),
  );
  await assert.rejects(up({ ...opts, instances: 3 }), /with 2 instances/);
  assert.deepEqual(await recordPids(), before);
});

test('every listening TCP socket of the replica is on 127.0.0.1, and only balancer + nginx listen', async () => {
  const st = await status(opts);
  assert.equal(st.running, true);
  assert.equal(st.baseUrl, endpoint.baseUrl);
  const pids = st.components.flatMap((c) => (c.pid ? [c.pid, ...sessionMembers(c.pid)] : []));
  const listeners = listeningTcp(pids);
  assert.ok(listeners.length > 0);
  for (const l of listeners) assert.equal(l.address, '127.0.0.1', `pid ${l.pid} listens on ${l.address}:${l.port}`);
  const ports = [...new Set(listeners.map((l) => l.port))].sort();
  assert.deepEqual(ports, [port, instanceLayout(layout, 0).port, instanceLayout(layout, 1).port]);
});

test('health names a failing tier, and up() restarts only what is missing', async () => {
  const before = await status(opts);
  await stopDaemon(pidFile(layout, 'redis'));
  const direct = await httpGet(`http://127.0.0.1:${instanceLayout(layout, 0).port}/rehearse-health.php`);
  assert.equal(direct.status, 503);
  assert.match(direct.body, /^redis: /);
  await up(opts);
  const after = await status(opts);
  for (const c of after.components) {
    assert.equal(c.alive, true, c.name);
    if (c.name !== 'redis') assert.equal(c.pid, before.components.find((b) => b.name === c.name)?.pid, c.name);
  }
  assert.notEqual(
    after.components.find((c) => c.name === 'redis')?.pid,
    before.components.find((c) => c.name === 'redis')?.pid,
  );
  await recordPids();
});

test('a busy balancer port fails up() with an error naming haproxy and the lines of its log', async () => {
  await stopDaemon(pidFile(layout, 'haproxy'));
  const squatter = net.createServer().listen(port, '127.0.0.1');
  await once(squatter, 'listening');
  try {
    await assert.rejects(up(opts), (e: Error) => {
      assert.match(e.message, /^haproxy: exited before/);
      assert.ok(e.message.includes(`Read ${path.join(stateDir, 'logs', 'haproxy.log')}`));
      assert.match(e.message, /Address already in use/);
      return true;
    });
  } finally {
    squatter.close();
  }
});

test('down stops every process; a second down is fine; a warm up then comes back fast', async () => {
  await recordPids();
  await down(opts);
  for (const p of seenPids) assert.ok(!isAlive(p), `pid ${p} still alive after down`);
  const st = await status(opts);
  assert.equal(st.running, false);
  assert.ok(st.components.every((c) => !c.alive));
  assert.equal(st.baseUrl, undefined);
  await down(opts);

  const t0 = Date.now();
  await up(opts);
  const warmMs = Date.now() - t0;
  console.log(`# warm up: ${warmMs} ms (cold was ${coldMs} ms)`);
  assert.ok(warmMs < 10_000, `warm up took ${warmMs} ms`);
  const r = await httpGet(`${endpoint.baseUrl}${catalogue.products[0].path}`);
  assert.equal(r.status, 200);
  await recordPids();
  await down(opts);
  for (const p of seenPids) assert.ok(!isAlive(p), `pid ${p} still alive after down`);
});
