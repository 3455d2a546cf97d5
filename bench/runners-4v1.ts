// runners-4v1-requests: total requests of one plan split across 4 local agents (k6 execution
// segments) ÷ the same plan on 1 k6, side by side in one run, against a fake store on 127.0.0.1
// (a few hundred requests each, bounded by the plan).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBrowsePlan } from '../runners/distributed/browse-only.ts';
import { fakeStoreAssets, smallCatalogue, startFakeStore } from '../scenarios/test-support/fake-store.ts';
import { runPlan } from '../runners/run-plan.ts';
import type { Figure } from './figure.ts';

const PEAK_RATE = 40;
const DURATION_S = 10;

export async function runners4v1(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-bench-runners-'));
  const catalogue = smallCatalogue(4, 5);
  const shop = await startFakeStore(catalogue);
  try {
    const requests: Record<number, number> = {};
    for (const runners of [1, 4]) {
      const id = `bench-${runners}-runners`;
      const planPath = join(dir, `${id}.json`);
      await writeBrowsePlan(planPath, {
        id,
        baseUrl: shop.baseUrl,
        targetKind: 'local',
        peakRate: PEAK_RATE,
        durationS: DURATION_S,
        catalogue,
        assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
      });
      const res = await runPlan({
        planPath,
        runsDir: join(dir, 'runs'),
        runners,
        log: (l) => process.stderr.write(`  ${l}\n`),
      });
      if (res.partial?.length)
        throw new Error(`bench runners-4v1: ${runners} runners did not all finish: ${JSON.stringify(res.partial)}`);
      requests[runners] = res.requests;
    }
    return [
      {
        bench: 'runners-4v1-requests',
        value: Number((requests[4] / requests[1]).toFixed(4)),
        unit: 'x',
        target: '0.99-1.01',
        baseline: '1 runner, same plan, same run',
        requests1: requests[1],
        requests4: requests[4],
      },
    ];
  } finally {
    await shop.close();
    await rm(dir, { recursive: true, force: true });
  }
}
