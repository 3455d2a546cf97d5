// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// One plan on 1 runner and on 4 local agents against a fake store on 127.0.0.1 (a few seconds of
// load each, bounded by the plan and a kill timer): same total, each runner its segment's share,
// progress agreeing with the record; and one of 4 runners killed mid-run: a partial record that
// keeps the dead runner's chunks.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeBrowsePlan } from './browse-only.ts';
import { fakeStoreAssets, smallCatalogue } from '../../scenarios/test-support/fake-store.ts';
import { useFakeStore } from '../../scenarios/test-support/use-fake-store.ts';
import { readRecord } from '../../reports/record/read-record.ts';
import { runPlan } from '../run-plan.ts';

const catalogue = smallCatalogue(4, 5);
const env = useFakeStore(catalogue, 'rehearse-dist-');

async function planFile(id: string, peakRate: number, durationS: number): Promise<string> {
  // Browse only: a fixed 3 requests per journey, so request counts compare exactly.
  const path = join(env.dir, `${id}.plan.json`);
  await writeBrowsePlan(path, {
    id,
    baseUrl: env.store.baseUrl,
    targetKind: 'local',
    peakRate,
    durationS,
    catalogue,
    assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
  });
  return path;
}

const quiet = () => {};
const fleet = { startDelayMs: 3000, chunkEveryMs: 500, progressEveryMs: 500 };

/**
 * Runs fn with TMPDIR (which the agents inherit) set to a fresh directory under env.dir, and lists
 * the agents' work dirs left there: each agent removes its rehearse-agent-* dir when it ends, except
 * a SIGKILLed one, whose dir then goes with env.dir instead of staying in /tmp. (tsx keeps its
 * compile cache there too: not an agent's.)
 */
async function withAgentTmp<T>(name: string, fn: () => Promise<T>): Promise<{ res: T; left: string[] }> {
  const dir = join(env.dir, `${name}-tmp`);
  await mkdir(dir);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    const res = await fn();
    return { res, left: (await readdir(dir)).filter((n) => n.startsWith('rehearse-agent-')).sort() };
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

describe('distributed runs', () => {
  it('1 runner and 4 runners: same total (±1 %), each runner its segment’s share, progress agrees with the record', async () => {
    const runsDir = join(env.dir, 'runs');
    const one = await runPlan({ planPath: await planFile('one', 30, 6), runsDir, log: quiet });
    const lines: string[] = [];
    const fourPlan = await planFile('four', 30, 6);
    const { res: four, left } = await withAgentTmp('four', () =>
      runPlan({ planPath: fourPlan, runsDir, log: quiet, runners: 4, fleet, onProgress: (l) => lines.push(l) }),
    );
    assert.deepEqual(left, [], 'agents that end normally remove their work dirs');
    assert.ok(one.requests > 400, `1 runner: ${one.requests} requests`);
    assert.ok(
      Math.abs(four.requests / one.requests - 1) <= 0.01,
      `4 runners ${four.requests} vs 1 runner ${one.requests}`,
    );
    assert.deepEqual(four.partial, []);
    const record = await readRecord(four.runDir);
    assert.deepEqual(record.run.runners, ['local-0', 'local-1', 'local-2', 'local-3']);
    assert.deepEqual(record.run.partial, []);
    assert.deepEqual(four.shares!.map((s) => s.segment).sort(), ['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1']);
    const planned = record.run.expectedTotal!;
    for (const s of four.shares!) {
      assert.ok(
        Math.abs(s.starts - planned / 4) <= Math.max(3, (planned / 4) * 0.05),
        `${s.runner} (${s.segment}) ran ${s.starts} journey starts of ~${planned / 4}`,
      );
      const files = record.input.files.filter((f) => f.runner === s.runner);
      assert.ok(files.length >= 2, `${s.runner} streamed its samples in chunks (${files.length})`);
    }
    assert.equal(
      four.shares!.reduce((a, s) => a + s.requests, 0),
      record.totals.requests,
    );
    assert.equal(record.k6Summary.length, 4, 'each runner’s k6 summary reached raw/<runner>/summary.json');
    assert.equal(
      record.k6Summary.reduce((a, s) => a + (s.requests ?? 0), 0),
      record.totals.requests,
      'k6’s own counts agree with the chunks',
    );
    const last = lines.at(-1)!;
    assert.match(
      last,
      /arrivals [\d.]+\/s \(planned [\d.]+\/s\) {2}p95 \d+ms {2}errors 0 \(0\.0%\) {2}requests \d+ {2}runners 0\/4 alive/,
    );
    assert.equal(
      Number(/requests (\d+)/.exec(last)![1]),
      record.totals.requests,
      'the last progress line and the record agree',
    );
    assert.equal(four.lastProgress, last);
  });

  it('a runner killed mid-run: the record is partial, names its segment and share, and keeps its chunks up to the kill', async () => {
    const runsDir = join(env.dir, 'runs');
    const pids = new Map<string, number>();
    let killedAt = 0;
    const planPath = await planFile('killed', 30, 8);
    const { res, left } = await withAgentTmp('killed', () =>
      runPlan({
        planPath,
        runsDir,
        log: quiet,
        runners: 4,
        fleet: {
          ...fleet,
          onAgentStarted: (runner, pid) => {
            pids.set(runner, pid);
            // 3 s into the load: agent and its k6 die together, as a lost machine would.
            if (runner === 'local-1')
              setTimeout(() => {
                killedAt = Date.now();
                process.kill(-pid, 'SIGKILL');
              }, fleet.startDelayMs + 3000);
          },
        },
      }),
    );
    assert.ok(killedAt > 0);
    assert.equal(left.length, 1, `only the killed agent's work dir is left: ${left.join(', ')}`);
    assert.match(left[0], /^rehearse-agent-local-1-/);
    const record = await readRecord(res.runDir);
    assert.equal(record.run.partial!.length, 1, JSON.stringify(record.run.partial));
    const p = record.run.partial![0];
    assert.equal(p.runner, 'local-1');
    assert.match(p.segment, /^\d(\/4)?:\d(\/4)?$/);
    assert.match(
      p.reason,
      /runner was killed \(SIGKILL\) at .*, \d+\.\d s into the run, without finishing; its chunks up to then are kept: ran \d+ requests, \d+ of ~60 planned journey starts \(\d+ %\)/,
    );
    const killedFiles = record.input.files.filter((f) => f.runner === 'local-1');
    const killedSamples = killedFiles.reduce((a, f) => a + f.samples, 0);
    assert.ok(killedSamples > 0, 'the killed runner’s chunks are in the record');
    const share = res.shares!.find((s) => s.runner === 'local-1')!;
    // Some of its share and not all: how many by the kill depends on how fast a busy box started its k6.
    assert.ok(share.starts > 0 && share.starts < 55, `killed after ~3 of 8 s: ${share.starts} of ~60 starts`);
    const others = res.shares!.filter((s) => s.runner !== 'local-1');
    for (const s of others) assert.ok(s.starts >= 54, `${s.runner} ran its whole share: ${s.starts} of ~60`);
    const raw = await readdir(join(res.runDir, 'raw', 'local-1'));
    assert.ok(raw.filter((n) => /^samples\.\d+\.csv$/.test(n)).length >= 1);
    assert.equal(raw.includes('summary.json'), false, 'a killed runner has no summary');
    assert.match(await readFile(join(res.runDir, 'agents', 'local-0.log'), 'utf8'), /claimed segment/);
  });

  it('Ctrl-C (abort) stops every agent and its k6, keeps what arrived, and marks the record interrupted', async () => {
    const runsDir = join(env.dir, 'runs');
    const pids: number[] = [];
    const abort = new AbortController();
    const planPath = await planFile('aborted', 30, 20);
    const { res, left } = await withAgentTmp('aborted', () =>
      runPlan({
        planPath,
        runsDir,
        log: quiet,
        runners: 2,
        signal: abort.signal,
        fleet: {
          ...fleet,
          onAgentStarted: (_r, pid) => {
            pids.push(pid);
            if (pids.length === 2) setTimeout(() => abort.abort(), fleet.startDelayMs + 2500);
          },
        },
      }),
    );
    assert.equal(res.interrupted, true);
    assert.deepEqual(left, [], 'agents stopped by SIGINT remove their work dirs');
    assert.deepEqual(res.partial, [], 'a runner stopped on purpose is interrupted, not failed');
    const alive = pids.filter((pid) => {
      try {
        process.kill(-pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(alive, [], 'no agent or k6 left running');
    const record = await readRecord(res.runDir);
    assert.equal(record.run.interrupted, true);
    assert.ok(
      record.totals.requests > 20 && record.totals.requests < 600,
      `${record.totals.requests} requests of a 20 s plan stopped after ~2.5 s`,
    );
    assert.equal(record.k6Summary.length, 2, 'each k6 stopped cleanly and its summary arrived');
    assert.equal(
      record.k6Summary.reduce((a, s) => a + (s.requests ?? 0), 0),
      record.totals.requests,
    );
  });
});
