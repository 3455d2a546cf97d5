import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { judgeRun } from './verdict.ts';

/** The fixture run with every health figure clean, then `edit` applied. */
async function run(edit: (r: RunRecord) => void = () => {}): Promise<RunRecord> {
  const r = await fixtureRecord();
  r.run.interrupted = false;
  r.run.expectedTotal = r.totals.iterations;
  Object.assign(r.totals, {
    failed: 0,
    errorRate: 0,
    droppedIterations: 0,
    droppedRate: 0,
    checks: { passed: r.totals.checks.passed, failed: 0 },
  });
  for (const j of r.journeys) j.errorRate = 0;
  r.run.generator = {
    maxVUs: 100,
    peakVUs: 40,
    runners: r.run.runners.map((runner) => ({ runner, insufficientVUs: 0, cpuPeak: 0.3, cpuMean: 0.2 })),
  };
  edit(r);
  return r;
}

test('PASS at the limits: 1 % errors and 1 % dropped iterations are still fine, and nothing is untrusted', async () => {
  const v = judgeRun(await run());
  assert.equal(v.status, 'PASS', v.reasons.join('\n'));
  assert.deepEqual(v.untrusted, []);
  const edge = judgeRun(
    await run((r) =>
      Object.assign(r.totals, {
        failed: r.totals.requests / 100,
        errorRate: 0.01,
        droppedIterations: 10,
        droppedRate: 0.01,
      }),
    ),
  );
  assert.equal(edge.status, 'PASS', edge.reasons.join('\n'));
});

test('a partial run (a runner lost) is FAIL, first reason says which segment, and latency is untrusted', async () => {
  const v = judgeRun(
    await run(
      (r) =>
        (r.run.partial = [{ runner: 'runner-3', segment: '2/4:3/4', reason: 'lost at 40 s, 55 % of its share ran' }]),
    ),
  );
  assert.equal(v.status, 'FAIL');
  assert.match(v.reasons[0], /^Partial run: 1 of 4 segment\(s\) did not finish \(runner-3 2\/4:3\/4: lost at 40 s/);
  assert.deepEqual(v.untrusted, [v.reasons[0]]);
});

test('dropped iterations over the limit: FAIL, untrusted, with the count', async () => {
  const v = judgeRun(await run((r) => Object.assign(r.totals, { droppedIterations: 20, droppedRate: 0.02 })));
  assert.equal(v.status, 'FAIL');
  assert.match(
    v.untrusted[0],
    /^Dropped iterations 2\.00 % \(20: arrivals the load generator could not start\) is above 1 %/,
  );
});

test('a short run may lose one start per journey type to k6 starting a VU; more is dropped load', async () => {
  // The fixture has 2 journeys.
  const one = judgeRun(await run((r) => Object.assign(r.totals, { droppedIterations: 2, droppedRate: 2 / 60 })));
  assert.equal(one.status, 'PASS', one.reasons.join('\n'));
  assert.ok(one.reasons.some((x) => /at most one per journey type/.test(x)));
  assert.equal(
    judgeRun(await run((r) => Object.assign(r.totals, { droppedIterations: 3, droppedRate: 3 / 60 }))).status,
    'FAIL',
  );
});

test('a generator out of VUs, or over 85 % of a core: FAIL and says why', async () => {
  const noVus = judgeRun(await run((r) => (r.run.generator!.runners[1].insufficientVUs = 3)));
  assert.equal(noVus.status, 'FAIL');
  assert.match(
    noVus.untrusted[0],
    /load generator was saturated: k6 warned of insufficient VUs 3 time\(s\) \(runner-2\)/,
  );
  const atMax = judgeRun(await run((r) => (r.run.generator!.peakVUs = 100)));
  assert.match(atMax.untrusted[0], /active VUs reached maxVUs \(100 of 100\)/);
  const hot = judgeRun(await run((r) => (r.run.generator!.runners[0].cpuPeak = 0.93)));
  assert.match(hot.untrusted[0], /k6 used more than 85 % of a core \(runner-1 93 %\)/);
  assert.equal(judgeRun(await run((r) => (r.run.generator!.runners[0].cpuPeak = 0.8))).status, 'PASS');
});

test('load short of the plan by more than 10 % is FAIL; within it passes', async () => {
  const short = judgeRun(await run((r) => (r.run.expectedTotal = r.totals.iterations / 0.8)));
  assert.equal(short.status, 'FAIL');
  assert.match(
    short.untrusted[0],
    /^270 of 338 planned journeys ran \(19.41 % short, beyond one per journey type for k6's rounding\); beyond the 10 % tolerance: the store saw less load than planned/,
  );
  assert.equal(judgeRun(await run((r) => (r.run.expectedTotal = r.totals.iterations / 0.95))).status, 'PASS');
});

test('store failures are FAIL but do not make latency untrusted; limits are configurable', async () => {
  const v = judgeRun(await run((r) => Object.assign(r.totals, { failed: 50, errorRate: 0.05 })));
  assert.equal(v.status, 'FAIL');
  assert.deepEqual(v.untrusted, []);
  assert.match(v.reasons[0], /^Error rate 5\.00 %/);
  assert.equal(
    judgeRun(await run((r) => Object.assign(r.totals, { failed: 50, errorRate: 0.05 })), { maxErrorRate: 0.1 }).status,
    'PASS',
  );
  const empty = judgeRun(await run((r) => (r.totals.requests = 0)));
  assert.match(empty.reasons[0], /No requests were recorded/);
});
