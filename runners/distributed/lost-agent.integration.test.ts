// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// Load is always counted: agents SIGKILLed mid-run (the agent process alone, as the OOM killer or
// a crash would, not its group) leave no k6 behind, and after the kill and a short grace no
// request reaches the store; the same when `rehearse run` itself (one k6, or the controller of two
// agents) is SIGKILLed. A fake store on 127.0.0.1 counts the requests; the plans are bounded (20 s), and
// each run ends by itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { fakeStoreAssets, smallCatalogue } from '../../scenarios/test-support/fake-store.ts';
import { useFakeStore } from '../../scenarios/test-support/use-fake-store.ts';
import { readRecord } from '../../reports/record/read-record.ts';
import { runPlan } from '../run-plan.ts';
import { writeBrowsePlan } from './browse-only.ts';

const catalogue = smallCatalogue(4, 5);
const env = useFakeStore(catalogue, 'rehearse-lost-agent-');

const served = () => Object.values(env.store.hits).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Processes whose command line mentions dir (the agents' k6 run on plan copies under it). */
async function processesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat === '' || stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
    if (cmd.includes(dir)) found.push(`${pid}: ${cmd.replace(/\0/g, ' ').slice(0, 160)}`);
  }
  return found;
}

describe('a lost agent', () => {
  it('SIGKILL of the agents: no k6 of the run is left and no request reaches the store after the kill + 1.5 s', async () => {
    const planPath = join(env.dir, 'lost.plan.json');
    await writeBrowsePlan(planPath, {
      id: 'lost',
      baseUrl: env.store.baseUrl,
      targetKind: 'local',
      peakRate: 20,
      durationS: 20,
      catalogue,
      assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
    });
    // The agents inherit TMPDIR: their plan copies, and so their k6 command lines, are under it.
    const tmp = join(env.dir, 'agents-tmp');
    await mkdir(tmp);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    const startDelayMs = 3000;
    const pids: number[] = [];
    let killedAt = 0;
    let k6BeforeKill: string[] = [];
    let servedBeforeKill = 0;
    let res;
    try {
      res = await runPlan({
        planPath,
        runsDir: join(env.dir, 'runs'),
        log: () => {},
        runners: 2,
        fleet: {
          startDelayMs,
          chunkEveryMs: 500,
          progressEveryMs: 500,
          onAgentStarted: (_runner, pid) => {
            pids.push(pid);
            if (pids.length < 2) return;
            setTimeout(async () => {
              k6BeforeKill = await processesUnder(tmp);
              servedBeforeKill = served();
              killedAt = Date.now();
              for (const p of pids) process.kill(p, 'SIGKILL'); // the agent only: its k6 is not signalled
            }, startDelayMs + 3000);
          },
        },
      });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    assert.ok(killedAt > 0, 'the agents were killed');
    assert.equal(
      k6BeforeKill.filter((p) => / run /.test(p)).length,
      2,
      `both k6 ran before the kill: ${k6BeforeKill.join('; ')}`,
    );
    assert.ok(servedBeforeKill > 20, `load reached the store before the kill (${servedBeforeKill} requests)`);
    await sleep(Math.max(0, killedAt + 1500 - Date.now()));
    const afterGrace = served();
    assert.deepEqual(await processesUnder(tmp), [], 'no process of the run is left');
    await sleep(3000);
    assert.equal(served() - afterGrace, 0, 'no request reached the store after the kill + 1.5 s');
    const record = await readRecord(res.runDir);
    assert.deepEqual(record.run.partial!.map((p) => p.runner).sort(), ['local-0', 'local-1']);
    for (const p of record.run.partial!) assert.match(p.reason, /killed \(SIGKILL\)/);
  });

  for (const runners of [1, 2]) {
    it(`SIGKILL of \`rehearse run --runners ${runners}\`: its agents and k6 go with it, and no request reaches the store after 1.5 s`, async () => {
      const tmp = join(env.dir, `controller-${runners}-tmp`);
      await mkdir(tmp);
      const planPath = join(tmp, 'controller.plan.json');
      await writeBrowsePlan(planPath, {
        id: `controller-${runners}`,
        baseUrl: env.store.baseUrl,
        targetKind: 'url',
        peakRate: 20,
        durationS: 20,
        catalogue,
        assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
      });
      const bin = fileURLToPath(new URL('../../bin/rehearse.mjs', import.meta.url));
      // Runs directory and agent temp dirs under tmp: every process of this run names it.
      const cli = spawn(
        process.execPath,
        [bin, 'run', '--plan', planPath, '--runs-dir', join(tmp, 'runs'), '--runners', String(runners)],
        {
          env: { ...process.env, TMPDIR: tmp },
          stdio: 'ignore',
        },
      );
      const exited = new Promise((done) => cli.on('exit', done));
      const before = served();
      // Bounded: the load starts ~5 s after the agents (boot budget); give up after 60 s.
      const until = Date.now() + 60_000;
      while (served() - before < 40 && Date.now() < until) await sleep(200);
      assert.ok(served() - before >= 40, 'the run loaded the store');
      const running = await processesUnder(tmp);
      assert.equal(
        running.filter((p) => / run /.test(p) && p.includes('REHEARSE_PLAN')).length,
        runners,
        `one k6 per runner: ${running.join('; ')}`,
      );
      cli.kill('SIGKILL');
      await exited;
      await sleep(1500);
      const afterGrace = served();
      assert.deepEqual(await processesUnder(tmp), [], 'no agent or k6 of the run is left');
      await sleep(3000);
      assert.equal(served() - afterGrace, 0, 'no request reached the store after the kill + 1.5 s');
    });
  }
});
