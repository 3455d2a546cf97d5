// The AWS collector and the cost model end to end against moto (127.0.0.1, dummy credentials):
// the store's metrics and its usage metrics (Aurora I/O and storage, EFS, NAT, network bytes)
// are put into moto's CloudWatch, an app group and a runner group are made in moto's Auto
// Scaling, and the collected telemetry.json prices the run: by component, per request, per
// order, with the runner fleet as the rehearsal's own cost.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { analyseRun } from '../../../reports/analyse/analyse-run.ts';
import { fixtureRecord } from '../../../reports/fixtures/fixture-record.ts';
import { loadPriceBook } from '../../../reports/price-book/load-price-book.ts';
import { telemetrySchema } from '../../telemetry/telemetry-schema.ts';
import { parseStackConfig } from '../config/stack-config.ts';
import { ACCOUNT_ID } from '../testing/fixtures.ts';
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from '../testing/moto-server.ts';
import { collectCloudWatchTelemetry, type CollectorTargets } from './cloudwatch-collector.ts';

const region = 'us-east-1';
const GiB = 1024 ** 3;
const targets: CollectorTargets = {
  asgName: 'rh-cost-app',
  instanceType: 'c7g.large',
  albArnSuffix: 'app/rh-cost/50dc6c495c0c9188',
  dbClusterId: 'rh-cost',
  cacheMemberIds: ['rh-cost-001', 'rh-cost-002'],
  efsId: 'fs-0123456789abcdef0',
  natGatewayIds: ['nat-0aaaaaaaaaaaaaaaa', 'nat-0bbbbbbbbbbbbbbbb'],
};
const runnerGroup = 'rh-cost-runners';
const now = Math.floor(Date.now() / 1000);
const to = Math.ceil(now / 60) * 60 + 120;
const from = to - 600; // 10 minutes
const minutes = Array.from({ length: 10 }, (_, k) => from + 60 * k + 30);

let moto: MotoServer;
let cloudWatch: CloudWatchClient;
let autoScaling: AutoScalingClient;
let runnerIds: string[] = [];

const datum = (metric: string, dims: Record<string, string>, t: number, value: number): MetricDatum => ({
  MetricName: metric,
  Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
  Timestamp: new Date(t * 1000),
  Value: value,
});
const put = async (namespace: string, data: MetricDatum[]) => {
  for (let i = 0; i < data.length; i += 500)
    await cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + 500) }));
};

before(async () => {
  moto = await startMoto();
  const client = { region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
  cloudWatch = new CloudWatchClient(client);
  autoScaling = new AutoScalingClient(client);
  await autoScaling.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'app',
      ImageId: 'ami-12c6146b',
      InstanceType: 'c7g.large',
    }),
  );
  await autoScaling.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'runner',
      ImageId: 'ami-12c6146b',
      InstanceType: 'c7g.xlarge',
    }),
  );
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: targets.asgName,
      LaunchConfigurationName: 'app',
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 2,
      AvailabilityZones: [`${region}a`, `${region}b`],
    }),
  );
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: runnerGroup,
      LaunchConfigurationName: 'runner',
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 2,
      AvailabilityZones: [`${region}a`],
    }),
  );
  const g = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [runnerGroup] }));
  runnerIds = g.AutoScalingGroups![0]!.Instances!.map((i) => i.InstanceId!).sort();

  const alb = { LoadBalancer: targets.albArnSuffix };
  const db = { DBClusterIdentifier: targets.dbClusterId };
  const asg = { AutoScalingGroupName: targets.asgName };
  await put(
    'AWS/AutoScaling',
    minutes.flatMap((t) => [
      datum('GroupDesiredCapacity', asg, t, 2),
      datum('GroupPendingInstances', asg, t, 0),
      datum('GroupInServiceInstances', asg, t, 2),
    ]),
  );
  const efs = { FileSystemId: targets.efsId! };
  await put(
    'AWS/ApplicationELB',
    minutes.flatMap((t) => [
      datum('RequestCount', alb, t, 6000),
      datum('NewConnectionCount', alb, t, 600),
      datum('ActiveConnectionCount', alb, t, 300),
      datum('ProcessedBytes', alb, t, 50 * 1024 ** 2),
    ]),
  );
  await put(
    'AWS/RDS',
    minutes.flatMap((t) => [
      datum('CPUUtilization', db, t, 30),
      datum('VolumeReadIOPs', db, t, 30_000),
      datum('VolumeWriteIOPs', db, t, 20_000),
      datum('VolumeBytesUsed', db, t, 73 * GiB),
      // Bytes per second over the minute: 1 MiB/s in, 3 MiB/s out.
      datum('NetworkReceiveThroughput', db, t, 1024 ** 2),
      datum('NetworkTransmitThroughput', db, t, 3 * 1024 ** 2),
    ]),
  );
  await put(
    'AWS/ElastiCache',
    minutes.flatMap((t) => [
      datum('NetworkBytesIn', { CacheClusterId: 'rh-cost-001' }, t, 40 * 1024 ** 2),
      datum('NetworkBytesOut', { CacheClusterId: 'rh-cost-001' }, t, 60 * 1024 ** 2),
      // The replica's replication traffic is not the app's: not counted.
      datum('NetworkBytesIn', { CacheClusterId: 'rh-cost-002' }, t, 999 * 1024 ** 2),
    ]),
  );
  await put(
    'AWS/EFS',
    minutes.flatMap((t) => [
      datum('DataReadIOBytes', efs, t, 200 * 1024 ** 2),
      datum('DataWriteIOBytes', efs, t, 100 * 1024 ** 2),
      datum('StorageBytes', { ...efs, StorageClass: 'Total' }, t, 7.3 * GiB),
    ]),
  );
  await put(
    'AWS/NATGateway',
    minutes.flatMap((t) =>
      targets.natGatewayIds!.flatMap((id) => [
        datum('BytesInFromSource', { NatGatewayId: id }, t, 10 * 1024 ** 2),
        datum('BytesInFromDestination', { NatGatewayId: id }, t, 30 * 1024 ** 2),
      ]),
    ),
  );
});

after(async () => {
  cloudWatch?.destroy();
  autoScaling?.destroy();
  await moto?.stop();
});

describe('an AWS run priced from moto-recorded metrics', () => {
  test('the collector reads usage, stack shape and runner fleet; the analysis prices them', async () => {
    // moto records no scaling activities: the runner group's launches and terminations come from
    // a wrapper around moto (boot 3 min before the window, wind-down 2 min after).
    const runnerActivities: Activity[] = runnerIds.flatMap((id, n) => [
      {
        ActivityId: `l${n}`,
        AutoScalingGroupName: runnerGroup,
        Progress: 100,
        Cause: 'fleet scale-up',
        Description: `Launching a new EC2 instance: ${id}`,
        StartTime: new Date((from - 180) * 1000),
        EndTime: new Date((from - 120) * 1000),
        StatusCode: 'Successful',
      },
      {
        ActivityId: `t${n}`,
        AutoScalingGroupName: runnerGroup,
        Progress: 100,
        Cause: 'fleet scale-down',
        Description: `Terminating EC2 instance: ${id}`,
        StartTime: new Date((to + 60) * 1000),
        EndTime: new Date((to + 120) * 1000),
        StatusCode: 'Successful',
      },
    ]);
    const runnerScaling = {
      send: async (command: unknown) =>
        command instanceof DescribeScalingActivitiesCommand
          ? { Activities: runnerActivities }
          : autoScaling.send(command as never),
    } as Pick<AutoScalingClient, 'send'>;
    const stackConfig = parseStackConfig({
      rehearsalId: '20261201-cost',
      accountId: ACCOUNT_ID,
      region,
      azCount: 2,
      natGateways: 'per-az',
      cache: { nodes: 2 },
    });
    const { telemetry } = await collectCloudWatchTelemetry({
      window: { from, to },
      targets,
      cloudWatch,
      autoScaling,
      stackConfig,
      runnerGroups: [{ region, asgName: runnerGroup, defaultType: 'c7g.xlarge', autoScaling: runnerScaling }],
    });
    const t = telemetrySchema.parse(JSON.parse(JSON.stringify(telemetry)));
    assert.deepEqual(t.stack, {
      region,
      aurora: { instanceClass: 'db.r7g.large', instances: 2, storage: 'standard', storageGb: 73 },
      cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 2 },
      efs: { storageGb: 7.3 },
      nat: { gateways: 2 },
      alb: { count: 1, rulesPerRequest: 1 },
    });
    const u = t.usage!;
    assert.equal(u.dbIoRequests, 10 * 50_000);
    assert.equal(u.efsReadBytes, 10 * 200 * 1024 ** 2);
    assert.equal(u.efsWriteBytes, 10 * 100 * 1024 ** 2);
    assert.equal(u.natBytes, 10 * 2 * 40 * 1024 ** 2);
    // Database 4 MiB/s × 60 s × 10 min plus cache primary 100 MiB × 10, half of it across AZs (2 AZs).
    assert.equal(u.interAzBytes, ((4 * 1024 ** 2 * 60 + 100 * 1024 ** 2) * 10) / 2);
    assert.deepEqual(u.notes, []);
    assert.deepEqual(
      t.runnerFleet!.instances.map((i) => [i.id, i.type, i.launchedAt, i.terminatedAt]),
      runnerIds.map((id) => [id, 'c7g.xlarge', from - 180, to + 120]),
    );

    const book = await loadPriceBook(new URL('../../../reports/price-book/prices.json', import.meta.url).pathname, {
      now: new Date('2026-12-01T00:00:00Z'),
    });
    const record = await fixtureRecord();
    Object.assign(record.run, {
      startedAt: new Date(from * 1000).toISOString(),
      endedAt: new Date(to * 1000).toISOString(),
      durationS: 600,
      runners: ['r1', 'r2'],
    });
    record.run.target = { kind: 'aws', baseUrl: 'https://shop.example.com' };
    record.totals.requests = 60_000;
    record.totals.bytes.received = 3 * GiB;
    record.orders = { accepted: Array.from({ length: 120 }, (_, i) => i + 1), repeatedIds: 0, withoutId: 0 };
    record.timeline = Array.from({ length: 600 }, (_, i) => ({
      t: from + i,
      requests: 100,
      failed: 0,
      p50: 80,
      p95: 150,
      p99: 220,
      checksFailed: 0,
      droppedIterations: 0,
      vus: 20,
    }));
    const a = analyseRun({
      record,
      telemetry: t,
      plan: null,
      slo: null,
      book,
      salePeak: { peakRps: 400, peakHours: 6 },
      now: new Date(),
    });
    const c = a.cost!;
    assert.ok(c, a.notes.join('; '));
    const H = 600 / 3600;
    const near = (x: number, y: number, what: string) => assert.ok(Math.abs(x - y) < 1e-9, `${what}: ${x} ≠ ${y}`);
    near(
      c.byComponent!.aurora,
      2 * 0.276 * H + (73 * 0.1 * 600) / (730 * 3600) + 0.5 * 0.2,
      'aurora: 2 instances, 73 GB, 0.5 M I/O',
    );
    near(c.byComponent!.nat, 2 * 0.045 * H + (800 / 1024) * 0.045, 'nat: 2 gateways, 800 MiB processed');
    near(c.byComponent!.efs, (7.3 * 0.3 * 600) / (730 * 3600) + (2000 / 1024) * 0.03 + (1000 / 1024) * 0.06, 'efs');
    near(c.byComponent!.interAz, 2 * (u.interAzBytes / GiB) * 0.01, 'inter-AZ, both directions');
    near(c.byComponent!.transferOut, 3 * 0.09, 'transfer out');
    assert.equal(Math.round(c.byComponent!.interAz * 100), 3, 'inter-AZ to the cent');
    assert.equal(c.completedOrders, 120);
    near(c.perCompletedOrder!, c.total / 120, 'per order');
    near(c.perRequest!, c.total / 60_000, 'per request');
    // The runner fleet over boot, load and wind-down: 2 × (600 + 180 + 120) s of c7g.xlarge.
    assert.deepEqual(c.rehearsal!.runnerSecondsByType, { 'c7g.xlarge': 1800 });
    near(c.rehearsal!.runners, 0.5 * 0.145, 'runners');
    assert.ok(c.rehearsal!.s3 > 0, "the run store's S3 requests");
    // The sale-day recommendation, on the deployed shape: 100 req/s held by 2 instances.
    const rec = a.recommendation!;
    assert.ok(rec, a.notes.join('; '));
    assert.equal(rec.modelled, false);
    assert.equal(rec.projection.instanceType, 'c7g.large');
    assert.ok(rec.projection.byComponent.nat > 2 * 0.045 * 6, 'both NAT gateways for the day');
  });
});
