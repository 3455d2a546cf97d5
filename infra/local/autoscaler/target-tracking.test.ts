import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluatePeriod, reconcile, unhealthyActions, type Policy, type TrackedInstance, type TrackerState } from './target-tracking.ts';

const policy: Policy = { policyName: 'p', target: 50, min: 1, max: 6, highPeriods: 3, lowPeriods: 5, lowThresholdFactor: 0.9, scaleInStep: 1, warmupS: 0 };
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0) / 1000;

function group(n: number, extra: Partial<TrackedInstance>[] = []): TrackedInstance[] {
  const base = Array.from({ length: n }, (_, i) => ({ id: `app-${i}`, state: 'inService' as const, launchedAt: T0 - 600, inServiceAt: T0 - 500, healthy: true }));
  return [...base, ...extra.map((e, k) => ({ id: `new-${k}`, state: 'pending' as const, launchedAt: T0, healthy: true, ...e }))];
}
const all = (instances: TrackedInstance[], v: number) => Object.fromEntries(instances.map((i) => [i.id, v]));

/** Runs `periods` evaluations 60 s apart (a simulated clock) with one metric for everybody. */
function run(state: TrackerState, instances: TrackedInstance[], v: number, periods: number, p = policy) {
  let r = evaluatePeriod(p, 'g', state, T0, instances, all(instances, v));
  for (let k = 1; k < periods; k++) r = evaluatePeriod(p, 'g', r.state, T0 + 60 * k, instances, all(instances, v));
  return r;
}

test('scale-out adds ceil(current × metric / target) − current after highPeriods breaching periods', () => {
  const g = group(2);
  const s = { desired: 2, highStreak: 0, lowStreak: 0 };
  assert.equal(run(s, g, 90, 2).change, undefined, 'two periods are not enough');
  const r = run(s, g, 90, 3);
  assert.equal(r.metric, 90);
  assert.equal(r.alarm, 'AlarmHigh');
  assert.deepEqual({ from: r.change!.from, to: r.change!.to }, { from: 2, to: 4 }); // ceil(2 × 90 / 50) = 4
  assert.match(r.change!.cause, /^At 2026-11-25T10:02:00Z a monitor alarm TargetTracking-g-AlarmHigh in state ALARM triggered policy p changing the desired capacity from 2 to 4\.$/);
  // 3 × 51 / 50 = 3.06 → 4
  assert.equal(run({ desired: 3, highStreak: 0, lowStreak: 0 }, group(3), 51, 3).change?.to, 4);
  // A dip below target breaks the streak.
  let st = run(s, g, 90, 2).state;
  st = evaluatePeriod(policy, 'g', st, T0 + 120, g, all(g, 40)).state;
  assert.equal(evaluatePeriod(policy, 'g', st, T0 + 180, g, all(g, 90)).change, undefined);
});

test('no scale-in before lowPeriods consecutive low periods, then one step at a time', () => {
  const g = group(4);
  const s = { desired: 4, highStreak: 0, lowStreak: 0 };
  assert.equal(run(s, g, 10, 4).change, undefined);
  const r = run(s, g, 10, 5);
  assert.equal(r.alarm, 'AlarmLow');
  assert.deepEqual([r.change!.from, r.change!.to], [4, 3]); // proportional would be 1: one step only
  assert.match(r.change!.cause, /AlarmLow in state ALARM triggered policy p changing the desired capacity from 4 to 3/);
  assert.equal(r.state.lowStreak, 0, 'the next step needs lowPeriods more');
  // Between target × 0.9 and target: no alarm either way.
  assert.equal(run(s, g, 47, 20).change, undefined);
});

test('pending and warming instances do not count in the metric, and block scale-in', () => {
  const g = group(2, [{}]);
  const r = evaluatePeriod(policy, 'g', { desired: 3, highStreak: 0, lowStreak: 0 }, T0, g, { 'app-0': 80, 'app-1': 60, 'new-0': 0 });
  assert.equal(r.metric, 70);
  assert.deepEqual(r.counted, ['app-0', 'app-1']);
  // In service but warming (warm-up 120 s): still excluded.
  const warm = { ...policy, warmupS: 120 };
  const g2 = group(2, [{ state: 'inService', inServiceAt: T0 - 30 }]);
  assert.deepEqual(evaluatePeriod(warm, 'g', { desired: 3, highStreak: 0, lowStreak: 0 }, T0, g2, all(g2, 5)).counted, ['app-0', 'app-1']);
  assert.equal(run({ desired: 3, highStreak: 0, lowStreak: 0 }, group(2, [{}]), 5, 10).change, undefined, 'no scale-in while one is pending');
  // Pending capacity counts: a breach asking for 3 while 3 exist (one pending) launches nothing more.
  assert.equal(run({ desired: 3, highStreak: 0, lowStreak: 0 }, group(2, [{}]), 70, 3).change, undefined);
  // No instance counted: insufficient data, streaks restart.
  const none = evaluatePeriod(policy, 'g', { desired: 1, highStreak: 2, lowStreak: 2 }, T0, group(0, [{}]), {});
  assert.equal(none.metric, undefined);
  assert.deepEqual(none.state, { desired: 1, highStreak: 0, lowStreak: 0 });
});

test('desired stays within min and max', () => {
  assert.equal(run({ desired: 4, highStreak: 0, lowStreak: 0 }, group(4), 100, 3).change?.to, 6); // 8 → max 6
  assert.equal(run({ desired: 6, highStreak: 0, lowStreak: 0 }, group(6), 100, 3).change, undefined, 'at max: nothing');
  assert.equal(run({ desired: 1, highStreak: 0, lowStreak: 0 }, group(1), 1, 30).change, undefined, 'at min: nothing');
  // Reconcile: below min launches up to min even with desired 0.
  assert.deepEqual(reconcile(policy, 0, T0, []).map((a) => a.type === 'launch' && a.count), [1]);
});

test('reconcile launches and terminates to reach desired, with AWS-style causes', () => {
  const [launch] = reconcile(policy, 4, T0, group(2), 'At X alarm.');
  assert.equal(launch!.type, 'launch');
  assert.equal(launch!.type === 'launch' && launch!.count, 2);
  assert.match(launch!.cause, /^At X alarm\. {2}At 2026-11-25T10:00:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 4\.$/);
  const g = group(3);
  g[2]!.launchedAt = T0 - 100; // the newest
  const [term] = reconcile(policy, 2, T0, g);
  assert.ok(term!.type === 'terminate');
  assert.deepEqual(term.type === 'terminate' && term.ids, ['app-2']);
  assert.match(term!.cause, /shrinking the capacity from 3 to 2\. {2}At .* instance app-2 was selected for termination\./);
  assert.deepEqual(reconcile(policy, 2, T0, group(2)), []);
});

test('an unhealthy in-service instance is taken out and replaced, desired unchanged', () => {
  const g = group(2);
  g[1]!.healthy = false;
  const [out] = unhealthyActions(T0, g);
  assert.deepEqual(out!.type === 'terminate' && [out!.ids, out!.reason], [['app-1'], 'unhealthy']);
  assert.match(out!.cause, /taken out of service in response to an ELB system health check failure/);
  // Once it is terminated, reconcile starts a replacement.
  g[1]!.state = 'terminated';
  const [again] = reconcile(policy, 2, T0 + 5, g, '', true);
  assert.equal(again!.type === 'launch' && again!.count, 1);
  assert.match(again!.cause, /unhealthy instance \(failed ELB health check\) needing to be replaced, increasing the capacity from 1 to 2/);
  // Pending instances are not judged by health (they are not in service yet).
  assert.deepEqual(unhealthyActions(T0, group(1, [{ healthy: false }])), []);
});
