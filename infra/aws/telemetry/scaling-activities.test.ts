import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activitiesInWindow,
  activityDelta,
  instanceIdOf,
  lifecyclesFromActivities,
  mapStatus,
  toActivity,
} from './scaling-activities.ts';

const at = (s: number) => new Date(s * 1000);

test('delta and instance id come from the description AWS writes', () => {
  assert.equal(activityDelta('Launching a new EC2 instance: i-0a1b2c3d4e5f67890'), 1);
  assert.equal(activityDelta('Terminating EC2 instance: i-0a1b2c3d4e5f67890'), -1);
  assert.equal(
    activityDelta(
      'Launching a new EC2 instance.  Status Reason: We currently do not have sufficient c7g.large capacity',
    ),
    1,
  );
  assert.equal(activityDelta('Moving EC2 instance out of Standby: i-0a1b2c3d4e5f67890'), 0);
  assert.equal(instanceIdOf('Terminating EC2 instance: i-0a1b2c3d4e5f67890'), 'i-0a1b2c3d4e5f67890');
  assert.equal(instanceIdOf('Launching a new EC2 instance.  Status Reason: no capacity'), undefined);
});

test('status codes outside the schema count as in progress', () => {
  for (const s of ['Successful', 'Failed', 'Cancelled', 'WaitingForInstanceWarmup'] as const)
    assert.equal(mapStatus(s), s);
  for (const s of [
    'PreInService',
    'WaitingForSpotInstanceId',
    'MidLifecycleAction',
    'PendingSpotBidPlacement',
    undefined,
  ])
    assert.equal(mapStatus(s), 'InProgress');
});

test('activities map field by field and filter to the window', () => {
  const a = {
    ActivityId: 'a1',
    Description: 'Launching a new EC2 instance: i-0123456789abcdef0',
    Cause: 'At … increasing the capacity from 2 to 3.',
    StatusCode: 'WaitingForInstanceWarmup',
    StartTime: at(1000),
    EndTime: at(1090),
  };
  assert.deepEqual(toActivity(a), {
    id: 'a1',
    start: 1000,
    end: 1090,
    cause: a.Cause,
    status: 'WaitingForInstanceWarmup',
    description: a.Description,
    delta: 1,
  });
  assert.equal(toActivity({ ...a, EndTime: undefined }).end, undefined);
  assert.throws(() => toActivity({ ...a, StartTime: undefined }), /no StartTime/);
  const inWindow = activitiesInWindow(
    [
      { ...a, ActivityId: 'late', StartTime: at(5000), EndTime: at(5100) },
      a,
      { ...a, ActivityId: 'early', StartTime: at(10), EndTime: at(20) },
      { ...a, ActivityId: 'open', StartTime: at(500), EndTime: undefined },
    ],
    900,
    2000,
  );
  assert.deepEqual(
    inWindow.map((x) => x.id),
    ['open', 'a1'],
  );
});

test('lifecycles: launch, in service, terminate; failed launches make no instance', () => {
  const id = 'i-0123456789abcdef0';
  const lifecycles = lifecyclesFromActivities(
    [
      {
        Description: `Terminating EC2 instance: ${id}`,
        StatusCode: 'Successful',
        StartTime: at(3000),
        EndTime: at(3030),
      },
      {
        Description: `Launching a new EC2 instance: ${id}`,
        StatusCode: 'Successful',
        StartTime: at(1000),
        EndTime: at(1100),
      },
      {
        Description: 'Launching a new EC2 instance: i-0fffffffffffffff0',
        StatusCode: 'Failed',
        StartTime: at(1200),
        EndTime: at(1210),
      },
      {
        Description: 'Launching a new EC2 instance: i-0eeeeeeeeeeeeeee0',
        StatusCode: 'InProgress',
        StartTime: at(2000),
      },
      { Description: 'Terminating EC2 instance: i-0ddddddddddddddd0', StatusCode: 'Successful', StartTime: at(1500) },
    ],
    'c7g.large',
    900,
  );
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  assert.deepEqual(
    [...lifecycles].sort(byId),
    [
      { id, type: 'c7g.large', launchedAt: 1000, inServiceAt: 1100, terminatedAt: 3030 },
      { id: 'i-0ddddddddddddddd0', type: 'c7g.large', launchedAt: 900, terminatedAt: 1500 },
      { id: 'i-0eeeeeeeeeeeeeee0', type: 'c7g.large', launchedAt: 2000 },
    ].sort(byId),
  );
  assert.equal(lifecycles.length, 3);
  assert.ok(!lifecycles.some((l) => l.id === 'i-0fffffffffffffff0'));
});
