// stack-warm-start-s: `stack up` with existing data → first 200 through the balancer.
// The baseline, in the same run, is the cold start from nothing (fresh state directory).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, up } from '../infra/local/replica.ts';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';
import type { Figure } from './figure.ts';

const quiet = () => {};

export async function stackWarmStart(): Promise<Figure[]> {
  const stateDir = await mkdtemp(join(tmpdir(), 'rehearse-bench-'));
  const opts = { stateDir, port: await freeReplicaPort(), log: quiet };
  try {
    let t = performance.now();
    await up(opts);
    const coldS = (performance.now() - t) / 1000;
    await down(opts);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await up(opts);
      warm.push((performance.now() - t) / 1000);
      await down(opts);
    }
    const median = warm.sort((a, b) => a - b)[1];
    return [
      {
        bench: 'stack-warm-start-s',
        value: Number(median.toFixed(2)),
        unit: 's',
        target: '<=5',
        baseline: 'cold start from an empty state dir, same run',
        coldStartS: Number(coldS.toFixed(2)),
        warmRunsS: warm.map((w) => Number(w.toFixed(2))),
        ratioToCold: Number((median / coldS).toFixed(3)),
      },
    ];
  } finally {
    await down(opts).catch(() => {});
    await rm(stateDir, { recursive: true, force: true });
  }
}
