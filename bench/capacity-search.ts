// capacity-search-minutes: wall minutes the capacity search takes to find one knee on the local
// replica (plateaus of 15 s, +50 % steps, bisected to 10 %, 0.2-core instances, every page
// rendered, a throughput SLO of p95 ≤ 1.5 s per journey: the integration test's settings); capacity-1v2: the knee at 2 instances
// ÷ the knee at 1, measured in the same run against perfect linear scaling (2). Load goes to
// 127.0.0.1 only; every plateau is a bounded k6 run.
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';
import { runCapacity } from '../pipeline/capacity/capacity-run.ts';
import { loadProfile } from '../scenarios/profile/load-profile.ts';
import { parseSloFile } from '../scenarios/slo/slo-file.ts';
import type { Figure } from './figure.ts';

const THROUGHPUT_SLO = parseSloFile(
  JSON.stringify({
    version: 1,
    name: 'throughput',
    errorRate: 0.01,
    journeys: Object.fromEntries(
      ['browse', 'search', 'cart', 'abandon', 'checkout', 'account'].map((j) => [j, { p95Ms: 1500 }]),
    ),
  }),
  'throughput.json',
);

export async function capacitySearch(): Promise<Figure[]> {
  const parent = await mkdtemp(join(tmpdir(), 'rehearse-bench-cap-'));
  fs.chmodSync(parent, 0o755);
  const env = {
    REHEARSE_STATE_DIR: process.env.REHEARSE_STATE_DIR,
    REHEARSE_LOCAL_PORT: process.env.REHEARSE_LOCAL_PORT,
  };
  process.env.REHEARSE_STATE_DIR = join(parent, 's');
  process.env.REHEARSE_LOCAL_PORT = String(await freeReplicaPort());
  try {
    const profile = await loadProfile(new URL('../scenarios/profiles/black-friday.json', import.meta.url).pathname);
    const res = await runCapacity({
      id: 'bench-capacity',
      runsDir: join(parent, 'runs'),
      target: 'local',
      instances: [1, 2],
      profile,
      cacheBust: true,
      instanceCpu: 0.2,
      shopCost: 'light', // as the integration test: a fast search, ratios only
      slo: THROUGHPUT_SLO,
      plateauS: 15,
      stepFactor: 1.5,
      tolerance: 0.1,
      startRate: 1,
      warmupS: 5,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    const [one, two] = res.counts;
    const minutes = res.counts.map((c) => c.searchMinutes);
    const r2 = (x: number) => Number(x.toFixed(2));
    return [
      {
        bench: 'capacity-search-minutes',
        value: r2(minutes.reduce((a, b) => a + b, 0) / minutes.length),
        unit: 'min per knee',
        target: '≤ 5',
        baseline: 'per count, plateaus included (warm-up and pinning excluded)',
        perCount: res.counts.map((c) => ({
          instances: c.instances,
          minutes: r2(c.searchMinutes),
          plateaus: c.plateauCount,
        })),
      },
      {
        bench: 'capacity-1v2',
        value: one.kneeRequestsPerS && two.kneeRequestsPerS ? r2(two.kneeRequestsPerS / one.kneeRequestsPerS) : NaN,
        unit: 'ratio',
        target: '1.6–2.2',
        baseline: 'perfect linear scaling = 2, same run',
        knees: res.counts.map((c) => ({
          instances: c.instances,
          requestsPerS: c.kneeRequestsPerS,
          journeysPerS: c.kneeJourneysPerS,
          outcome: c.outcome,
        })),
      },
    ];
  } finally {
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    await rm(parent, { recursive: true, force: true });
  }
}
