import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../errors/errors.ts';
import { autoscalingSchema, effectiveWarmupS, parseSettings, trackingPolicies } from './settings.ts';

test("defaults are AWS's alarms and the AWS stack's warm-up; no warm-up set means the 300 s default cooldown", () => {
  const s = parseSettings(autoscalingSchema, {}, 'autoscaling');
  assert.deepEqual([s.periodS, s.highPeriods, s.lowPeriods, s.defaultCooldownS, s.warmupS], [60, 3, 15, 300, 180]);
  assert.equal(effectiveWarmupS(s), 180);
  assert.equal(effectiveWarmupS(parseSettings(autoscalingSchema, { warmupS: null }, 'autoscaling')), 300);
  assert.equal(
    effectiveWarmupS(parseSettings(autoscalingSchema, { warmupS: 0 }, 'autoscaling')),
    0,
    '0 is a value, not "unset"',
  );
  assert.deepEqual(trackingPolicies(s), [
    { name: 'rehearse-target-tracking', metric: 'cpu', target: 50, disableScaleIn: false },
  ]);
});

test('bad settings: an InputError naming the option and where the defaults are', () => {
  const twice = {
    policies: [
      { name: 'a', metric: 'cpu', target: 50 },
      { name: 'b', metric: 'cpu', target: 60 },
    ],
  };
  assert.throws(
    () => parseSettings(autoscalingSchema, twice, 'autoscaling'),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^autoscaling\.policies: each policy needs its own metric /);
      assert.match(e.message, /; fix that option \(defaults in infra\/local\/autoscaler\/settings\.ts\)$/);
      return true;
    },
  );
  assert.throws(
    () => parseSettings(autoscalingSchema, { min: 3, max: 2 }, 'autoscaling'),
    /autoscaling\.\(root\): min must be <= max/,
  );
  assert.throws(() => parseSettings(autoscalingSchema, { warmupS: 4000 }, 'autoscaling'), /autoscaling\.warmupS: /);
});
