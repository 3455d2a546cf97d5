import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decide,
  evaluatePeriod,
  initialState,
  reconcile,
  unhealthyActions,
  type Group,
  type PeriodMetrics,
  type TrackedInstance,
  type TrackerState,
} from './target-tracking.ts';

const cpu = { name: 'cpu-tt', metric: 'cpu' as const, target: 50, disableScaleIn: false };
const rpt = { name: 'req-tt', metric: 'requestsPerTarget' as const, target: 50, disableScaleIn: false };
const group: Group = {
  name: 'g',
  policies: [cpu],
  min: 1,
  max: 6,
  highPeriods: 3,
  lowPeriods: 5,
  lowThresholdFactor: 0.9,
  scaleInStep: 1,
  warmupS: 0,
  replaceUnhealthy: true,
  replaceUnhealthyPercent: 10,
};
const twoPolicies: Group = { ...group, policies: [cpu, rpt] };
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0) / 1000;

function fleet(n: number, extra: Partial<TrackedInstance>[] = []): TrackedInstance[] {
  const base = Array.from({ length: n }, (_, i) => ({
    id: `app-${i}`,
    state: 'inService' as const,
    launchedAt: T0 - 600 + i,
    inServiceAt: T0 - 500,
    healthy: true,
  }));
  return [
    ...base,
    ...extra.map((e, k) => ({ id: `new-${k}`, state: 'pending' as const, launchedAt: T0, healthy: true, ...e })),
  ];
}
const all = (instances: TrackedInstance[], v: number) => Object.fromEntries(instances.map((i) => [i.id, v]));
const st = (desired: number): TrackerState => initialState(desired);

/** Runs `periods` evaluations 60 s apart (a simulated clock) with one value per metric for everybody. */
function run(
  g: Group,
  state: TrackerState,
  instances: TrackedInstance[],
  v: { cpu?: number; rpt?: number },
  periods: number,
) {
  const m: PeriodMetrics = {
    ...(v.cpu !== undefined ? { cpu: all(instances, v.cpu) } : {}),
    ...(v.rpt !== undefined ? { requestsPerTarget: all(instances, v.rpt) } : {}),
  };
  const results = [];
  let s = state;
  for (let k = 0; k < periods; k++) {
    const r = evaluatePeriod(g, s, T0 + 60 * k, instances, m);
    results.push(r);
    s = r.state;
  }
  return results;
}
const last = <T>(xs: T[]) => xs[xs.length - 1]!;

test('scale-out sets ceil(counted × metric / target) after highPeriods breaching datapoints', () => {
  const g = fleet(2);
  assert.equal(last(run(group, st(2), g, { cpu: 90 }, 2)).change, undefined, 'two datapoints are not enough');
  const r = last(run(group, st(2), g, { cpu: 90 }, 3));
  assert.equal(r.policies[0]!.metric, 90);
  assert.equal(r.policies[0]!.alarm, 'AlarmHigh');
  assert.deepEqual([r.change!.from, r.change!.to], [2, 4]); // ceil(2 × 90 / 50) = 4
  assert.equal(
    r.change!.cause,
    'At 2026-11-25T10:02:00Z a monitor alarm TargetTracking-g-AlarmHigh-cpu-tt in state ALARM ' +
      'triggered policy cpu-tt changing the desired capacity from 2 to 4.',
  );
  assert.equal(last(run(group, st(3), fleet(3), { cpu: 51 }, 3)).change?.to, 4); // 3 × 51 / 50 = 3.06 → 4
  // A dip below target breaks the streak.
  const dip = [...run(group, st(2), g, { cpu: 90 }, 2)];
  const s1 = evaluatePeriod(group, last(dip).state, T0 + 120, g, { cpu: all(g, 40) }).state;
  assert.equal(evaluatePeriod(group, s1, T0 + 180, g, { cpu: all(g, 90) }).change, undefined);
});

test('AlarmLow in ALARM is re-invoked every period: one step per period, not one per lowPeriods', () => {
  const rs = run(group, st(4), fleet(4), { cpu: 10 }, 9);
  const changes = rs.map((r, k) => (r.change ? `${k}:${r.change.from}->${r.change.to}` : '')).filter(Boolean);
  // Datapoint 5 (index 4) puts AlarmLow in ALARM; each later period invokes the policy again.
  assert.deepEqual(changes, ['4:4->3', '5:3->2', '6:2->1']);
  assert.equal(rs[4]!.policies[0]!.alarm, 'AlarmLow');
  assert.match(
    rs[4]!.change!.cause,
    /AlarmLow-cpu-tt in state ALARM triggered policy cpu-tt changing the desired capacity from 4 to 3/,
  );
  assert.equal(rs[5]!.state.streaks['cpu-tt']!.low, 6, 'the streak is not reset by a step');
  // Never below what the metric needs: 4 × 40 / 50 = 3.2 → 4, even with AlarmLow (40 < 45).
  assert.equal(last(run(group, st(4), fleet(4), { cpu: 40 }, 20)).state.desired, 4);
  // Between target × 0.9 and target: no alarm either way.
  assert.ok(run(group, st(4), fleet(4), { cpu: 47 }, 20).every((r) => !r.change && !r.policies[0]!.alarm));
});

test('pending and warming instances do not count in the metric, count as capacity, and hold scale-in', () => {
  const g = fleet(2, [{}]);
  const r = evaluatePeriod(group, st(3), T0, g, { cpu: { 'app-0': 80, 'app-1': 60, 'new-0': 0 } });
  assert.equal(r.policies[0]!.metric, 70);
  assert.deepEqual(r.policies[0]!.counted, ['app-0', 'app-1']);
  // In service but warming (warm-up 120 s): still excluded.
  const warm = { ...group, warmupS: 120 };
  const g2 = fleet(2, [{ state: 'inService', inServiceAt: T0 - 30 }]);
  assert.deepEqual(evaluatePeriod(warm, st(3), T0, g2, { cpu: all(g2, 5) }).policies[0]!.counted, ['app-0', 'app-1']);
  const held = run(group, st(3), fleet(2, [{}]), { cpu: 5 }, 10);
  assert.ok(
    held.every((x) => !x.change),
    'no scale-in while one is pending',
  );
  assert.equal(last(held).held, 'an instance is pending or warming up');
  // Pending capacity counts: a breach asking for 3 while 3 exist (one pending) launches nothing more.
  assert.equal(last(run(group, st(3), fleet(2, [{}]), { cpu: 70 }, 3)).change, undefined);
  // No instance counted: insufficient data, streaks restart.
  const none = evaluatePeriod(group, { ...st(1), streaks: { 'cpu-tt': { high: 2, low: 2 } } }, T0, fleet(0, [{}]), {});
  assert.equal(none.policies[0]!.metric, undefined);
  assert.deepEqual(none.state.streaks['cpu-tt'], { high: 0, low: 0 });
});

test('two policies: out when either asks (the larger wins), in only when both agree', () => {
  const g = fleet(4);
  // CPU low, requests per target high (above target): scale out, never in.
  const out = run(twoPolicies, st(4), g, { cpu: 10, rpt: 60 }, 20);
  assert.deepEqual(
    out.filter((r) => r.change).map((r) => [r.change!.to, r.change!.policy]),
    [[5, 'req-tt']],
  ); // ceil(4 × 60 / 50)
  // CPU low, requests per target high but under target (48 ≥ 45): no alarm on requests → no scale-in at all.
  const hold = run(twoPolicies, st(4), g, { cpu: 10, rpt: 48 }, 30);
  assert.ok(hold.every((r) => r.change === undefined));
  assert.ok(hold.slice(4).every((r) => r.policies[0]!.alarm === 'AlarmLow' && r.policies[1]!.alarm === undefined));
  // Both high: the larger capacity wins.
  const both = last(run(twoPolicies, st(2), fleet(2), { cpu: 60, rpt: 150 }, 3));
  assert.deepEqual([both.change!.to, both.change!.policy], [6, 'req-tt']); // max(ceil(2.4), ceil(6))
  // Both low: scale-in, named after the first policy; a policy with scale-in disabled has no say.
  const bothLow = run(twoPolicies, st(4), g, { cpu: 10, rpt: 5 }, 5);
  assert.equal(last(bothLow).change?.to, 3);
  const noVote = { ...twoPolicies, policies: [cpu, { ...rpt, disableScaleIn: true }] };
  assert.equal(last(run(noVote, st(4), g, { cpu: 10, rpt: 48 }, 5)).change?.to, 3);
  const neither = {
    ...twoPolicies,
    policies: [
      { ...cpu, disableScaleIn: true },
      { ...rpt, disableScaleIn: true },
    ],
  };
  assert.ok(run(neither, st(4), g, { cpu: 1, rpt: 1 }, 20).every((r) => !r.change));
});

test('desired stays within min and max', () => {
  assert.equal(last(run(group, st(4), fleet(4), { cpu: 100 }, 3)).change?.to, 6); // 8 → max 6
  assert.ok(
    run(group, st(6), fleet(6), { cpu: 100 }, 3).every((r) => !r.change),
    'at max: nothing',
  );
  assert.ok(
    run(group, st(1), fleet(1), { cpu: 1 }, 30).every((r) => !r.change),
    'at min: nothing',
  );
  // Reconcile: below min launches up to min even with desired 0.
  assert.deepEqual(
    reconcile(group, 0, T0, []).map((a) => a.type === 'launch' && a.count),
    [1],
  );
});

test('reconcile launches and terminates to reach desired; scale-in spares pending and protected instances', () => {
  const [launch] = reconcile(group, 4, T0, fleet(2), 'At X alarm.');
  assert.ok(launch!.type === 'launch');
  assert.equal(launch.count, 2);
  assert.equal(launch.replacement, false);
  assert.match(
    launch.cause,
    new RegExp(
      '^At X alarm\\. {2}At 2026-11-25T10:00:00Z an instance was started in response to a difference between ' +
        'desired and actual capacity, increasing the capacity from 2 to 4\\.$',
    ),
  );
  const [term] = reconcile(group, 2, T0, fleet(3));
  assert.ok(term!.type === 'terminate');
  assert.deepEqual(term.ids, ['app-2'], 'the newest in service');
  assert.match(
    term.cause,
    /shrinking the capacity from 3 to 2\. {2}At .* instance app-2 was selected for termination\./,
  );
  assert.deepEqual(reconcile(group, 2, T0, fleet(2)), []);
  // A pending instance finishes its launch (an in-service one goes); protected ones are never selected.
  assert.deepEqual(
    reconcile(group, 2, T0, fleet(2, [{}])).map((a) => a.type === 'terminate' && a.ids),
    [['app-1']],
  );
  assert.deepEqual(reconcile(group, 0, T0, fleet(0, [{}, {}])), []);
  const prot = fleet(3).map((i) => ({ ...i, protectedFromScaleIn: i.id !== 'app-0' }));
  const [p] = reconcile(group, 1, T0, prot);
  assert.ok(p!.type === 'terminate');
  assert.deepEqual(p.ids, ['app-0']);
  assert.deepEqual(
    reconcile(
      group,
      1,
      T0,
      fleet(3).map((i) => ({ ...i, protectedFromScaleIn: true })),
    ),
    [],
  );
});

test('unhealthy instances go a bounded batch at a time, the replacement starting while the old one drains', () => {
  const g = fleet(10);
  for (const i of g.slice(2, 6)) i.healthy = false;
  const [out] = unhealthyActions(group, 10, T0, g);
  assert.ok(out!.type === 'terminate');
  assert.deepEqual([out.ids, out.reason], [['app-2'], 'unhealthy'], '10 % of 10: one at a time, oldest first');
  assert.match(out.cause, /taken out of service in response to an ELB system health check failure/);
  assert.deepEqual(
    (unhealthyActions(group, 20, T0, g)[0] as { ids: string[] }).ids,
    ['app-2', 'app-3'],
    '10 % of 20: two',
  );
  assert.deepEqual(unhealthyActions({ ...group, replaceUnhealthy: false }, 10, T0, g), []);
  // decide(): out and a replacement in the same tick, desired unchanged.
  const d = decide({ ...group, max: 20 }, st(10), T0, g);
  assert.deepEqual(
    d.actions.map((a) => a.type),
    ['terminate', 'launch'],
  );
  const launch = d.actions[1]!;
  assert.ok(launch.type === 'launch');
  assert.deepEqual([launch.count, launch.replacement, d.state.desired, d.state.replacementsOwed], [1, true, 10, 0]);
  assert.match(
    launch.cause,
    /unhealthy instance \(failed ELB health check\) needing to be replaced, increasing the capacity from 9 to 10/,
  );
  // While that one drains or its replacement boots or warms up, no further instance is taken out.
  const warmG = { ...group, warmupS: 100 };
  const next = g.map((i) =>
    i.id === 'app-2' ? { ...i, state: 'draining' as const, terminating: 'unhealthy' as const } : i,
  );
  next.push({ id: 'rep-0', state: 'pending', launchedAt: T0, healthy: true, replacement: true });
  assert.deepEqual(unhealthyActions(warmG, 10, T0 + 5, next), []);
  const drained = next.map((i) =>
    i.id === 'app-2'
      ? { ...i, state: 'terminated' as const }
      : i.id === 'rep-0'
        ? { ...i, state: 'inService' as const, inServiceAt: T0 + 60 }
        : i,
  );
  assert.deepEqual(unhealthyActions(warmG, 10, T0 + 100, drained), [], 'replacement still warming');
  assert.deepEqual((unhealthyActions(warmG, 10, T0 + 160, drained)[0] as { ids: string[] }).ids, ['app-3']);
  // Scale-in protection does not protect from health-check replacement.
  const prot = fleet(2).map((i) => ({ ...i, protectedFromScaleIn: true, healthy: i.id !== 'app-1' }));
  assert.deepEqual((unhealthyActions(group, 2, T0, prot)[0] as { ids: string[] }).ids, ['app-1']);
  // Pending instances are not judged by health (they are not in service yet).
  assert.deepEqual(unhealthyActions(group, 1, T0, fleet(0, [{ healthy: false }])), []);
});
