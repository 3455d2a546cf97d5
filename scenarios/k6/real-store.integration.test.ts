// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The journeys against stores that look like real ones (fake store on 127.0.0.1, real k6, short
// bounded runs): a block theme's markup and assets, a search that WooCommerce answers with a
// redirect to the product, and a redirect off the plan's allowlist, which k6 must not follow.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildPlan } from '../plan/build-plan.ts';
import { writePlan } from '../plan/plan-file.ts';
import type { Plan } from '../plan/plan-schema.ts';
import { loadProfile } from '../profile/load-profile.ts';
import {
  fakeStoreAssets,
  smallCatalogue,
  startFakeStore,
  type FakeStore,
  type FakeStoreOptions,
} from '../test-support/fake-store.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';
import { tempDir } from '../../test-support/temp-dir.ts';

const KILL_AFTER_MS = 45_000;
const PASSWORD = 'fake-store-pass'; // the fake store's customers; a test value, not a secret
const catalogue = smallCatalogue(4, 5);
let dir: string;
const stores: FakeStore[] = [];
before(() => {
  dir = tempDir('rehearse-real-store-');
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
});

interface Run {
  checks: Record<string, { passes: number; fails: number }>;
  metrics: Record<string, { values: Record<string, number> } | undefined>;
  reqs: Array<Record<string, string>>;
}

async function run(
  id: string,
  opts: FakeStoreOptions,
  mix: Record<string, number>,
  allowHosts?: string[],
): Promise<{ store: FakeStore; r: Run }> {
  const store = await startFakeStore(catalogue, { customerPassword: PASSWORD, ...opts });
  stores.push(store);
  const loaded = await loadProfile(new URL('../profiles/smoke.json', import.meta.url).pathname);
  const profile = { ...loaded, profile: { ...loaded.profile, mix, thinkTime: { medianS: 0.05, p90S: 0.1 } } };
  const plan: Plan = buildPlan(profile, {
    id,
    baseUrl: store.baseUrl,
    targetKind: 'local',
    peakRate: 10,
    durationS: 3,
    catalogue,
    assetsPerPage: fakeStoreAssets(opts.theme),
    createdAt: new Date().toISOString(),
    ...(allowHosts ? { allowHosts } : {}),
  });
  const planPath = join(dir, `${id}.plan.json`);
  const summaryPath = join(dir, `${id}.summary.json`);
  const samplesPath = join(dir, `${id}.samples.json`);
  await writePlan(planPath, plan);
  const { code, stderr } = await runK6Bounded({
    planPath,
    summaryPath,
    extraArgs: ['--out', `json=${samplesPath}`],
    env: { REHEARSE_CUSTOMER_PASSWORD: PASSWORD },
    killAfterMs: KILL_AFTER_MS,
  });
  assert.equal(code, 0, stderr);
  const summary = JSON.parse(await readFile(summaryPath, 'utf8'));
  const reqs = (await readFile(samplesPath, 'utf8'))
    .split('\n')
    .filter((l) => l.includes('"type":"Point"') && l.includes('"metric":"http_reqs"'))
    .map((l) => JSON.parse(l).data.tags as Record<string, string>);
  const checks = Object.fromEntries(
    (summary.root_group.checks as Array<{ name: string; passes: number; fails: number }>).map((c) => [c.name, c]),
  );
  return { store, r: { checks, metrics: summary.metrics, reqs } };
}

const failing = (r: Run) => Object.values(r.checks).filter((c) => c.fails > 0);
const iterations = (r: Run) => r.metrics.iterations?.values.count ?? 0;

describe('journeys on real-looking stores', () => {
  it('a block theme (home is a blog index, 22 CSS + 17 JS per page): every journey passes every check', async () => {
    const { store, r } = await run(
      'block',
      { theme: 'block' },
      { browse: 1, search: 1, cart: 1, abandon: 1, checkout: 1, account: 1 },
    );
    assert.ok(iterations(r) >= 15, `${iterations(r)} iterations`);
    assert.deepEqual(failing(r), []);
    assert.ok(r.checks['home: links into the shop']!.passes > 0);
    assert.ok(r.checks['category: lists its products']!.passes > 0);
    assert.ok(r.checks['product: shows its name and price']!.passes > 0);
    // The pages' references are followed: all 22 stylesheets and 17 scripts, not a fixed list.
    assert.ok(store.hits.asset >= 39, `${store.hits.asset} assets`);
    assert.ok(
      r.reqs.filter((t) => t.name === 'asset:css').length >= 22 &&
        r.reqs.filter((t) => t.name === 'asset:js').length >= 17,
    );
    for (const t of r.reqs) assert.ok(['page', 'api', 'asset'].includes(t.kind!), `${t.name}: kind ${t.kind}`);
  });

  it('a search WooCommerce redirects to the product is followed and lands on that product', async () => {
    const { store, r } = await run('search-redirect', { theme: 'block', searchRedirect: 'store' }, { search: 1 });
    const n = iterations(r);
    assert.ok(n >= 10, `${n} iterations`);
    assert.deepEqual(failing(r), []);
    const redirected = r.reqs.filter((t) => t.name === 'search' && t.status === '302').length;
    assert.ok(
      redirected > 0 && redirected < n,
      `${redirected} of ${n} searches redirected (names matching one product)`,
    );
    assert.equal(r.checks['search: finds the product']!.passes, n);
    // One product page per search: the redirect's landing page, or the click from the results.
    assert.equal(store.hits.product, n);
    assert.ok(r.reqs.filter((t) => t.name === 'product').every((t) => t.kind === 'page' && t.status === '200'));
  });

  it("a redirect to a host off the plan's allowlist is not followed and fails the check", async () => {
    const { store, r } = await run('off-list', { searchRedirect: 'off-list' }, { search: 1 }, ['127.0.0.1']);
    const refused = r.metrics.rehearse_redirects_refused?.values.count ?? 0;
    assert.ok(refused > 0, 'some searches were redirected');
    assert.equal(r.checks['redirect: stays on the allowed hosts']!.fails, refused);
    assert.equal(r.checks['redirect: stays on the allowed hosts']!.passes, 0);
    assert.deepEqual(Object.keys(store.hosts), ['127.0.0.1'], 'no request went to the off-list host');
    assert.ok(r.checks['search: finds the product']!.fails >= refused);
  });
});
