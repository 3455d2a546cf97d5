import assert from 'node:assert/strict';
import { test } from 'node:test';
import { autoscalingSchema } from './autoscaler/settings.ts';
import { AWS_GROUP, DURATION_SETTINGS, SCALING_PRESETS, compressTime, scalingSettings } from './scaling-presets.ts';

test('compressed is the aws preset with every duration divided by one factor and nothing else', () => {
  const aws = autoscalingSchema.parse(SCALING_PRESETS.aws);
  const fast = autoscalingSchema.parse(SCALING_PRESETS.compressed);
  const factor = fast.timeScale!.factor;
  assert.deepEqual(
    [aws.timeScale, fast.timeScale],
    [
      { factor: 1, preset: 'aws' },
      { factor: 12, preset: 'compressed' },
    ],
  );
  for (const k of DURATION_SETTINGS) assert.equal((fast[k] as number) * factor, aws[k], k);
  const rest = (s: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(s).filter(([k]) => !(DURATION_SETTINGS as readonly string[]).includes(k) && k !== 'timeScale'),
    );
  assert.deepEqual(rest(fast), rest(aws), 'datapoint counts, targets and limits are the same');
  assert.deepEqual(
    [aws.highPeriods, aws.lowPeriods, aws.periodS, aws.warmupS, aws.drainTimeoutS],
    [3, 15, 60, 180, 30],
  );
  assert.deepEqual(
    aws.policies!.map((p) => [p.metric, p.target]),
    [
      ['cpu', 50],
      ['requestsPerTarget', 50],
    ],
  );
});

test('overrides touch the CPU policy and max only; off is off', () => {
  const s = scalingSettings('compressed', { max: 3, cpuTarget: 40 });
  assert.ok(s);
  assert.deepEqual(
    s.policies!.map((p) => p.target),
    [40, AWS_GROUP.policies[1].target],
  );
  assert.equal(s.max, 3);
  assert.equal(scalingSettings('off'), false);
  assert.throws(() => compressTime(AWS_GROUP, 0, 'x'), /factor must be > 0/);
});
