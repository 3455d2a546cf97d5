import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billableRuleEvaluations, lcusForHour } from './alb-lcu.ts';
import { GiB, testBook } from './fixtures/test-book.ts';

const def = testBook().book.albLcu; // 25 new/s, 3 000 active/min, 1 GB/h, 1 000 rule evaluations/s, 10 free rules
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

test('the billed LCUs are the highest dimension, not the sum', () => {
  // 30 new/s (1.2), 1 500 active (0.5), 2 GB (2.0), no paid rules (0): bytes win at 2.0 although
  // the connection counts are the big numbers.
  const h = lcusForHour(
    { newConnections: 30 * 3600, activeConnectionSeconds: 1500 * 3600, processedBytes: 2 * GiB, ruleEvaluations: 0 },
    def,
    GiB,
  );
  assert.equal(h.winner, 'processedBytes');
  close(h.lcus, 2.0);
  close(h.dimensions.newConnections, 1.2);
  close(h.dimensions.activeConnections, 0.5);
  assert.equal(h.dimensions.ruleEvaluations, 0);
});

test('each dimension can win', () => {
  const base = { newConnections: 0, activeConnectionSeconds: 0, processedBytes: 0, ruleEvaluations: 0 };
  assert.equal(lcusForHour({ ...base, newConnections: 50 * 3600 }, def, GiB).winner, 'newConnections');
  assert.equal(lcusForHour({ ...base, activeConnectionSeconds: 3000 * 3600 }, def, GiB).winner, 'activeConnections');
  assert.equal(lcusForHour({ ...base, processedBytes: GiB }, def, GiB).winner, 'processedBytes');
  const rules = lcusForHour({ ...base, newConnections: 25 * 3600, ruleEvaluations: 2000 * 3600 }, def, GiB);
  assert.equal(rules.winner, 'ruleEvaluations');
  close(rules.lcus, 2);
});

test('the first 10 rules of each request are free', () => {
  assert.equal(billableRuleEvaluations(1000, 1, def), 0);
  assert.equal(billableRuleEvaluations(1000, 10, def), 0);
  assert.equal(billableRuleEvaluations(1000, 12, def), 2000);
});

test('traffic in part of an hour is averaged over the whole hour', () => {
  // 25 new/s for 10 minutes only = 15 000 in the hour → 4.17/s → 0.1667 LCU.
  const h = lcusForHour(
    { newConnections: 25 * 600, activeConnectionSeconds: 0, processedBytes: 0, ruleEvaluations: 0 },
    def,
    GiB,
  );
  close(h.lcus, 1 / 6);
});
