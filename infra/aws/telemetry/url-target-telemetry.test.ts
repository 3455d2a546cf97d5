// `--target url --cloudwatch` against moto (127.0.0.1, dummy credentials): a store Rehearse did not
// deploy, known by its Auto Scaling group and ALB name, gets scaling, tiers and a partial cost.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { analyseRun } from '../../../reports/analyse/analyse-run.ts';
import { fixtureRecord } from '../../../reports/fixtures/fixture-record.ts';
import { loadPriceBook } from '../../../reports/price-book/load-price-book.ts';
import { MOTO_CREDENTIALS, startMoto, type MotoServer } from '../testing/moto-server.ts';
import { resolveUrlTargets, urlTargetTelemetry, type UrlCloudWatchOptions } from './url-target-telemetry.ts';

const region = 'us-east-1';
const now = Math.floor(Date.now() / 1000);
const to = Math.ceil(now / 60) * 60 + 120;
const from = to - 600;
const minutes = Array.from({ length: 10 }, (_, k) => from + 60 * k + 30);
const LB = 'app/my-shop/0123456789abcdef';

let moto: MotoServer;
let opts: UrlCloudWatchOptions;

const datum = (metric: string, dims: Record<string, string>, t: number, value: number): MetricDatum => ({
  MetricName: metric,
  Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
  Timestamp: new Date(t * 1000),
  Value: value,
});

before(async () => {
  moto = await startMoto();
  const client = { region, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
  const cloudWatch = new CloudWatchClient(client);
  const autoScaling = new AutoScalingClient(client);
  await autoScaling.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'shop',
      ImageId: 'ami-12c6146b',
      InstanceType: 'm7g.large',
    }),
  );
  await autoScaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'shop-web',
      LaunchConfigurationName: 'shop',
      MinSize: 0,
      MaxSize: 4,
      DesiredCapacity: 2,
      AvailabilityZones: [`${region}a`],
    }),
  );
  const put = (ns: string, data: MetricDatum[]) =>
    cloudWatch.send(new PutMetricDataCommand({ Namespace: ns, MetricData: data }));
  await put(
    'AWS/ApplicationELB',
    minutes.flatMap((t) => [
      datum('RequestCount', { LoadBalancer: LB }, t, 3000),
      datum('NewConnectionCount', { LoadBalancer: LB }, t, 300),
      datum('ActiveConnectionCount', { LoadBalancer: LB }, t, 100),
      datum('ProcessedBytes', { LoadBalancer: LB }, t, 1024 ** 2),
      datum('RequestCount', { LoadBalancer: 'app/someone-else/fedcba9876543210' }, t, 5),
    ]),
  );
  await put(
    'AWS/RDS',
    minutes.map((t) => datum('CPUUtilization', { DBClusterIdentifier: 'shop-db' }, t, 55)),
  );
  opts = { region, asgName: 'shop-web', albName: 'my-shop', dbClusterId: 'shop-db', cloudWatch, autoScaling };
});

after(async () => {
  opts?.cloudWatch && (opts.cloudWatch as CloudWatchClient).destroy();
  opts?.autoScaling && (opts.autoScaling as AutoScalingClient).destroy();
  await moto?.stop();
});

describe('a store deployed by other means, through CloudWatch', () => {
  test('names resolve before the load; wrong ones are input errors naming the flag', async () => {
    const t = await resolveUrlTargets(opts);
    assert.deepEqual(t, {
      asgName: 'shop-web',
      instanceType: 'm7g.large',
      albArnSuffix: LB,
      dbClusterId: 'shop-db',
      cacheMemberIds: [],
    });
    await assert.rejects(
      resolveUrlTargets({ ...opts, albName: 'no-such-lb' }),
      /--alb no-such-lb: no Application Load Balancer of that name has RequestCount metrics in us-east-1/,
    );
    await assert.rejects(
      resolveUrlTargets({ ...opts, asgName: 'nope' }),
      /--asg nope: no Auto Scaling group of that name in us-east-1/,
    );
  });

  test('scaling, tiers and a partial cost: app instances, balancer and transfer out priced, the rest said', async () => {
    const telemetry = await urlTargetTelemetry(opts, await resolveUrlTargets(opts), { from, to });
    assert.equal(telemetry.source, 'aws');
    assert.equal(telemetry.instances.length, 2);
    assert.equal(
      telemetry.balancer.requests!.reduce((a, p) => a + p.v, 0),
      30_000,
    );
    assert.equal(telemetry.cpu.db[0]!.v, 55, 'the database tier, from --db-cluster');
    assert.deepEqual(telemetry.cpu.cache, []);
    assert.equal(telemetry.stack!.aurora.instances, 0);

    const book = await loadPriceBook(new URL('../../../reports/price-book/prices.json', import.meta.url).pathname, {
      now: new Date('2026-12-01T00:00:00Z'),
    });
    const record = await fixtureRecord();
    Object.assign(record.run, {
      startedAt: new Date(from * 1000).toISOString(),
      endedAt: new Date(to * 1000).toISOString(),
      durationS: 600,
    });
    record.totals.requests = 30_000;
    record.totals.bytes.received = 1024 ** 3;
    const c = analyseRun({ record, telemetry, plan: null, slo: null, book, now: new Date() }).cost!;
    assert.ok(c);
    const H = 600 / 3600;
    assert.ok(Math.abs(c.byComponent!.ec2 - 2 * 0.0816 * H) < 1e-9, `ec2 ${c.byComponent!.ec2}`);
    assert.ok(Math.abs(c.byComponent!.transferOut - 0.09) < 1e-9);
    assert.ok(c.byComponent!.alb > 0.0225 * H);
    for (const k of ['aurora', 'cache', 'efs', 'nat', 'interAz']) assert.equal(c.byComponent![k], 0, k);
    assert.ok(
      c.assumptions.some((a) =>
        /its database, cache, shared files, NAT gateways and traffic between AZs are not/.test(a),
      ),
      c.assumptions.join('; '),
    );
  });
});
