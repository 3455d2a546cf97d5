import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scaleDownByHand, setCapacityCommand, splitRunners, tooFewRunners } from './fleet-capacity.ts';

test('runners split across regions as evenly as possible, the first regions taking the remainder', () => {
  assert.deepEqual(splitRunners(5, [3, 3]), [3, 2]);
  assert.deepEqual(splitRunners(4, [2, 2, 2]), [2, 1, 1]);
  assert.deepEqual(splitRunners(2, [3, 3, 3]), [1, 1, 0]);
  assert.deepEqual(splitRunners(6, [3, 3]), [3, 3]);
  assert.deepEqual(splitRunners(4, [1, 5]), [1, 3], 'a smaller group is filled, the rest go elsewhere');
  assert.equal(splitRunners(7, [3, 3]), null);
});

test('too many runners: the message names the config field, the file and the command to apply it', () => {
  const e = tooFewRunners(
    7,
    [
      { region: 'eu-west-1', asgName: 'a', max: 3 },
      { region: 'us-east-1', asgName: 'b', max: 3 },
    ],
    'aws.json',
  );
  assert.equal(e.exitCode, 2);
  assert.match(
    e.message,
    /^--runners 7, but the runner fleet holds 6 \(eu-west-1 3, us-east-1 3: at most fleet\.runnersPerRegion per region\): raise "fleet\.runnersPerRegion" \(or add "fleet\.regions"\) in aws\.json and run `rehearse stack up --target aws --aws-config aws\.json`, or lower --runners$/,
  );
});

test('scaling by hand: the exact aws CLI commands, said loudly', () => {
  const g = { region: 'eu-west-1', asgName: 'rehearse-bf-runners-eu-west-1' };
  assert.equal(
    setCapacityCommand(g, 0),
    'aws autoscaling set-desired-capacity --region eu-west-1 --auto-scaling-group-name rehearse-bf-runners-eu-west-1 --desired-capacity 0',
  );
  const text = scaleDownByHand([g, { region: 'us-east-1', asgName: 'x' }], 'AccessDenied');
  assert.match(text, /^!!! the runner fleet could not be scaled back to 0 \(AccessDenied\)\./);
  assert.equal(text.split('\n').filter((l) => l.includes('aws autoscaling set-desired-capacity')).length, 2);
});
