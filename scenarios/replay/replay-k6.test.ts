// The replay end to end: log → replay file → plan → k6 → a recording server on 127.0.0.1. The
// server must see every logged GET path (never the logged host), in order and at the logged pace.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildReplayPlan } from '../plan/build-replay-plan.ts';
import { writePlan } from '../plan/plan-file.ts';
import { PlanError } from '../plan/plan-error.ts';
import { scheduledPeakRps } from '../plan/scheduled-rps.ts';
import { DEFAULT_RULES } from './classify.ts';
import { digestLogs } from './read-log.ts';
import { readReplayFile, replayFromDigest } from './replay-file.ts';
import { runK6Bounded } from '../test-support/run-k6-bounded.ts';

const KILL_AFTER_MS = 40_000;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-replay-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function replayFile(speed: number) {
  const d = await digestLogs([new URL('./fixtures/combined-day2.log.gz', import.meta.url).pathname], {
    rules: DEFAULT_RULES,
    keepReplay: true,
  });
  const file = join(dir, `urls-${speed}.json`);
  await writeFile(file, JSON.stringify(replayFromDigest(d, speed, ['combined-day2.log.gz'])));
  return readReplayFile(file);
}

const options = (baseUrl: string) => ({
  id: 'replay-k6',
  baseUrl,
  targetKind: 'local' as const,
  catalogue: { categories: [], products: [] },
  createdAt: new Date().toISOString(),
});

describe('replay', () => {
  it('plans one scenario that schedules exactly the logged URLs, and refuses what safety forbids', async () => {
    const loaded = await replayFile(30);
    const plan = buildReplayPlan(loaded, options('http://127.0.0.1:9'));
    assert.deepEqual(Object.keys(plan.k6.scenarios), ['replay']);
    assert.ok(
      plan.expected.total >= 300.4 && plan.expected.total <= 300.6,
      `${plan.expected.total}: every URL plus half an arrival spare`,
    );
    assert.equal(plan.replay!.urls, 300);
    assert.ok(plan.run.peakRate >= 30 && plan.run.peakRate <= 40, String(plan.run.peakRate));
    // Squeezed 2×, the busiest second is over the default cap of 50/s.
    assert.throws(
      () => buildReplayPlan(loaded, { ...options('http://127.0.0.1:9'), durationS: loaded.replay.durationS / 2 }),
      (e: unknown) =>
        e instanceof PlanError &&
        /replay's busiest 1 s starts \d+ requests\/s: .*above the rate cap maxRate 50\/s — lengthen durationS/.test(
          e.message,
        ),
    );
    // Each replayed URL is one request (the log names the assets itself): requests/s = URLs/s,
    // held to the request cap too, on build and (scheduled-rps.ts) when read back.
    assert.equal(plan.run.requestsPerStart, 1);
    assert.equal(plan.run.peakRps, plan.run.peakRate);
    assert.deepEqual(plan.run.assetsPerPage, { first: 0, later: 0, source: 'replay' });
    assert.equal(scheduledPeakRps(plan.k6.scenarios, plan.run.assetsPerPage), plan.run.peakRps);
    assert.throws(
      () => buildReplayPlan(loaded, { ...options('http://127.0.0.1:9'), maxRps: 20 }),
      (e: unknown) =>
        e instanceof PlanError &&
        /maxRps: the replay's busiest 1 s makes \d+ requests\/s at the peak \(assets included\), above the request cap maxRps 20\/s — lengthen durationS \(--duration: a slower replay\), or raise the cap with --max-rps/.test(
          e.message,
        ),
    );
    assert.throws(
      () => buildReplayPlan(loaded, options('https://shop.example.com')),
      /host "shop\.example\.com" is not on the allowlist/,
    );
    assert.throws(
      () => buildReplayPlan({ ...loaded, file: 'urls.json' }, options('http://127.0.0.1:9')),
      /replay\.file: "urls\.json" must be an absolute path/,
    );
  });

  it('k6 requests every logged GET path on the target, in order and at the logged pace', async () => {
    const seen: Array<{ path: string; atMs: number; host: string }> = [];
    const server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', atMs: performance.now(), host: req.headers.host ?? '' });
      res.writeHead(req.url === '/cart/' ? 302 : 200, { location: '/elsewhere/' }).end('ok');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const loaded = await replayFile(30); // 270 logged seconds in 9 s, ~33 requests/s
      const plan = buildReplayPlan(loaded, options(baseUrl));
      const planPath = join(dir, 'replay.plan.json');
      await writePlan(planPath, plan);
      const { code, stderr } = await runK6Bounded({
        planPath,
        summaryPath: join(dir, 'replay.summary.json'),
        killAfterMs: KILL_AFTER_MS,
      });
      assert.equal(code, 0, stderr);

      const urls = loaded.replay.urls;
      assert.equal(seen.length, urls.length, 'one request per logged GET, redirects not followed');
      assert.deepEqual(seen.map((s) => s.path).sort(), urls.map((u) => u[1]).sort());
      assert.ok(seen.every((s) => s.host === baseUrl.slice('http://'.length)));
      // The k-th request arrives near the k-th URL's offset (1 s buckets, plus start-up jitter).
      const t0 = seen[0]!.atMs;
      const late = seen.map((s, k) => Math.abs((s.atMs - t0) / 1000 - urls[k]![0]));
      assert.ok(Math.max(...late) < 1.5, `worst pace error ${Math.max(...late).toFixed(2)} s`);
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });
});
