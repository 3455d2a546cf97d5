// replica-vs-woocommerce-cpu / -queries / -peak: does the calibrated replica's shop cost what real
// WooCommerce 10.0.2 costs (shared/notes/woocommerce-cost.md, in the calibration file)?
// Per endpoint, at concurrency 1 after warm-up, like the notes: PHP CPU from the app instance's
// cgroup (php-fpm + nginx, cpuacct), queries from MariaDB's own Questions counter, DB CPU from
// mariadbd's /proc times, each minus the idle rate (health checks) over the same time. The
// fixture's own per-request count (X-Rehearse-Cost header) is reported beside it. Then the
// whole-stack peak: closed-loop product pages and cart+checkout flows on one uncapped instance
// with 4 php-fpm workers (the real store's setup) beside the measured 11.7 pages/s and ~5 orders/s.
// Load goes to 127.0.0.1 only and every phase is bounded in requests and time.
import fs from 'node:fs';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { appCgroupName, cgroupUsageNs } from '../infra/local/cgroup.ts';
import { runningPid } from '../infra/local/daemon.ts';
import { cgroupRoots } from '../infra/local/instance.ts';
import { pidFile, resolveLayout } from '../infra/local/layout.ts';
import { MARIADB, runSql } from '../infra/local/mariadb.ts';
import { down, up } from '../infra/local/replica.ts';
import { loadCalibration, type Endpoint } from '../infra/local/shop-cost.ts';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';
import { CART_COOKIE, closedLoad } from '../infra/local/test-support/load.ts';
import { addItem, checkout, newCart, parseCost, storeRequest } from '../infra/local/test-support/store-client.ts';
import { customerPasswordEnv } from '../infra/local/wordpress.ts';
import type { Figure } from './figure.ts';

const N = Number(process.env.REHEARSE_BENCH_COST_N ?? 30);
const WARM = 3;
const PEAK_STEP_S = Number(process.env.REHEARSE_BENCH_PEAK_S ?? 15);
const REAL_PEAK = { productPagesPerS: 11.7, ordersPerS: 5 };
const r2 = (x: number) => Number(x.toFixed(2));
const log = (l: string) => process.stderr.write(`${l}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Catalogue {
  categories: Array<{ path: string }>;
  products: Array<{ id: number; path: string; name: string }>;
  customers?: Array<{ username: string }>;
}

/** utime + stime of a process (all its threads), ms; clock ticks are 100/s on Linux. */
function processCpuMs(pid: number): number {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // f[0] is field 3
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${baseUrl}/wp-login.php`, {
    method: 'POST',
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: 'wordpress_test_cookie=WP%20Cookie%20check',
    },
    body: new URLSearchParams({ log: username, pwd: password, 'wp-submit': 'Log In', testcookie: '1' }).toString(),
  });
  const cookies = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => /^wordpress_/.test(c));
  if (r.status !== 302 || cookies.length === 0)
    throw new Error(`login as ${username} answered ${r.status} without cookies`);
  return cookies.join('; ');
}

async function page(baseUrl: string, path: string, cookie: string): Promise<{ status: number; cost: string | null }> {
  const r = await fetch(`${baseUrl}${path}`, {
    headers: { cookie },
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  await r.arrayBuffer();
  return { status: r.status, cost: r.headers.get('x-rehearse-cost') };
}

export async function replicaVsWoocommerce(): Promise<Figure[]> {
  const cal = loadCalibration();
  const parent = await mkdtemp(join(os.tmpdir(), 'rehearse-bench-cost-'));
  fs.chmodSync(parent, 0o755);
  // One instance like the real store: 4 php-fpm workers, the whole machine (no cap).
  const opts = {
    stateDir: join(parent, 's'),
    port: await freeReplicaPort(1),
    instances: 1,
    size: { cpu: 2, fpmChildren: 4 },
    shopCost: 'calibrated' as const,
    log,
  };
  try {
    const endpoint = await up(opts);
    const base = endpoint.baseUrl;
    const layout = resolveLayout(opts);
    const cat = JSON.parse(fs.readFileSync(endpoint.cataloguePath, 'utf8')) as Catalogue;
    const roots = cgroupRoots();
    const cg = appCgroupName(layout.stateDir, 0);
    const dbPid = runningPid(pidFile(layout, MARIADB));
    const appNs = () => cgroupUsageNs(roots, cg) ?? NaN;
    const dbMs = () => (dbPid ? processCpuMs(dbPid) : NaN);
    const questions = async () =>
      Number(/Questions\s+(\d+)/.exec(await runSql(layout, "SHOW GLOBAL STATUS LIKE 'Questions'"))?.[1]);
    const clock = () =>
      Promise.all([questions(), Promise.resolve(appNs()), Promise.resolve(dbMs()), Promise.resolve(performance.now())]);
    // What the counters do on their own: reading Questions costs questions; health checks cost all three.
    const [qa] = await clock();
    const [qb] = await clock();
    const readCost = qb - qa;
    const [q0, a0, d0, t0] = await clock();
    await sleep(5000);
    const [q1, a1, d1, t1] = await clock();
    const idle = { q: (q1 - q0 - readCost) / (t1 - t0), appNs: (a1 - a0) / (t1 - t0), dbMs: (d1 - d0) / (t1 - t0) };
    log(
      `idle per s: ${(idle.q * 1000).toFixed(2)} queries, ${(idle.appNs / 1e3).toFixed(2)} ms app CPU, ${(idle.dbMs * 1000).toFixed(2)} ms DB CPU`,
    );

    const password = customerPasswordEnv({}, layout.stateDir).REHEARSE_CUSTOMER_PASSWORD ?? '';
    const customer = cat.customers?.[0]?.username ?? 'customer001';
    const product = cat.products[7]!;
    const nameMatch = cat.products[11]!.name; // the full name finds exactly this product
    const cart = (n: number) => cat.products[(n * 7) % cat.products.length]!.id;
    type Req = () => Promise<{ status: number; cost: string | null }>;
    const plans: Record<Endpoint, { prepare: (i: number) => Promise<Req> }> = {
      home: { prepare: async () => () => page(base, '/', CART_COOKIE.Cookie) },
      category: { prepare: async () => () => page(base, cat.categories[2]!.path, CART_COOKIE.Cookie) },
      product: { prepare: async () => () => page(base, product.path, CART_COOKIE.Cookie) },
      search: { prepare: async () => () => page(base, '/?s=blue&post_type=product', CART_COOKIE.Cookie) },
      search_one: {
        prepare: async () => () =>
          page(base, `/?s=${encodeURIComponent(nameMatch)}&post_type=product`, CART_COOKIE.Cookie),
      },
      store_products: { prepare: async () => () => storeRequest(base, 'GET', '/products?per_page=20') },
      cart_new: { prepare: async () => () => storeRequest(base, 'GET', '/cart') },
      add_item: {
        prepare: async (i) => {
          const t = await newCart(base);
          return () => addItem(base, t, cart(i));
        },
      },
      cart: {
        prepare: async (i) => {
          const t = await newCart(base);
          await addItem(base, t, cart(i));
          return () => storeRequest(base, 'GET', '/cart', { token: t });
        },
      },
      checkout: {
        prepare: async (i) => {
          const t = await newCart(base);
          await addItem(base, t, cart(i));
          return () => checkout(base, t);
        },
      },
      my_account: {
        prepare: async () => {
          const c = await login(base, customer, password);
          return () => page(base, '/my-account/', c);
        },
      },
      my_account_orders: {
        prepare: async () => {
          const c = await login(base, customer, password);
          return () => page(base, '/my-account/orders/', c);
        },
      },
    };
    const rows: Record<string, Record<string, number | string>> = {};
    let checkoutSplit: unknown;
    for (const [name, plan] of Object.entries(plans) as Array<[Endpoint, (typeof plans)[Endpoint]]>) {
      const reqs: Req[] = [];
      for (let i = 0; i < N + WARM; i++) reqs.push(await plan.prepare(i));
      for (const r of reqs.slice(0, WARM)) await r();
      const [qs, as, ds, ts] = await clock();
      const fixture: number[] = [];
      const split = { select: 0, insert: 0, update: 0, delete: 0 };
      for (const r of reqs.slice(WARM)) {
        const a = await r();
        const c = parseCost(a.cost);
        if (a.status >= 400 || c?.endpoint !== name)
          throw new Error(
            `${name}: answered ${a.status} as "${c?.endpoint ?? 'no X-Rehearse-Cost'}"; the bench asks the wrong URL`,
          );
        fixture.push(Number(c.queries));
        for (const k of Object.keys(split) as Array<keyof typeof split>) split[k] += Number(c[k]) / N;
      }
      if (name === 'checkout')
        checkoutSplit = {
          measured: Object.fromEntries(Object.entries(split).map(([k, v]) => [k, r2(v)])),
          target: cal.endpoints.checkout.split,
        };
      const [qe, ae, de, te] = await clock();
      const dt = te - ts;
      const target = cal.endpoints[name];
      const phpMs = (ae - as - idle.appNs * dt) / 1e6 / N;
      const queries = (qe - qs - readCost - idle.q * dt) / N;
      const db = (de - ds - idle.dbMs * dt) / N;
      rows[name] = {
        phpCpuMs: r2(phpMs),
        targetPhpCpuMs: target.php_cpu_ms,
        cpuRatio: r2(phpMs / target.php_cpu_ms),
        queries: r2(queries),
        fixtureQueries: r2(fixture.reduce((a, b) => a + b, 0) / N),
        targetQueries: target.queries,
        queryRatio: r2(queries / target.queries),
        dbCpuMs: r2(db),
        targetDbCpuMs: target.db_cpu_ms,
        dbRatio: r2(db / target.db_cpu_ms),
      };
      log(`${name}: ${JSON.stringify(rows[name])}`);
    }
    const worst = (key: string) =>
      Object.entries(rows).reduce((w, [n, r]) =>
        Math.abs(Math.log(Number(r[key]))) > Math.abs(Math.log(Number(w[1][key]))) ? [n, r] : w,
      );
    const [cpuName, cpuRow] = worst('cpuRatio');
    const [qName, qRow] = worst('queryRatio');
    const [dbName, dbRow] = worst('dbRatio');

    // Whole-stack peak, closed loop, a few user counts; the best step counts.
    const products = cat.products.slice(0, 20).map((p) => p.path);
    // Beside the rate, the CPU it took (app cgroup and mariadbd, cores): on a machine shared with
    // other work the rate falls with the CPU we get, but work per core-second does not.
    const step = async <T>(run: () => Promise<T>) => {
      const a = appNs();
      const d = dbMs();
      const t = performance.now();
      const out = await run();
      const s = (performance.now() - t) / 1000;
      return { out, s, appCores: (appNs() - a) / 1e9 / s, dbCores: (dbMs() - d) / 1000 / s };
    };
    const pageSteps: Record<string, { perS: number; appCores: number; dbCores: number }> = {};
    for (const users of [2, 4]) {
      const r = await step(() => closedLoad(base, products, users, PEAK_STEP_S, CART_COOKIE));
      pageSteps[users] = { perS: r2(r.out.perSecond), appCores: r2(r.appCores), dbCores: r2(r.dbCores) };
    }
    const orderSteps: Record<string, { perS: number; appCores: number; dbCores: number }> = {};
    let n = 0;
    for (const users of [2, 4, 8]) {
      const end = performance.now() + PEAK_STEP_S * 1000;
      let orders = 0;
      const r = await step(async () => {
        await Promise.all(
          Array.from({ length: users }, async () => {
            while (performance.now() < end) {
              try {
                const token = await newCart(base);
                await addItem(base, token, cart(n++));
                await storeRequest(base, 'GET', '/cart', { token });
                if ((await checkout(base, token)).status === 200) orders++;
              } catch {
                // a failed step: no order this time
              }
            }
          }),
        );
      });
      orderSteps[users] = { perS: r2(orders / r.s), appCores: r2(r.appCores), dbCores: r2(r.dbCores) };
    }
    const best = (steps: typeof pageSteps) => Object.values(steps).reduce((a, b) => (b.perS > a.perS ? b : a));
    const pageBest = best(pageSteps);
    const orderBest = best(orderSteps);
    const pagePeak = pageBest.perS;
    const orderPeak = orderBest.perS;
    // Real store at its peaks: PHP 1.76 cores for 11.7 pages/s, PHP 1.41 + MariaDB 0.50 cores for ~5 orders/s.
    const perCore = {
      pages: r2(pagePeak / pageBest.appCores),
      realPages: r2(11.7 / 1.76),
      orders: r2(orderPeak / orderBest.appCores),
      realOrders: r2(5 / 1.41),
      dbCoreSPerOrder: r2(orderBest.dbCores / orderPeak),
      realDbCoreSPerOrder: r2(0.5 / 5),
    };
    const ratios = [pagePeak / REAL_PEAK.productPagesPerS, orderPeak / REAL_PEAK.ordersPerS];
    const worstRatio = ratios.reduce((w, x) => (Math.abs(Math.log(x)) > Math.abs(Math.log(w)) ? x : w));
    const common = {
      calibration: cal.name,
      calibrationDate: cal.date,
      requestsPerEndpoint: N,
      loadAverage1m: r2(os.loadavg()[0]!),
    };
    return [
      {
        bench: 'replica-vs-woocommerce-cpu',
        value: Number(cpuRow.cpuRatio),
        unit: 'x',
        target: '0.8-1.25',
        worstEndpoint: cpuName,
        baseline: `real WooCommerce PHP CPU per request (${cal.source})`,
        measuredBy: 'app instance cgroup cpuacct (php-fpm + nginx) minus idle, concurrency 1',
        endpoints: Object.fromEntries(
          Object.entries(rows).map(([k, r]) => [k, { ms: r.phpCpuMs, target: r.targetPhpCpuMs, ratio: r.cpuRatio }]),
        ),
        ...common,
      },
      {
        bench: 'replica-vs-woocommerce-queries',
        value: Number(qRow.queryRatio),
        unit: 'x',
        target: '0.8-1.25',
        worstEndpoint: qName,
        baseline: `real WooCommerce SQL queries per request (${cal.source})`,
        measuredBy: "MariaDB's Questions counter minus idle; fixture's own count beside it",
        endpoints: Object.fromEntries(
          Object.entries(rows).map(([k, r]) => [
            k,
            { queries: r.queries, fixture: r.fixtureQueries, target: r.targetQueries, ratio: r.queryRatio },
          ]),
        ),
        checkoutSplit,
        ...common,
      },
      {
        bench: 'replica-vs-woocommerce-db-cpu',
        value: Number(dbRow.dbRatio),
        unit: 'x',
        target: 'informative (not calibrated directly)',
        worstEndpoint: dbName,
        baseline: `real WooCommerce MariaDB CPU per request (${cal.source})`,
        measuredBy: 'mariadbd utime+stime minus idle',
        endpoints: Object.fromEntries(
          Object.entries(rows).map(([k, r]) => [k, { ms: r.dbCpuMs, target: r.targetDbCpuMs, ratio: r.dbRatio }]),
        ),
        ...common,
      },
      {
        bench: 'replica-vs-woocommerce-peak',
        value: r2(worstRatio),
        unit: 'x',
        perAppCoreSecond: perCore,
        target: '0.75-1.25 (each)',
        baseline: 'real WooCommerce on this kind of machine: 11.7 product pages/s, ~5 orders/s (closed loop)',
        productPagesPerS: pagePeak,
        ordersPerS: orderPeak,
        pagesRatio: r2(pagePeak / REAL_PEAK.productPagesPerS),
        ordersRatio: r2(orderPeak / REAL_PEAK.ordersPerS),
        pageSteps,
        orderSteps,
        stepS: PEAK_STEP_S,
        setup: '1 instance, 4 php-fpm workers, no CPU cap, page cache bypassed (cart cookie)',
        ...common,
      },
    ];
  } finally {
    await down(opts).catch(() => {});
    await rm(parent, { recursive: true, force: true });
  }
}
