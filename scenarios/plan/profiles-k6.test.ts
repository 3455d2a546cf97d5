// Every built-in profile through the real k6 against a fake store on 127.0.0.1, squeezed into
// 10 s at 50 journeys/s (bounded: ≤ 500 journeys each, a kill timer): k6 must schedule the
// integral of the profile's curve (iterations + dropped within 3 %).

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../profile/load-profile.ts';
import { fakeStoreAssets, smallCatalogue } from '../test-support/fake-store.ts';
import { useFakeStore } from '../test-support/use-fake-store.ts';
import { analyticArrivals, buildPlan } from './build-plan.ts';
import { writePlan } from './plan-file.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';

const KILL_AFTER_MS = 45_000;
const PEAK = 50;
const DURATION_S = 10;
const catalogue = smallCatalogue(3, 4);
const env = useFakeStore(catalogue, 'rehearse-profiles-k6-');
const builtins = readdirSync(new URL('../profiles/', import.meta.url)).filter((f) => f.endsWith('.json'));

// Two at a time: the machine's two cores are shared.
describe('built-in profiles in k6', { concurrency: 2 }, () => {
  for (const file of builtins) {
    it(`${file}: k6 schedules the curve's integral within 3 %`, async () => {
      const loaded = await loadProfile(new URL(`../profiles/${file}`, import.meta.url).pathname);
      const quick = { ...loaded, profile: { ...loaded.profile, thinkTime: { medianS: 0.05, p90S: 0.1 } } }; // short iterations
      const id = `profile-${file.replace(/\.json$/, '')}`;
      const plan = buildPlan(quick, {
        id,
        baseUrl: env.store.baseUrl,
        targetKind: 'local',
        peakRate: PEAK,
        durationS: DURATION_S,
        catalogue,
        assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
        createdAt: new Date().toISOString(),
      });
      const planPath = join(env.dir, `${id}.plan.json`);
      const summaryPath = join(env.dir, `${id}.summary.json`);
      await writePlan(planPath, plan);
      const { code, stderr } = await runK6Bounded({ planPath, summaryPath, killAfterMs: KILL_AFTER_MS });
      assert.equal(code, 0, stderr);
      const metrics = JSON.parse(await readFile(summaryPath, 'utf8')).metrics as Record<
        string,
        { values: Record<string, number> } | undefined
      >;
      const scheduled = (metrics.iterations?.values.count ?? 0) + (metrics.dropped_iterations?.values.count ?? 0);
      const integral = analyticArrivals(loaded, PEAK, DURATION_S);
      assert.ok(integral > 100, `${integral}`);
      // 3 %: on a busy box (the test lanes beside it) k6 interrupts more iterations still running
      // at the end, and those count as neither; CI saw 233 of 238.5 (2.3 %) once.
      assert.ok(Math.abs(scheduled / integral - 1) <= 0.03, `scheduled ${scheduled} vs ∫ ${integral.toFixed(1)}`);
      assert.equal(metrics.checks?.values.fails ?? 0, 0);
    });
  }
});
