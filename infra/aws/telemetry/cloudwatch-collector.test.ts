// The collector against moto's server: real CloudWatch GetMetricData and Auto Scaling calls.
// moto 5.2.5 records no scaling activities (DescribeScalingActivities always answers []), so the
// second test feeds the collector activities through a wrapper: moto's own terminate activity
// plus launch activities for the instances moto launched, in two pages.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type Activity,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { telemetrySchema } from '../../telemetry/telemetry-schema.ts';
import { startMoto, type MotoServer } from '../testing/moto-server.ts';
import {
  collectCloudWatchTelemetry,
  targetsFromOutputs,
  writeTelemetryFile,
  type CollectorTargets,
} from './cloudwatch-collector.ts';
import { saveEnv } from '../../../test-support/env.ts';

const region = 'us-east-1';
const targets: CollectorTargets = {
  asgName: 'rehearse-bf-app',
  instanceType: 'c7g.large',
  albArnSuffix: 'app/rh-abc/50dc6c495c0c9188',
  dbClusterId: 'rehearse-bf',
  cacheMemberIds: ['rehearse-bf-001', 'rehearse-bf-002'],
};
const now = Math.floor(Date.now() / 1000);
const to = Math.ceil(now / 60) * 60 + 120;
const from = to - 900;
const minutes = Array.from({ length: 12 }, (_, k) => from + 60 * k + 30);
const restoreEnv = saveEnv();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-collector-'));

let moto: MotoServer;
let cloudWatch: CloudWatchClient;
let autoScaling: AutoScalingClient;
let instanceIds: string[] = [];
let terminated: Activity;

function datum(metric: string, dims: Record<string, string>, t: number, value: number): MetricDatum {
  return {
    MetricName: metric,
    Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
    Timestamp: new Date(t * 1000),
    Value: value,
  };
}

async function put(namespace: string, data: MetricDatum[]) {
  for (let i = 0; i < data.length; i += 500)
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
}

before(async () => {
  moto = await startMoto();
  // Dummy credentials for this test only (restored after); the SDK signs, moto does not check.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
  });
  delete process.env.AWS_PROFILE;
  cloudWatch = new CloudWatchClient({ region, endpoint: moto.endpoint });
  autoScaling = new AutoScalingClient({ region, endpoint: moto.endpoint });

  await autoScaling.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'lc',
      ImageId: 'ami-12c6146b',
      InstanceType: targets.instanceType,
    }),
  );
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: targets.asgName,
      LaunchConfigurationName: 'lc',
      MinSize: 0,
      MaxSize: 6,
      DesiredCapacity: 2,
      AvailabilityZones: [`${region}a`],
    }),
  );
  await autoScaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: targets.asgName, DesiredCapacity: 3 }));
  const group = await autoScaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [targets.asgName] }),
  );
  instanceIds = group.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!).sort();
  assert.equal(instanceIds.length, 3);
  terminated = (
    await autoScaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: instanceIds[0],
        ShouldDecrementDesiredCapacity: true,
      }),
    )
  ).Activity!;

  const asg = { AutoScalingGroupName: targets.asgName };
  const alb = { LoadBalancer: targets.albArnSuffix };
  const db = { DBClusterIdentifier: targets.dbClusterId };
  await put(
    'AWS/AutoScaling',
    minutes.flatMap((t, k) => [
      datum('GroupDesiredCapacity', asg, t, k < 6 ? 2 : 3),
      datum('GroupPendingInstances', asg, t, k === 6 ? 1 : 0),
      datum('GroupInServiceInstances', asg, t, k < 7 ? 2 : 3),
    ]),
  );
  await put(
    'AWS/EC2',
    minutes.flatMap((t, k) => [
      datum('CPUUtilization', asg, t, 40 + k),
      ...instanceIds.map((id, n) => datum('CPUUtilization', { InstanceId: id }, t, 30 + n + k)),
    ]),
  );
  await put(
    'AWS/ApplicationELB',
    minutes.flatMap((t, k) => [
      datum('RequestCount', alb, t, 1000 * (k + 1)),
      datum('TargetResponseTime', alb, t, 0.2),
      datum('HTTPCode_Target_5XX_Count', alb, t, k === 5 ? 7 : 0),
      datum('HTTPCode_ELB_5XX_Count', alb, t, k === 5 ? 2 : 0),
      datum('NewConnectionCount', alb, t, 50),
      datum('ActiveConnectionCount', alb, t, 300),
      datum('ProcessedBytes', alb, t, 2e6),
    ]),
  );
  await put(
    'AWS/RDS',
    minutes.flatMap((t) => [
      datum('CPUUtilization', db, t, 35),
      datum('DatabaseConnections', db, t, 40),
      datum('DatabaseConnections', db, t, 10),
    ]),
  );
  await put(
    'AWS/ElastiCache',
    minutes.flatMap((t, k) =>
      targets.cacheMemberIds.flatMap((m, n) => [
        datum('CPUUtilization', { CacheClusterId: m }, t, n === 0 ? 20 : 10),
        datum('CurrConnections', { CacheClusterId: m }, t, 100 + n),
        datum('Evictions', { CacheClusterId: m }, t, k === 3 ? 5 : 0),
      ]),
    ),
  );
});

after(async () => {
  cloudWatch?.destroy();
  autoScaling?.destroy();
  await moto?.stop();
  restoreEnv();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('CloudWatch collector against moto', () => {
  test('metrics become series; moto records no activities, so instances come from the group itself', async () => {
    const raw = await autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: targets.asgName }));
    assert.deepEqual(
      raw.Activities,
      [],
      'moto 5.2.5 DescribeScalingActivities returns nothing; if this fails, moto learned it: test it directly',
    );

    const { telemetry, unmapped } = await collectCloudWatchTelemetry({
      window: { from, to },
      targets,
      cloudWatch,
      autoScaling,
    });
    const file = path.join(tmp, 'runs', 'r1', 'telemetry.json');
    writeTelemetryFile(file, telemetry);
    const back = telemetrySchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    assert.equal(back.schema, 'rehearse.telemetry/v1');
    assert.equal(back.source, 'aws');
    assert.deepEqual(back.window, { from, to });

    const starts = minutes.map((t) => t - 30);
    assert.deepEqual(
      back.capacity.desired.map((p) => p.t),
      starts,
    );
    assert.deepEqual(
      back.capacity.desired.map((p) => p.v),
      minutes.map((_, k) => (k < 6 ? 2 : 3)),
    );
    assert.deepEqual(
      back.capacity.pending.filter((p) => p.v > 0).map((p) => p.t),
      [starts[6]],
    );
    assert.deepEqual(back.capacity.inService.at(-1), { t: starts.at(-1), v: 3 });
    assert.deepEqual(
      back.balancer.requests!.map((p) => p.v),
      minutes.map((_, k) => 1000 * (k + 1)),
    );
    assert.deepEqual(
      back.balancer.http5xx!.filter((p) => p.v > 0),
      [{ t: starts[5], v: 7 }],
    );
    assert.equal(back.balancer.newConnections!.length, 12);
    assert.equal(back.balancer.activeConnections![0]!.v, 300);
    assert.equal(back.balancer.processedBytes![0]!.v, 2e6);
    assert.equal(back.cpu.db[0]!.v, 35);
    assert.equal(back.connections.db[0]!.v, 50, 'writer + reader datapoints summed');
    assert.equal(back.cpu.cache[0]!.v, 15, 'average of the two nodes');
    assert.equal(back.connections.cache[0]!.v, 201, 'sum of the two nodes');
    assert.deepEqual(
      back.cache!.evictions!.filter((p) => p.v > 0),
      [{ t: starts[3], v: 10 }],
    );
    assert.deepEqual(unmapped.targetResponseTimeSeconds[0], { t: starts[0], v: 0.2 });
    assert.deepEqual(
      unmapped.elb5xx.filter((p) => p.v > 0),
      [{ t: starts[5], v: 2 }],
    );

    assert.deepEqual(back.activities, []);
    const remaining = instanceIds.slice(1);
    assert.deepEqual(back.instances.map((i) => i.id).sort(), remaining);
    for (const i of back.instances) {
      assert.equal(i.type, 'c7g.large');
      assert.equal(i.launchedAt, from, 'launched before any recorded activity: counted from the window start');
    }
    assert.deepEqual(Object.keys(back.cpu.perInstance).sort(), remaining);
    assert.deepEqual(
      back.cpu.perInstance[remaining[0]!]!.map((p) => p.v),
      minutes.map((_, k) => 31 + k),
    );
  });

  test('activities: paginated, mapped, with deltas and the instance lifecycles they imply', async () => {
    const unixOf = (d: Date) => Math.floor(d.getTime() / 1000);
    const launches: Activity[] = instanceIds.map((id, n) => ({
      ActivityId: `launch-${n}`,
      AutoScalingGroupName: targets.asgName,
      Progress: 100,
      Description: `Launching a new EC2 instance: ${id}`,
      Cause: `At ${new Date((from + 60 * n) * 1000).toISOString()} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${n} to ${n + 1}.`,
      StartTime: new Date((from + 60 * n) * 1000),
      EndTime: new Date((from + 60 * n + 95) * 1000),
      StatusCode: 'Successful',
    }));
    const old: Activity = {
      ...launches[0]!,
      ActivityId: 'ancient',
      StartTime: new Date((from - 86_400) * 1000),
      EndTime: new Date((from - 86_300) * 1000),
      Description: 'Launching a new EC2 instance: i-0000000000000dead',
    };
    const gone: Activity = {
      ...old,
      ActivityId: 'ancient-end',
      Description: 'Terminating EC2 instance: i-0000000000000dead',
      StartTime: new Date((from - 3600) * 1000),
      EndTime: new Date((from - 3500) * 1000),
    };
    const pages = [
      { Activities: [terminated, launches[2]!], NextToken: 'page-2' },
      { Activities: [launches[1]!, launches[0]!, old, gone] },
    ];
    const tokens: Array<string | undefined> = [];
    // Everything else goes to moto; DescribeScalingActivities answers from the pages above.
    const scripted = {
      send: async (command: unknown) => {
        if (command instanceof DescribeScalingActivitiesCommand) {
          tokens.push(command.input.NextToken);
          return pages[tokens.length - 1]!;
        }
        return autoScaling.send(command as never);
      },
    } as Pick<AutoScalingClient, 'send'>;

    const { telemetry } = await collectCloudWatchTelemetry({
      window: { from, to },
      targets,
      cloudWatch,
      autoScaling: scripted,
    });
    assert.deepEqual(tokens, [undefined, 'page-2']);
    assert.deepEqual(
      telemetry.activities.map((a) => [a.id, a.delta, a.status]),
      [
        ['launch-0', 1, 'Successful'],
        ['launch-1', 1, 'Successful'],
        ['launch-2', 1, 'Successful'],
        [terminated.ActivityId, -1, 'InProgress'],
      ],
      "in the window only, oldest first; the terminate activity keeps moto's own ids and text",
    );
    const term = telemetry.activities.at(-1)!;
    assert.equal(term.description, `Terminating EC2 instance: ${instanceIds[0]}`);
    assert.match(term.cause, /taken out of service in response to a user request, shrinking the capacity from 3 to 2/);
    assert.equal(term.start, unixOf(terminated.StartTime!));

    const byId = new Map(telemetry.instances.map((i) => [i.id, i]));
    assert.deepEqual([...byId.keys()].sort(), [...instanceIds].sort(), 'the long-gone instance is outside the window');
    assert.deepEqual(byId.get(instanceIds[1]!), {
      id: instanceIds[1],
      type: 'c7g.large',
      launchedAt: from + 60,
      inServiceAt: from + 155,
    });
    assert.equal(byId.get(instanceIds[0]!)!.terminatedAt, unixOf(terminated.EndTime!));
    assert.equal(byId.get(instanceIds[0]!)!.launchedAt, from);
    assert.ok(telemetry.cpu.perInstance[instanceIds[0]!]!.length > 0, 'a terminated instance keeps its CPU series');
  });

  test('the file is validated before it is written; outputs map to targets', async () => {
    const file = path.join(tmp, 'bad.json');
    assert.throws(() => writeTelemetryFile(file, { schema: 'rehearse.telemetry/v1', source: 'gcp' } as never));
    assert.ok(!fs.existsSync(file));
    const outputs = {
      asg_name: { value: 'a' },
      instance_type: { value: 'c7g.large' },
      alb_arn_suffix: { value: 'app/x/1' },
      db_cluster_id: { value: 'd' },
      cache_member_ids: { value: ['c-001', 'c-002'] },
    };
    assert.deepEqual(targetsFromOutputs(outputs), {
      asgName: 'a',
      instanceType: 'c7g.large',
      albArnSuffix: 'app/x/1',
      dbClusterId: 'd',
      cacheMemberIds: ['c-001', 'c-002'],
    });
    assert.throws(() => targetsFromOutputs({ ...outputs, asg_name: { value: '' } }), /output "asg_name" is missing/);
    await assert.rejects(
      collectCloudWatchTelemetry({ window: { from: 10, to: 10 }, targets, cloudWatch, autoScaling }),
      /must end after it starts/,
    );
  });
});
