// Runs the real k6 entry against a fake store on 127.0.0.1: short runs (≤ 8 s of load, a few
// hundred iterations), bounded by a kill timer. Checks that k6 schedules what the plan expects,
// that checks pass on good content and fail on wrong content, and that k6 itself refuses a plan
// whose target is off its allowlist.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPlan } from '../plan/build-plan.ts';
import { writePlan } from '../plan/plan-file.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { loadProfile } from '../profile/load-profile.ts';
import { type FakeStore, fakeStoreAssets, smallCatalogue, startFakeStore } from '../test-support/fake-store.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';

const KILL_AFTER_MS = 45_000;
const catalogue = smallCatalogue(4, 5);
const PASSWORD = 'fake-store-pass'; // the fake store's customers; a test value, not a secret

interface K6Result {
  code: number | null;
  stdout: string;
  stderr: string;
  summary?: {
    metrics: Record<string, { values: Record<string, number> }>;
    root_group: { checks: Array<{ name: string; passes: number; fails: number }> };
  };
  samples: string;
}

let dir: string;
const stores: FakeStore[] = [];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-k6-'));
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function store(opts: Parameters<typeof startFakeStore>[1] = {}): Promise<FakeStore> {
  const s = await startFakeStore(catalogue, { customerPassword: PASSWORD, ...opts });
  stores.push(s);
  return s;
}

async function smokePlan(
  id: string,
  baseUrl: string,
  peakRate: number,
  durationS: number,
  mix?: Record<string, number>,
  zipfS?: number,
): Promise<Plan> {
  const loaded = await loadProfile(new URL('../profiles/smoke.json', import.meta.url).pathname);
  const profile = {
    ...loaded,
    profile: { ...loaded.profile, ...(mix ? { mix } : {}), ...(zipfS !== undefined ? { popularity: { zipfS } } : {}) },
  };
  return buildPlan(profile as typeof loaded, {
    id,
    baseUrl,
    targetKind: 'local',
    peakRate,
    durationS,
    catalogue,
    assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
    createdAt: new Date().toISOString(),
  });
}

/** Tags of every http_reqs sample, and iterations per scenario, from k6's JSON output. */
function samples(r: K6Result): { reqTags: Array<Record<string, string>>; iterationsBy: Record<string, number> } {
  const reqTags: Array<Record<string, string>> = [];
  const iterationsBy: Record<string, number> = {};
  for (const line of r.samples.split('\n')) {
    if (!line.includes('"type":"Point"')) continue;
    if (line.includes('"metric":"http_reqs"')) reqTags.push(JSON.parse(line).data.tags);
    else if (line.includes('"metric":"iterations"')) {
      const sc = JSON.parse(line).data.tags.scenario as string;
      iterationsBy[sc] = (iterationsBy[sc] ?? 0) + 1;
    }
  }
  return { reqTags, iterationsBy };
}

/** Runs k6 on `plan` (written to disk as is, so tests can hand-edit it). */
async function runK6(plan: Plan, viaWritePlan = true): Promise<K6Result> {
  const planPath = join(dir, `${plan.id}.plan.json`);
  const summaryPath = join(dir, `${plan.id}.summary.json`);
  const samplesPath = join(dir, `${plan.id}.samples.json`);
  if (viaWritePlan) await writePlan(planPath, plan);
  else await writeFile(planPath, JSON.stringify(plan));
  const { code, stdout, stderr } = await runK6Bounded({
    planPath,
    summaryPath,
    extraArgs: ['--out', `json=${samplesPath}`],
    env: { REHEARSE_CUSTOMER_PASSWORD: PASSWORD },
    killAfterMs: KILL_AFTER_MS,
  });
  const read = (p: string) => readFile(p, 'utf8').catch(() => undefined);
  const summaryText = await read(summaryPath);
  return {
    code,
    stdout,
    stderr,
    summary: summaryText ? JSON.parse(summaryText) : undefined,
    samples: (await read(samplesPath)) ?? '',
  };
}

const count = (r: K6Result, metric: string, stat = 'count') => r.summary?.metrics[metric]?.values[stat] ?? 0;

// One k6 at a time: five at once on two cores made k6 fall behind its own arrival schedule.
describe('k6 entry', () => {
  it('smoke plan, every journey: k6 schedules the expected arrivals, every check passes, requests carry stable names', async () => {
    const s = await store();
    const plan = await smokePlan('smoke-k6', s.baseUrl, 30, 8); // 30/s × 8 s = 240 journeys over six journeys
    // Journeys start out of phase (build-plan.ts): each later one loses under one arrival at the end.
    assert.ok(plan.expected.total > 240 - 6 && plan.expected.total < 240, `${plan.expected.total}`);
    const r = await runK6(plan);
    assert.equal(r.code, 0, `k6 exit ${r.code}\n${r.stderr}`);
    assert.ok(r.summary, 'handleSummary wrote REHEARSE_SUMMARY');

    const iterations = count(r, 'iterations');
    const scheduled = iterations + count(r, 'dropped_iterations');
    // k6 may or may not start the iteration that falls due exactly at a scenario's end (a
    // timing race), so each of the six scenarios can come out one short: 2 % or one per scenario.
    const slack = Math.max(0.02 * plan.expected.total, Object.keys(plan.expected.arrivals).length);
    assert.ok(
      Math.abs(scheduled - plan.expected.total) <= slack,
      `scheduled ${scheduled} vs expected ${plan.expected.total}`,
    );

    const checks = r.summary.root_group.checks;
    assert.deepEqual(checks.map((c) => c.name).sort(), [
      'account-orders: lists the orders',
      'add-item: the cart holds the product',
      'assets: each loads with its content type',
      'cart: 200 with items and a Nonce',
      'cart: holds both products',
      'cart: holds one item to pay for',
      'cart: shows the added product',
      'category: lists its products',
      'category: status 200',
      'checkout: order placed and paid',
      'home: links into the shop',
      'home: status 200',
      'login-form: shows the form',
      'login: lands on my account as the customer',
      'product: shows its name and price',
      'product: status 200',
      'remove-item: the item is gone',
      'search: finds the product',
      'search: status 200',
    ]);
    for (const c of checks) assert.equal(c.fails, 0, `${c.name}: ${c.fails} failed`);
    assert.equal(count(r, 'http_req_failed', 'rate'), 0);
    assert.equal(count(r, 'checkout_success', 'rate'), 1);
    assert.equal(s.shop.refused, 0, 'every write carried a valid Nonce');
    assert.deepEqual(
      s.queries.filter((q) => !q.startsWith('s=')),
      [],
      'no cache-busting query unless the profile asks',
    );

    const { reqTags, iterationsBy } = samples(r);
    assert.deepEqual(Object.keys(iterationsBy).sort(), ['abandon', 'account', 'browse', 'cart', 'checkout', 'search']);
    assert.equal(count(r, 'rehearse_orders'), iterationsBy.checkout, 'one order per checkout journey');
    assert.equal(s.shop.orders.length, iterationsBy.checkout);
    assert.equal(s.shop.logins, iterationsBy.account);
    assert.equal(s.hits.search, iterationsBy.search);
    const names = new Set<string>();
    for (const tags of reqTags) {
      names.add(tags.name!);
      assert.equal(tags.journey, tags.scenario);
      assert.equal(tags.run_id, 'smoke-k6');
      assert.doesNotMatch(tags.name!, /^http/, 'a stable name, not the URL');
      const kind = tags.name!.startsWith('api:') ? 'api' : tags.name!.startsWith('asset:') ? 'asset' : 'page';
      assert.equal(tags.kind, kind, `${tags.name} carries kind=${kind}`);
    }
    assert.deepEqual([...names].sort(), [
      'account-orders',
      'api:add-item',
      'api:cart',
      'api:checkout',
      'api:remove-item',
      'asset:css',
      'asset:img',
      'category',
      'home',
      'login',
      'login-form',
      'product',
      'search',
    ]);
    assert.match(
      r.stdout,
      new RegExp(
        `rehearse smoke-k6: ${iterations} iterations \\(0 dropped, ${Math.round(plan.expected.total)} planned\\)`,
      ),
    );
  });

  it("product picks follow the profile's Zipf popularity: the top product gets most views", async () => {
    const s = await store();
    const plan = await smokePlan('zipf', s.baseUrl, 10, 3, { browse: 1 }, 2);
    assert.deepEqual(plan.popularity, { zipfS: 2 });
    const r = await runK6(plan);
    assert.equal(r.code, 0, r.stderr);
    const views = Object.values(s.productViews).sort((a, b) => b - a);
    const total = views.reduce((a, b) => a + b, 0);
    assert.ok(total >= 20, `${total} product views`);
    // Zipf s = 2 over 20 products gives rank 1 about 62 % of views; uniform would be 5 %.
    assert.ok(views[0]! / total >= 0.4, `top product ${views[0]}/${total}`);
  });

  it('black-friday squeezed into 8 s: k6 accepts its millisecond stages and schedules the curve’s integral', async () => {
    const s = await store();
    const loaded = await loadProfile(new URL('../profiles/black-friday.json', import.meta.url).pathname);
    const quick = { ...loaded, profile: { ...loaded.profile, thinkTime: { medianS: 0.1, p90S: 0.2 } } }; // short iterations
    const plan = buildPlan(quick, {
      id: 'bf-k6',
      baseUrl: s.baseUrl,
      targetKind: 'local',
      peakRate: 40,
      durationS: 8,
      catalogue,
      assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
      createdAt: new Date().toISOString(),
    });
    assert.ok(plan.expected.total > 140);
    const r = await runK6(plan);
    assert.equal(r.code, 0, r.stderr);
    const scheduled = count(r, 'iterations') + count(r, 'dropped_iterations');
    // k6 starts an iteration each time a journey's integral reaches a whole number: each of the six
    // (started out of phase) can come out one short of its fractional integral.
    const slack = Math.max(0.02 * plan.expected.total, Object.keys(plan.expected.arrivals).length);
    assert.ok(
      Math.abs(scheduled - plan.expected.total) <= slack,
      `scheduled ${scheduled} vs expected ${plan.expected.total}`,
    );
    assert.equal(count(r, 'checks', 'fails'), 0);
  });

  it('a store that shows the wrong product fails the content check, not the status check (with cacheBust on)', async () => {
    const s = await store({ wrongProductNames: true });
    const r = await runK6({ ...(await smokePlan('wrong-content', s.baseUrl, 10, 3, { browse: 1 })), cacheBust: true });
    assert.equal(r.code, 0, r.stderr);
    const checks = Object.fromEntries(r.summary!.root_group.checks.map((c) => [c.name, c]));
    const iterations = count(r, 'iterations');
    assert.ok(iterations > 20);
    const named = checks['product: shows its name and price']!;
    assert.deepEqual([named.passes, named.fails], [0, iterations]);
    assert.equal(checks['product: status 200']!.fails, 0);
    assert.equal(s.queries.length, iterations * 3, 'every request carries a cache-busting query');
    assert.equal(new Set(s.queries).size, s.queries.length, 'all distinct');
    assert.ok(
      s.queries.every((q) => /^rehearse_cb=\d+\.\d+\.\d+$/.test(q)),
      s.queries[0],
    );
  });

  it('k6 refuses a hand-edited plan whose target is off its allowlist, before any request', async () => {
    const s = await store();
    const plan = await smokePlan('off-list', s.baseUrl, 10, 3);
    const r = await runK6({ ...plan, target: { ...plan.target, allowHosts: ['localhost'] } }, false);
    assert.notEqual(r.code, 0);
    // k6 logs the message with its quotes escaped: host \"127.0.0.1\"
    assert.match(
      r.stderr,
      /target\.baseUrl host \\?"127\.0\.0\.1\\?" is not on target\.allowHosts \(localhost\) — refusing to send load/,
    );
    assert.deepEqual(Object.values(s.hits), [0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
