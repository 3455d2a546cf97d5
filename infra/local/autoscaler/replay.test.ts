// Replays metric series through the controller's decision core on a simulated clock and compares
// the actions and their times with timelines worked out by hand from AWS's rules (CONFORMANCE.md):
// 1-minute datapoints, AlarmHigh after 3, AlarmLow after 15, alarm actions re-invoked every minute
// while in ALARM, warm-up 180 s, ~90 s to in service, 30 s deregistration delay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AWS_GROUP, COMPRESSION, compressTime } from '../scaling-presets.ts';
import { replay, type ReplayEvent } from './replay.ts';
import type { AutoscalingInput } from './settings.ts';

const cpuOnly: AutoscalingInput = { ...AWS_GROUP, policies: [AWS_GROUP.policies[0]], min: 1, max: 6 };
const both: AutoscalingInput = { ...AWS_GROUP, min: 1, max: 6 };

const desired = (ev: ReplayEvent[]) => ev.flatMap((e) => (e.kind === 'desired' ? [`${e.t} ${e.from}->${e.to}`] : []));
const of = (ev: ReplayEvent[], kind: ReplayEvent['kind']) =>
  ev.filter((e) => e.kind === kind).map((e) => `${e.t} ${'id' in e ? e.id : ''}`);

test('a long low period: AlarmLow at the 15th datapoint, then a step per minute (re-invoked), drained 30 s', () => {
  const ev = replay({ settings: cpuOnly, instances: 4, durationS: 3600, metrics: () => ({ cpu: 10 }) });
  // AWS: 15 datapoints below 45 % → ALARM at 15:00 → 4→3; re-invoked at 16:00 → 3→2; 17:00 → 2→1 (min).
  // (With the streak reset after each step it would have been 15:00, 30:00, 45:00.)
  assert.deepEqual(desired(ev), ['900 4->3', '960 3->2', '1020 2->1']);
  assert.deepEqual(of(ev, 'terminate'), ['900 i-3', '960 i-2', '1020 i-1']);
  assert.deepEqual(of(ev, 'terminated'), ['930 i-3', '990 i-2', '1050 i-1']);
  assert.deepEqual(of(ev, 'launch'), []);
});

test('a long high period: out at the 3rd datapoint, re-invoked each minute, out again once warm', () => {
  // 220 instance-% of CPU work spread over the instances in service (capped at 100 % each).
  const ev = replay({
    settings: cpuOnly,
    instances: 2,
    durationS: 1800,
    metrics: (_, v) => ({ cpu: Math.min(100, 220 / v.inService) }),
  });
  // 1:00–3:00 at 100 % → 3:00 ceil(2 × 100 / 50) = 4, two launches; in service at 4:30 (90 s).
  // 4:00–7:00: AlarmHigh stays in ALARM and is re-invoked, but only the 2 warm instances count
  // (2 × 100 or 2 × 55 → 4 or 3 ≤ 4): nothing. Warm at 7:30 → 8:00: ceil(4 × 55 / 50) = 5.
  // From 9:30 five share it (44 % < 45 %): AlarmLow from 10:00, in ALARM at 24:00, but
  // ceil(5 × 44 / 50) = 5: the metric needs all five, nothing goes.
  assert.deepEqual(desired(ev), ['180 2->4', '480 4->5']);
  assert.deepEqual(of(ev, 'launch'), ['180 i-2', '180 i-3', '480 i-4']);
  assert.deepEqual(of(ev, 'inService'), ['270 i-2', '270 i-3', '570 i-4']);
  assert.deepEqual(of(ev, 'terminate'), []);
});

test('two policies: CPU low but requests per target high → no scale-in; in only once both are low', () => {
  const hold = replay({
    settings: both,
    instances: 4,
    durationS: 3600,
    metrics: () => ({ cpu: 10, requestsPerTarget: 48 }),
  });
  assert.deepEqual(hold, [], 'requests per target at 48/s (target 50, AlarmLow under 45): nothing for an hour');
  // Requests fall at 10:00: their AlarmLow needs 15 datapoints (11:00 … 25:00); CPU's has been in ALARM since 15:00.
  const later = replay({
    settings: both,
    instances: 4,
    durationS: 3600,
    metrics: (k) => ({ cpu: 10, requestsPerTarget: k <= 10 ? 48 : 10 }),
  });
  assert.deepEqual(desired(later), ['1500 4->3', '1560 3->2', '1620 2->1']);
  // CPU low, 240 requests/s over the instances in service (60 each): out at 3:00 (ceil(4 × 60 / 50) = 5);
  // from 4:30 five share it (48 each, under target, over 45): never in.
  const out = replay({
    settings: both,
    instances: 4,
    durationS: 3600,
    metrics: (_, v) => ({ cpu: 10, requestsPerTarget: 240 / v.inService }),
  });
  assert.deepEqual(desired(out), ['180 4->5']);
  assert.equal((out.find((e) => e.kind === 'desired') as { policy: string }).policy, 'request-count-target-tracking');
});

test('compressed time is AWS time divided by one factor: same datapoint counts, same steps', () => {
  const series = (k: number) => ({ cpu: k <= 20 ? 100 : 5, requestsPerTarget: 1 });
  const aws = replay({ settings: both, instances: 2, durationS: 3600, metrics: series });
  const fast = compressTime(both, COMPRESSION, 'compressed');
  const local = replay({ settings: fast, instances: 2, durationS: 3600 / COMPRESSION, metrics: series });
  assert.ok(desired(aws).length >= 4, `out and in both happen: ${desired(aws).join(', ')}`);
  assert.deepEqual(
    desired(local),
    desired(aws).map((d) => d.replace(/^\d+/, (t) => String(Number(t) / COMPRESSION))),
  );
  assert.deepEqual(fast.timeScale, { factor: 12, preset: 'compressed' });
  assert.deepEqual([fast.periodS, fast.highPeriods, fast.lowPeriods, fast.warmupS], [5, 3, 15, 15]);
});

test('default warm-up: with none set, the 300 s default cooldown holds scale-in after a launch', () => {
  // Out at 3:00 (one launch, in service 4:30), then quiet from 4:00: AlarmLow in ALARM at 18:00 either way.
  const metrics = (k: number) => ({ cpu: k <= 3 ? 70 : 5 });
  const set = replay({ settings: { ...cpuOnly, warmupS: 180 }, instances: 2, durationS: 1800, metrics });
  assert.deepEqual(desired(set), ['180 2->3', '1080 3->2', '1140 2->1']);
  // None set: the 300 s default cooldown is the warm-up (warm at 4:30 + 300 s = 9:30, before 18:00): same.
  assert.deepEqual(
    desired(replay({ settings: { ...cpuOnly, warmupS: null }, instances: 2, durationS: 1800, metrics })),
    desired(set),
  );
  // A long cooldown shows the hold: 1200 s → warm at 24:30, so the first step waits until 25:00.
  const unset = replay({
    settings: { ...cpuOnly, warmupS: null, defaultCooldownS: 1200 },
    instances: 2,
    durationS: 1800,
    metrics,
  });
  assert.deepEqual(desired(unset), ['180 2->3', '1500 3->2', '1560 2->1']);
});

test('unhealthy instances: one at a time (10 % of 10), each drained, next once the replacement is warm', () => {
  const ev = replay({
    settings: { ...cpuOnly, min: 10, max: 20 },
    instances: 10,
    durationS: 1200,
    metrics: () => ({ cpu: 47 }),
    unhealthyAt: [
      { t: 10, id: 'i-0' },
      { t: 10, id: 'i-1' },
      { t: 10, id: 'i-2' },
    ],
  });
  // 0:10 i-0 out and i-10 launched; i-10 in service 1:40, warm 4:40 → i-1 out, i-11 in; warm 9:10 → i-2.
  assert.deepEqual(of(ev, 'terminate'), ['10 i-0', '280 i-1', '550 i-2']);
  assert.deepEqual(of(ev, 'launch'), ['10 i-10', '280 i-11', '550 i-12']);
  assert.deepEqual(of(ev, 'terminated'), ['40 i-0', '310 i-1', '580 i-2']);
  assert.ok(ev.every((e) => e.kind !== 'launch' || e.replacement));
  assert.deepEqual(desired(ev), []);
});

test('scale-in protection: desired falls, protected instances stay', () => {
  const ev = replay({
    settings: { ...cpuOnly, newInstancesProtectedFromScaleIn: true },
    instances: 3,
    durationS: 1200,
    metrics: () => ({ cpu: 10 }),
  });
  assert.deepEqual(desired(ev), ['900 3->2', '960 2->1']);
  assert.deepEqual(of(ev, 'terminate'), []);
});
