// Every journey against the real local replica: a 30-second compressed Black Friday at a low peak
// rate (the built-in profile's shape and mix), bounded by a kill timer. Every journey type
// completes, ≥ 99 % of checks pass, and checkouts land in wp_rehearse_orders (counted in MariaDB
// before and after). What a request costs is not the question here, so the shop is the light one
// and think times are short: iterations end soon after the arrivals do. ~1 min.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { resolveLayout } from '../infra/local/layout.ts';
import { runSql } from '../infra/local/mariadb.ts';
import { down, up } from '../infra/local/replica.ts';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';
import { customerPasswordEnv } from '../infra/local/wordpress.ts';
import { JOURNEY_NAMES } from './shared/journeys.ts';
import { buildPlan } from './plan/build-plan.ts';
import { readCatalogue } from './plan/catalogue-file.ts';
import { writePlan } from './plan/plan-file.ts';
import { loadProfile } from './profile/load-profile.ts';
import { runK6Bounded } from './test-support/run-k6-bounded.ts';

const DURATION_S = 30;
// Journeys/s at the doorbuster. Arrivals are scheduled, not random: the rarest journey (account,
// 5 % of the mix) still starts 3 or 4 times over the compressed day.
const PEAK_RATE = 6;
const KILL_AFTER_MS = 180_000;

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-journeys-'));
const port = await freeReplicaPort();
const opts = { stateDir, port, shopCost: 'light' as const, log: (l: string) => console.log(`# ${l}`) };
const layout = resolveLayout({ stateDir, port });

before(async () => {
  await up(opts);
});
after(async () => {
  await down(opts);
  fs.rmSync(stateDir, { recursive: true, force: true });
});

const orderRows = async () =>
  Number((await runSql(layout, `SELECT COUNT(*) FROM ${layout.db.name}.wp_rehearse_orders`)).trim().split('\n')[1]);

test(
  'a compressed Black Friday: every journey completes, ≥ 99 % of checks pass, checkouts become orders',
  { timeout: KILL_AFTER_MS + 60_000 },
  async () => {
    const builtIn = await loadProfile(new URL('./profiles/black-friday.json', import.meta.url).pathname);
    const loaded = { ...builtIn, profile: { ...builtIn.profile, thinkTime: { medianS: 1, p90S: 3 } } };
    const catalogue = await readCatalogue(layout.catalogue);
    assert.ok((catalogue.customers ?? []).length > 0, 'the replica seeds customers');
    const plan = buildPlan(loaded, {
      id: 'journeys-it',
      baseUrl: layout.baseUrl,
      targetKind: 'local',
      peakRate: PEAK_RATE,
      durationS: DURATION_S,
      gracefulStop: '20s',
      catalogue,
      createdAt: new Date().toISOString(),
    });
    assert.deepEqual(
      Object.keys(plan.k6.scenarios).sort(),
      [...JOURNEY_NAMES].sort(),
      'the profile mixes every journey',
    );
    const planPath = path.join(stateDir, 'plan.json');
    const summaryPath = path.join(stateDir, 'summary.json');
    const samplesPath = path.join(stateDir, 'samples.json');
    await writePlan(planPath, plan);

    const rows0 = await orderRows();
    // The password as the runner passes it: read from this replica's state dir, never from the plan.
    const env = customerPasswordEnv({}, stateDir);
    assert.ok(env.REHEARSE_CUSTOMER_PASSWORD, "the state dir holds the customers' password");
    assert.ok(
      !fs.readFileSync(planPath, 'utf8').includes(env.REHEARSE_CUSTOMER_PASSWORD!),
      'the plan does not hold it',
    );
    const { code, stdout, stderr } = await runK6Bounded({
      planPath,
      summaryPath,
      extraArgs: ['--out', `json=${samplesPath}`],
      env,
      killAfterMs: KILL_AFTER_MS,
    });
    console.log(`# ${stdout.trim()}`);
    assert.equal(code, 0, `k6 exit ${code}\n${stderr.slice(-3000)}`);

    const summary = JSON.parse(fs.readFileSync(summaryPath, 'utf8')) as {
      metrics: Record<string, { values: Record<string, number> } | undefined>;
      root_group: { checks: Array<{ name: string; passes: number; fails: number }> };
    };
    const iterationsBy: Record<string, number> = {};
    for (const line of fs.readFileSync(samplesPath, 'utf8').split('\n')) {
      if (!line.includes('"metric":"iterations"') || !line.includes('"type":"Point"')) continue;
      const sc = JSON.parse(line).data.tags.scenario as string;
      iterationsBy[sc] = (iterationsBy[sc] ?? 0) + 1;
    }
    console.log(`# iterations by journey: ${JSON.stringify(iterationsBy)}`);
    for (const j of JOURNEY_NAMES) assert.ok((iterationsBy[j] ?? 0) >= 1, `journey ${j} completed no iteration`);

    const checks = summary.root_group.checks;
    const passes = checks.reduce((s, c) => s + c.passes, 0);
    const fails = checks.reduce((s, c) => s + c.fails, 0);
    const failing = checks.filter((c) => c.fails > 0).map((c) => `${c.name}: ${c.fails}/${c.passes + c.fails}`);
    assert.ok(
      passes / (passes + fails) >= 0.99,
      `checks ${passes}/${passes + fails} passed; failing: ${failing.join('; ')}`,
    );

    const placed = summary.metrics.rehearse_orders?.values.count ?? 0;
    const rows = (await orderRows()) - rows0;
    console.log(`# orders: ${placed} accepted by the store, ${rows} new rows in wp_rehearse_orders`);
    assert.ok(placed >= 1, 'at least one checkout placed an order');
    assert.ok(rows >= placed, `every accepted order is a row: ${rows} rows for ${placed} accepted`);
  },
);
