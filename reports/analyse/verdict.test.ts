import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunRecord } from '../record/record-schema.ts';
import { judgeRun } from './verdict.ts';

function run(t: { requests: number; failed: number; iterations: number; dropped: number; checksFailed?: number }, interrupted = false): Pick<RunRecord, 'totals' | 'run'> {
  const total = t.iterations + t.dropped;
  return {
    totals: {
      requests: t.requests,
      failed: t.failed,
      errorRate: t.requests > 0 ? t.failed / t.requests : 0,
      iterations: t.iterations,
      droppedIterations: t.dropped,
      droppedRate: total > 0 ? t.dropped / total : 0,
      checks: { passed: 1000 - (t.checksFailed ?? 0), failed: t.checksFailed ?? 0 },
    } as RunRecord['totals'],
    run: { interrupted } as RunRecord['run'],
  };
}

test('PASS at and below the limits: 1 % errors and 1 % dropped iterations are still fine', () => {
  assert.equal(judgeRun(run({ requests: 1000, failed: 0, iterations: 500, dropped: 0 })).status, 'PASS');
  const edge = judgeRun(run({ requests: 1000, failed: 10, iterations: 990, dropped: 10 }));
  assert.equal(edge.status, 'PASS');
  assert.equal(edge.reasons.length, 3);
  assert.match(edge.rule, /error rate is at most 1 %.*at most 1 % of checks failed.*at most 1 % of iterations were dropped/);
});

test('ATTENTION above 1 % errors, with the numbers in the reason', () => {
  const v = judgeRun(run({ requests: 1000, failed: 11, iterations: 500, dropped: 0 }));
  assert.equal(v.status, 'ATTENTION');
  assert.deepEqual(v.reasons, ['Error rate 1.10 % (11 of 1000 requests failed) is above 1 %.']);
});

test('ATTENTION above 1 % dropped iterations, saying what it means', () => {
  const v = judgeRun(run({ requests: 1000, failed: 0, iterations: 980, dropped: 20 }));
  assert.equal(v.status, 'ATTENTION');
  assert.equal(v.reasons.length, 1);
  assert.match(v.reasons[0], /^2\.00 % of iterations were dropped \(20\).*less load than planned/);
});

test('ATTENTION when pages answer 200 but checks on their content fail', () => {
  const v = judgeRun(run({ requests: 1000, failed: 0, iterations: 500, dropped: 0, checksFailed: 333 }));
  assert.equal(v.status, 'ATTENTION');
  assert.deepEqual(v.reasons, ['33.30 % of checks failed (333 of 1000), above 1 %: pages answered but not with the content expected.']);
  assert.equal(judgeRun(run({ requests: 1000, failed: 0, iterations: 500, dropped: 0, checksFailed: 10 })).status, 'PASS');
});

test('every failing condition is listed; no requests or an interrupted run also need attention', () => {
  assert.equal(judgeRun(run({ requests: 100, failed: 50, iterations: 10, dropped: 10 })).reasons.length, 2);
  const empty = judgeRun(run({ requests: 0, failed: 0, iterations: 0, dropped: 0 }));
  assert.equal(empty.status, 'ATTENTION');
  assert.match(empty.reasons[0], /No requests were recorded/);
  const cut = judgeRun(run({ requests: 1000, failed: 0, iterations: 500, dropped: 0 }, true));
  assert.equal(cut.status, 'ATTENTION');
  assert.match(cut.reasons[0], /interrupted/);
});

test('limits are parameters, so a gate can tighten them', () => {
  const r = run({ requests: 1000, failed: 5, iterations: 500, dropped: 0 });
  assert.equal(judgeRun(r).status, 'PASS');
  assert.equal(judgeRun(r, { maxErrorRate: 0.001, maxDroppedRate: 0, maxCheckFailRate: 0 }).status, 'ATTENTION');
});
