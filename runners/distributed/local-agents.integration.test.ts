// test lane: beside (no replica; mostly waits on timers and a fake store)
// Local agents boot before the start time is fixed: agents slower to boot than the start delay
// still claim and run every segment; one that dies or hangs while booting fails the run with its
// name and last words, and none is left running; Ctrl-C while they boot stops them all. Slow and
// failing boots are made by a module each agent imports first (NODE_OPTIONS), never by the code
// under test. The one run is bounded (4 s of load on a fake store on 127.0.0.1).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RunError } from '../../errors/errors.ts';
import { fakeStoreAssets, smallCatalogue } from '../../scenarios/test-support/fake-store.ts';
import { useFakeStore } from '../../scenarios/test-support/use-fake-store.ts';
import { saveEnv } from '../../test-support/env.ts';
import { readRecord } from '../../reports/record/read-record.ts';
import { DirStore } from '../store/dir-store.ts';
import { runPlan } from '../run-plan.ts';
import { writeBrowsePlan } from './browse-only.ts';
import { LocalAgents } from './local-agents.ts';

const catalogue = smallCatalogue(4, 5);
const env = useFakeStore(catalogue, 'rehearse-local-agents-');

/**
 * Runs fn with every agent process importing a module first that blocks for bootMs, or makes the
 * agent named failRunner exit with code 7 and a last word, as a crash on start-up would.
 */
async function withAgentBoot<T>(o: { bootMs: number; failRunner?: string }, fn: () => Promise<T>): Promise<T> {
  const module = join(env.dir, 'agent-boot.mjs');
  await writeFile(
    module,
    `if (process.argv.some((a) => a.endsWith('agent-main.ts'))) {
  if (${JSON.stringify(o.failRunner ?? null)} !== null && process.argv.includes(${JSON.stringify(o.failRunner ?? '')})) {
    console.error('agent: cannot start (made to fail by the test)');
    process.exit(7);
  }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${o.bootMs});
}
`,
  );
  const restore = saveEnv();
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${module}`.trim();
  try {
    return await fn();
  } finally {
    restore();
  }
}

function agents(name: string, bootTimeoutMs?: number): LocalAgents {
  const work = join(env.dir, name);
  return new LocalAgents({ runners: 2, work, store: new DirStore(join(work, 'store')), bootTimeoutMs });
}

describe('local agents boot before the start time is fixed', () => {
  it('agents 2.5 s slow to boot, with a start 0.5 s after the manifest: every segment is claimed and run whole', async () => {
    const planPath = join(env.dir, 'slow-boot.plan.json');
    await writeBrowsePlan(planPath, {
      id: 'slow-boot',
      baseUrl: env.store.baseUrl,
      targetKind: 'local',
      peakRate: 20,
      durationS: 4,
      catalogue,
      assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
    });
    const res = await withAgentBoot({ bootMs: 2500 }, () =>
      runPlan({
        planPath,
        runsDir: join(env.dir, 'runs'),
        log: () => {},
        runners: 2,
        fleet: { startDelayMs: 500, chunkEveryMs: 500, progressEveryMs: 500 },
      }),
    );
    assert.deepEqual(res.partial, [], JSON.stringify(res.partial));
    const record = await readRecord(res.runDir);
    const planned = record.run.expectedTotal!;
    assert.deepEqual(res.shares!.map((s) => s.segment).sort(), ['0:1/2', '1/2:1']);
    for (const s of res.shares!)
      assert.ok(Math.abs(s.starts - planned / 2) <= 3, `${s.runner} ran ${s.starts} journey starts of ~${planned / 2}`);
  });

  it('an agent that dies while booting: the run fails naming it and its last words, and no agent is left', async () => {
    const launcher = agents('dies');
    await withAgentBoot({ bootMs: 1000, failRunner: 'local-1' }, async () => {
      await assert.rejects(launcher.prepare(), (err: Error) => {
        assert.ok(err instanceof RunError, String(err));
        assert.match(err.message, /^agent local-1 exited while starting \(code 7\): .*made to fail by the test/);
        return true;
      });
    });
    assert.deepEqual([...launcher.exits.keys()].sort(), ['local-0', 'local-1'], 'both agents have exited');
  });

  it('agents that do not boot within the boot timeout: the run fails saying which and why, and no agent is left', async () => {
    const launcher = agents('hangs', 1500);
    await withAgentBoot({ bootMs: 20_000 }, async () => {
      await assert.rejects(
        launcher.prepare(),
        /^RunError: 2 of 2 local agents \(local-0, local-1\) did not start within 1\.5 s: the machine is too busy/,
      );
    });
    assert.deepEqual([...launcher.exits.keys()].sort(), ['local-0', 'local-1'], 'both agents have exited');
  });

  it('Ctrl-C while the agents boot: prepare returns and every agent has exited', async () => {
    const launcher = agents('ctrl-c');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    await withAgentBoot({ bootMs: 3000 }, () => launcher.prepare(abort.signal));
    assert.deepEqual([...launcher.exits.keys()].sort(), ['local-0', 'local-1'], 'both agents have exited');
  });
});
