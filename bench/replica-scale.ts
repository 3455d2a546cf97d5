// replica-scale-4v1: pages/s through the balancer with 4 capped app instances ÷ with 1, same
// replica, same page mix, same closed-loop clients, rounds interleaved (4, 1, 4, 1, …) so a
// neighbour's load on the shared machine hits both sides alike. Load goes to 127.0.0.1 only.
// Clients carry a cart cookie, so the page cache steps aside and every page is rendered by PHP:
// that is the work instances scale; cached pages would measure Redis and HAProxy instead.
import fs from 'node:fs';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyCommand } from '../infra/local/haproxy.ts';
import { resolveLayout } from '../infra/local/layout.ts';
import { down, telemetry, up } from '../infra/local/replica.ts';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';
import { CART_COOKIE, closedLoad } from '../infra/local/test-support/load.ts';
import type { Figure } from './figure.ts';

const ROUNDS = 3;
const ROUND_S = 15;
const CLIENTS = 16;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const r1 = (x: number) => Number(x.toFixed(1));

/** Where the CPU went during a round (from the replica's own telemetry): are instances at their cap? */
async function cpuOfRound(opts: Parameters<typeof telemetry>[2], from: number, to: number, active: number) {
  const t = await telemetry(from, to, opts);
  const per = Object.entries(t.cpu.perInstance)
    .slice(0, active)
    .map(([, s]) => mean(s.map((p) => p.v)));
  return {
    instancePctOfShare: per.map(r1),
    dbPctOfCore: r1(mean(t.cpu.db.map((p) => p.v))),
    cachePctOfCore: r1(mean(t.cpu.cache.map((p) => p.v))),
  };
}

export async function replicaScale(): Promise<Figure[]> {
  const parent = await mkdtemp(join(tmpdir(), 'rehearse-bench-'));
  fs.chmodSync(parent, 0o755);
  const opts = {
    stateDir: join(parent, 's'),
    port: await freeReplicaPort(4),
    instances: 4,
    log: (l: string) => process.stderr.write(`${l}\n`),
  };
  try {
    const endpoint = await up(opts);
    const layout = resolveLayout(opts);
    const catalogue = JSON.parse(fs.readFileSync(endpoint.cataloguePath, 'utf8')) as {
      categories: Array<{ path: string }>;
      products: Array<{ path: string }>;
    };
    // The browse mix: home, category and product pages.
    const paths = [
      '/',
      ...catalogue.categories.slice(0, 4).map((c) => c.path),
      ...catalogue.products.slice(0, 15).map((p) => p.path),
    ];
    const servers = async (n: number) => {
      for (let i = 1; i < 4; i++)
        await haproxyCommand(layout, `set server app/app-${i} state ${i < n ? 'ready' : 'maint'}`);
      await new Promise((r) => setTimeout(r, 500));
    };
    await closedLoad(endpoint.baseUrl, paths, CLIENTS, 5, CART_COOKIE); // warm opcache and object cache on every instance
    const four: number[] = [];
    const one: number[] = [];
    const cpu: Record<string, unknown> = {};
    const round = async (n: number, into: number[]) => {
      await servers(n);
      const from = Date.now() / 1000;
      into.push((await closedLoad(endpoint.baseUrl, paths, CLIENTS, ROUND_S, CART_COOKIE)).perSecond);
      await new Promise((r) => setTimeout(r, 1200)); // the sampler's next second
      cpu[`${n}x-round${into.length}`] = await cpuOfRound(opts, from + 1, from + ROUND_S, n);
    };
    for (let r = 0; r < ROUNDS; r++) {
      await round(4, four);
      await round(1, one);
      process.stderr.write(
        `replica-scale round ${r + 1}/${ROUNDS}: 4 instances ${four[r]!.toFixed(1)}/s, 1 instance ${one[r]!.toFixed(1)}/s\n`,
      );
    }
    const t4 = median(four);
    const t1 = median(one);
    return [
      {
        bench: 'replica-scale-4v1',
        value: Number((t4 / t1).toFixed(2)),
        unit: 'x',
        target: '>=3.5',
        baseline: '1 capped instance, same replica, same page mix, interleaved rounds in the same run',
        throughput4: Number(t4.toFixed(2)),
        throughput1: Number(t1.toFixed(2)),
        unitThroughput: 'pages/s',
        size: layout.size,
        clients: CLIENTS,
        pageCache: 'bypassed (cart cookie)',
        roundS: ROUND_S,
        rounds4: four.map((x) => Number(x.toFixed(2))),
        rounds1: one.map((x) => Number(x.toFixed(2))),
        cpu,
        loadAverage1m: Number(os.loadavg()[0]!.toFixed(2)),
      },
    ];
  } finally {
    await down(opts).catch(() => {});
    await rm(parent, { recursive: true, force: true });
  }
}
