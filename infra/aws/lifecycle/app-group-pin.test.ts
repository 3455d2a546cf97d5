import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HELD_PROCESSES,
  groupProgress,
  handRestoreCommands,
  looksPinned,
  pinnedSizes,
  processesToHold,
  restoredSizes,
  snapshotOf,
  type GroupLike,
} from './app-group-pin.ts';

const group = (over: Partial<GroupLike> = {}): GroupLike => ({
  AutoScalingGroupName: 'rehearse-bf-app',
  MinSize: 2,
  MaxSize: 12,
  DesiredCapacity: 3,
  SuspendedProcesses: [],
  Instances: [],
  ...over,
});

test('the snapshot keeps sizes and what was suspended; only the held processes not already suspended are ours', () => {
  const s = snapshotOf(
    group({ SuspendedProcesses: [{ ProcessName: 'ScheduledActions' }, { ProcessName: 'AddToLoadBalancer' }] }),
    'eu-west-1',
  );
  assert.deepEqual(s, {
    name: 'rehearse-bf-app',
    region: 'eu-west-1',
    min: 2,
    max: 12,
    desired: 3,
    suspended: ['ScheduledActions', 'AddToLoadBalancer'],
  });
  assert.deepEqual(processesToHold(s), ['AlarmNotification', 'AZRebalance']);
  assert.deepEqual(processesToHold({ ...s, suspended: [] }), [...HELD_PROCESSES]);
  assert.deepEqual(processesToHold({ ...s, suspended: [...HELD_PROCESSES] }), []);
  assert.throws(() => snapshotOf({ AutoScalingGroupName: 'x' }, 'us-east-1'), /without name or sizes/);
});

test('the pin sets all three sizes to n; the restore puts back the recorded ones', () => {
  assert.deepEqual(pinnedSizes('g', 4), { AutoScalingGroupName: 'g', MinSize: 4, MaxSize: 4, DesiredCapacity: 4 });
  assert.throws(() => pinnedSizes('g', 0), /cannot pin/);
  const s = snapshotOf(group(), 'us-east-1');
  assert.deepEqual(restoredSizes(s), {
    AutoScalingGroupName: 'rehearse-bf-app',
    MinSize: 2,
    MaxSize: 12,
    DesiredCapacity: 3,
  });
});

test('the hand-restore commands name the region, group, sizes and only the processes the pin suspended', () => {
  const s = snapshotOf(group({ SuspendedProcesses: [{ ProcessName: 'ScheduledActions' }] }), 'eu-west-1');
  assert.deepEqual(handRestoreCommands(s), [
    'aws autoscaling update-auto-scaling-group --region eu-west-1 --auto-scaling-group-name rehearse-bf-app --min-size 2 --max-size 12 --desired-capacity 3',
    'aws autoscaling resume-processes --region eu-west-1 --auto-scaling-group-name rehearse-bf-app --scaling-processes AlarmNotification AZRebalance',
  ]);
  // Nothing of ours to resume: no resume command (one without processes would resume them all).
  const all = snapshotOf(
    group({ SuspendedProcesses: HELD_PROCESSES.map((ProcessName) => ({ ProcessName })) }),
    'eu-west-1',
  );
  assert.equal(handRestoreCommands(all).length, 1);
});

test('a group arrives at n with exactly n InService and Healthy and none starting; leaving ones do not count', () => {
  const inst = (LifecycleState: string, HealthStatus = 'Healthy') => ({
    InstanceId: 'i-1',
    LifecycleState,
    HealthStatus,
  });
  const pinned = { MinSize: 2, MaxSize: 2, DesiredCapacity: 2 };
  const starting = groupProgress(group({ ...pinned, Instances: [inst('InService'), inst('Pending')] }), 2);
  assert.equal(starting.arrived, false);
  assert.equal(starting.line, '1/2 InService, 1 starting');
  const unhealthy = groupProgress(
    group({ ...pinned, Instances: [inst('InService'), inst('InService', 'Unhealthy')] }),
    2,
  );
  assert.equal(unhealthy.arrived, false);
  const arrived = groupProgress(
    group({ ...pinned, Instances: [inst('InService'), inst('InService'), inst('Terminating:Wait')] }),
    2,
  );
  assert.equal(arrived.arrived, true);
  assert.equal(arrived.line, '2/2 InService, 1 leaving');
  assert.equal(arrived.movedBy, undefined);
});

test('sizes moved off the pin by someone else are named, not waited for', () => {
  const p = groupProgress(group({ MinSize: 2, MaxSize: 8, DesiredCapacity: 5 }), 2);
  assert.equal(p.arrived, false);
  assert.match(p.movedBy!, /2\/8\/5, not the pinned 2\/2\/2/);
});

test('a group already min = max with every held process suspended looks like a pin nobody restored', () => {
  const held = HELD_PROCESSES.map((ProcessName) => ({ ProcessName }));
  assert.equal(looksPinned(snapshotOf(group({ MinSize: 3, MaxSize: 3, SuspendedProcesses: held }), 'us-east-1')), true);
  assert.equal(looksPinned(snapshotOf(group({ SuspendedProcesses: held }), 'us-east-1')), false);
  assert.equal(looksPinned(snapshotOf(group({ MinSize: 3, MaxSize: 3 }), 'us-east-1')), false);
});
