// The app group pin against moto's Auto Scaling and CloudWatch: real UpdateAutoScalingGroup,
// Suspend/ResumeProcesses and DescribeAutoScalingGroups calls; target health from HealthyHostCount
// datapoints the test puts into moto's CloudWatch (moto's balancer publishes none itself).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InterruptedError, RunError } from '../../../errors/errors.ts';
import { motoAppGroups, type MotoAppGroups } from '../testing/moto-app-groups.ts';
import { startMoto, useMotoCredentials, type MotoServer } from '../testing/moto-server.ts';
import { HELD_PROCESSES } from './app-group-pin.ts';
import { holdAppGroup, PinTimeoutError, RestoreFailedError, type AppGroupHoldOptions } from './pin-app-group.ts';
import { cloudWatchHealthProbe, type HealthProbe } from './wait-healthy.ts';

const region = 'us-east-1';
let moto: MotoServer;
let autoScaling: AutoScalingClient;
let groups: MotoAppGroups;
let cloudWatch: CloudWatchClient;
let restoreEnv = () => {};

before(async () => {
  moto = await startMoto();
  restoreEnv = useMotoCredentials(); // moto does not check them; restored after
  groups = await motoAppGroups(moto.endpoint, region);
  autoScaling = groups.client;
  cloudWatch = new CloudWatchClient({ region, endpoint: moto.endpoint });
});
after(async () => {
  restoreEnv();
  await moto?.stop();
});

/** A fresh group, min 1 max 4 desired 2 (as a deployed stack's), with these processes suspended by someone else. */
const newGroup = (suspended: string[] = []) =>
  groups.create({ prefix: 'rehearse-test', min: 1, max: 4, desired: 2, suspended });
const state = (name: string) => groups.state(name);

/** The moto client, recording each command's name (and failing the ones `fail` says). */
function recording(fail: (command: string, input: any) => boolean = () => false) {
  const sent: string[] = [];
  const client = {
    send: (cmd: { constructor: { name: string }; input: unknown }) => {
      const name = cmd.constructor.name.replace(/Command$/, '');
      sent.push(name);
      if (fail(name, cmd.input)) return Promise.reject(new Error(`${name}: throttled (test)`));
      return autoScaling.send(cmd as never);
    },
  } as unknown as AppGroupHoldOptions['autoScaling'];
  return { sent, client };
}

/** The balancer as the group: as many healthy targets as InService instances. */
const healthFromGroup =
  (name: string): HealthProbe =>
  async () => ({ healthy: (await state(name)).inService, unhealthy: 0 });

const options = (name: string, over: Partial<AppGroupHoldOptions> = {}) => {
  const lines: string[] = [];
  const o: AppGroupHoldOptions = {
    autoScaling,
    asgName: name,
    region,
    targetHealth: healthFromGroup(name),
    intervalMs: 20,
    timeoutMs: 20_000,
    log: (l) => lines.push(l),
    ...over,
  };
  return { o, lines };
};

test('pins min = max = desired = n with n InService and the held processes suspended; restores sizes and resumes only its own', async () => {
  const name = await newGroup(['ScheduledActions', 'AddToLoadBalancer']);
  const { sent, client } = recording();
  const { o, lines } = options(name, { autoScaling: client });
  const hold = holdAppGroup(o);
  await hold.pinTo(3);
  const at3 = await state(name);
  assert.deepEqual(at3.sizes, [3, 3, 3]);
  assert.equal(at3.inService, 3);
  assert.deepEqual(at3.suspended, [...HELD_PROCESSES, 'AddToLoadBalancer'].sort());
  await hold.pinTo(1);
  assert.deepEqual((await state(name)).sizes, [1, 1, 1]);
  assert.equal((await state(name)).inService, 1);
  // The hand-restore commands were printed before anything changed.
  assert.ok(
    lines.some((l) => l.includes(`--auto-scaling-group-name ${name} --min-size 1 --max-size 4 --desired-capacity 2`)),
  );

  await Promise.all([hold.restore(), hold.restore()]);
  await hold.restore();
  const back = await state(name);
  assert.deepEqual(back.sizes, [1, 4, 2]);
  assert.equal(back.inService, 2);
  // Someone else's suspensions stay; ours (AlarmNotification, AZRebalance) are resumed.
  assert.deepEqual(back.suspended, ['AddToLoadBalancer', 'ScheduledActions']);
  // Exactly once: one suspend, one resume, and one update per pin plus one for the restore.
  assert.deepEqual(
    sent.filter((c) => c !== 'DescribeAutoScalingGroups'),
    [
      'SuspendProcesses',
      'UpdateAutoScalingGroup',
      'UpdateAutoScalingGroup',
      'UpdateAutoScalingGroup',
      'ResumeProcesses',
    ],
  );
  await assert.rejects(hold.pinTo(2), /restored/);
});

test('with every held process already suspended, nothing is suspended or resumed (an empty list would mean all)', async () => {
  const before = [...HELD_PROCESSES, 'AddToLoadBalancer'];
  const name = await newGroup(before);
  const { sent, client } = recording();
  const hold = holdAppGroup(options(name, { autoScaling: client }).o);
  await hold.pinTo(2);
  await hold.restore();
  assert.deepEqual((await state(name)).suspended, before.sort());
  assert.ok(!sent.includes('SuspendProcesses') && !sent.includes('ResumeProcesses'), sent.join(','));
});

test('waits until CloudWatch counts n healthy targets behind the balancer', async () => {
  const name = await newGroup();
  const dims = [
    { Name: 'LoadBalancer', Value: `app/${name}/1234` },
    { Name: 'TargetGroup', Value: `targetgroup/${name}/5678` },
  ];
  // A few seconds back: GetMetricData's EndTime travels in whole seconds, so a datapoint from this
  // very second would fall after it.
  const put = (value: number) =>
    cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/ApplicationELB',
        MetricData: [
          { MetricName: 'HealthyHostCount', Dimensions: dims, Timestamp: new Date(Date.now() - 5000), Value: value },
        ],
      }),
    );
  await put(2);
  const probe = cloudWatchHealthProbe(region, dims[0]!.Value, dims[1]!.Value, cloudWatch);
  const { o, lines } = options(name, { targetHealth: probe });
  const hold = holdAppGroup(o);
  let done = false;
  const pinning = hold.pinTo(3).then(() => (done = true));
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(done, false, 'returned before the balancer counted 3 healthy');
  assert.ok(
    lines.some((l) => /2\/3 targets healthy/.test(l)),
    lines.join('\n'),
  );
  await put(3);
  await pinning;
  assert.ok(
    lines.some((l) => /3\/3 targets healthy/.test(l)),
    lines.join('\n'),
  );
  await hold.restore();
  assert.deepEqual((await state(name)).sizes, [1, 4, 2]);
});

test('targets that never turn healthy: a bounded wait that says what to check, and the group restored after', async () => {
  const name = await newGroup();
  const { o } = options(name, { targetHealth: async () => ({ healthy: 1, unhealthy: 2 }), timeoutMs: 400 });
  const hold = holdAppGroup(o);
  const started = Date.now();
  await assert.rejects(hold.pinTo(3), (e: Error) => {
    assert.ok(e instanceof PinTimeoutError && e instanceof RunError);
    assert.match(e.message, /pinned at 3: only 1\/3 targets healthy, 2 unhealthy/);
    assert.match(e.message, /rehearse-bootstrap\.log/);
    return true;
  });
  assert.ok(Date.now() - started < 5000);
  await hold.restore();
  const back = await state(name);
  assert.deepEqual(back.sizes, [1, 4, 2]);
  assert.deepEqual(back.suspended, []);
});

test('Ctrl-C while waiting stops the wait; the restore still runs (it does not listen to the signal)', async () => {
  const name = await newGroup();
  const abort = new AbortController();
  const { o } = options(name, { targetHealth: async () => ({ healthy: 0, unhealthy: 0 }), signal: abort.signal });
  const hold = holdAppGroup(o);
  setTimeout(() => abort.abort(), 200);
  await assert.rejects(hold.pinTo(4), InterruptedError);
  assert.deepEqual((await state(name)).sizes, [4, 4, 4]);
  await hold.restore();
  assert.deepEqual((await state(name)).sizes, [1, 4, 2]);
  assert.deepEqual((await state(name)).suspended, []);
});

test('a restore that fails says loudly how to restore by hand, still resumes the processes, and fails once', async () => {
  const name = await newGroup();
  let restoring = false;
  const { sent, client } = recording((command) => restoring && command === 'UpdateAutoScalingGroup');
  const { o, lines } = options(name, { autoScaling: client });
  const hold = holdAppGroup(o);
  await hold.pinTo(2);
  restoring = true;
  const failed = hold.restore();
  await assert.rejects(failed, (e: Error) => {
    assert.ok(e instanceof RestoreFailedError);
    assert.match(e.message, new RegExp(`STILL PINNED.*throttled`));
    assert.ok(
      e.message.includes(
        `aws autoscaling update-auto-scaling-group --region us-east-1 --auto-scaling-group-name ${name} --min-size 1 --max-size 4 --desired-capacity 2`,
      ),
      e.message,
    );
    assert.ok(
      e.message.includes(
        `aws autoscaling resume-processes --region us-east-1 --auto-scaling-group-name ${name} --scaling-processes AlarmNotification ScheduledActions AZRebalance`,
      ),
    );
    return true;
  });
  assert.ok(lines.some((l) => l.startsWith('!!! THE APP GROUP')));
  assert.deepEqual((await state(name)).suspended, [], 'the processes were resumed although the sizes failed');
  assert.equal(hold.restore(), failed, 'a second restore shares the first');
  assert.equal(sent.filter((c) => c === 'ResumeProcesses').length, 1);
});

test('a group that is not there: a run error saying how to deploy it, and nothing to restore', async () => {
  const { sent, client } = recording();
  const hold = holdAppGroup(options('rehearse-nowhere-app', { autoScaling: client }).o);
  await assert.rejects(hold.pinTo(1), /rehearse-nowhere-app not found in us-east-1.*stack up --target aws/);
  await hold.restore();
  assert.deepEqual(sent, ['DescribeAutoScalingGroups']);
});
