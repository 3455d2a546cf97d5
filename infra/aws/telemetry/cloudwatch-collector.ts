// AWS side of `telemetry(from, to)`: CloudWatch metrics of the app tier, balancer, Aurora and
// Redis (GetMetricData, 60 s periods) plus the Auto Scaling activities and the instance
// lifecycles they imply, written as one validated rehearse.telemetry/v1 file.
import fs from 'node:fs';
import path from 'node:path';
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity as AwsActivity,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { telemetrySchema, type Telemetry, type TelemetryInstance } from '../../telemetry/telemetry-schema.ts';
import { activitiesInWindow, lifecyclesFromActivities } from './scaling-activities.ts';
import { interAzEstimate, stackShapeOf } from './stack-shape.ts';
import type { StackConfig } from '../config/stack-config.ts';

type Series = Telemetry['capacity']['desired'];

/** What to read metrics for: the store stack's outputs (see targetsFromOutputs). */
export interface CollectorTargets {
  asgName: string;
  instanceType: string;
  /** "app/<name>/<id>": the LoadBalancer dimension. */
  albArnSuffix: string;
  /** '' when the store's database is not known (a URL target named only its group and balancer). */
  dbClusterId: string;
  /** ElastiCache member clusters ("<group>-001"…): the CacheClusterId dimension. */
  cacheMemberIds: string[];
  /** EFS file system (FileSystemId dimension); stacks deployed before it was an output have none. */
  efsId?: string;
  /** NAT gateways (NatGatewayId dimension); likewise optional. */
  natGatewayIds?: string[];
}

/** A runner group of the fleet, for the rehearsal's own cost (instances over boot, load and wind-down). */
export interface RunnerGroupTarget {
  region: string;
  asgName: string;
  /** Priced when Auto Scaling no longer says a terminated runner's type. */
  defaultType: string;
  autoScaling: Pick<AutoScalingClient, 'send'>;
}

export interface CollectOptions {
  window: { from: number; to: number };
  targets: CollectorTargets;
  cloudWatch: Pick<CloudWatchClient, 'send'>;
  autoScaling: Pick<AutoScalingClient, 'send'>;
  periodSeconds?: number;
  /** The store's config: with it, telemetry carries the billed stack shape and usage (cost on AWS). */
  stackConfig?: Pick<StackConfig, 'region' | 'azCount' | 'natGateways' | 'database' | 'cache'>;
  /** A store deployed by other means: only its group and balancer are known; the rest is not priced, and said so. */
  partialStack?: { region: string };
  /** The runner fleet's groups, when the run used it. */
  runnerGroups?: RunnerGroupTarget[];
}

export interface CollectResult {
  telemetry: Telemetry;
  /** Collected but with no field in rehearse.telemetry/v1 yet (see the schema's gaps). */
  unmapped: { targetResponseTimeSeconds: Series; elb5xx: Series };
}

interface Query {
  id: string;
  namespace: string;
  metric: string;
  dimensions: Record<string, string>;
  stat: string;
}

/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES = 500;

export async function collectCloudWatchTelemetry(opts: CollectOptions): Promise<CollectResult> {
  const { from, to } = opts.window;
  if (!(to > from)) throw new Error(`telemetry window must end after it starts (from ${from}, to ${to})`);
  const t = opts.targets;

  const rawActivities = await describeAllActivities(opts.autoScaling, t.asgName);
  const instances = await instancesInWindow(opts.autoScaling, rawActivities, t, from, to);

  const asg = { AutoScalingGroupName: t.asgName };
  const alb = { LoadBalancer: t.albArnSuffix };
  const db = { DBClusterIdentifier: t.dbClusterId };
  const queries: Query[] = [
    { id: 'desired', namespace: 'AWS/AutoScaling', metric: 'GroupDesiredCapacity', dimensions: asg, stat: 'Average' },
    { id: 'pending', namespace: 'AWS/AutoScaling', metric: 'GroupPendingInstances', dimensions: asg, stat: 'Average' },
    {
      id: 'inService',
      namespace: 'AWS/AutoScaling',
      metric: 'GroupInServiceInstances',
      dimensions: asg,
      stat: 'Average',
    },
    { id: 'asgCpu', namespace: 'AWS/EC2', metric: 'CPUUtilization', dimensions: asg, stat: 'Average' },
    ...instances.map((i, n) => ({
      id: `cpu${n}`,
      namespace: 'AWS/EC2',
      metric: 'CPUUtilization',
      dimensions: { InstanceId: i.id },
      stat: 'Average',
    })),
    { id: 'requests', namespace: 'AWS/ApplicationELB', metric: 'RequestCount', dimensions: alb, stat: 'Sum' },
    {
      id: 'responseTime',
      namespace: 'AWS/ApplicationELB',
      metric: 'TargetResponseTime',
      dimensions: alb,
      stat: 'Average',
    },
    {
      id: 'http5xx',
      namespace: 'AWS/ApplicationELB',
      metric: 'HTTPCode_Target_5XX_Count',
      dimensions: alb,
      stat: 'Sum',
    },
    { id: 'elb5xx', namespace: 'AWS/ApplicationELB', metric: 'HTTPCode_ELB_5XX_Count', dimensions: alb, stat: 'Sum' },
    {
      id: 'newConnections',
      namespace: 'AWS/ApplicationELB',
      metric: 'NewConnectionCount',
      dimensions: alb,
      stat: 'Sum',
    },
    {
      id: 'activeConnections',
      namespace: 'AWS/ApplicationELB',
      metric: 'ActiveConnectionCount',
      dimensions: alb,
      stat: 'Sum',
    },
    { id: 'processedBytes', namespace: 'AWS/ApplicationELB', metric: 'ProcessedBytes', dimensions: alb, stat: 'Sum' },
    ...(t.dbClusterId
      ? [
          { id: 'dbCpu', namespace: 'AWS/RDS', metric: 'CPUUtilization', dimensions: db, stat: 'Average' },
          // The cluster dimension gets one datapoint per instance each minute: Sum is writer + reader.
          { id: 'dbConnections', namespace: 'AWS/RDS', metric: 'DatabaseConnections', dimensions: db, stat: 'Sum' },
        ]
      : []),
    ...t.cacheMemberIds.flatMap((member, n) =>
      (['CPUUtilization', 'CurrConnections', 'Evictions'] as const).map((metric) => ({
        id: `cache${metric.replace(/[^A-Za-z]/g, '')}${n}`,
        namespace: 'AWS/ElastiCache',
        metric,
        dimensions: { CacheClusterId: member },
        stat: metric === 'CPUUtilization' ? 'Average' : 'Sum',
      })),
    ),
    ...(opts.stackConfig ? usageQueries(t) : []),
  ];
  const s = await getMetricData(opts.cloudWatch, queries, from, to, opts.periodSeconds ?? 60);
  const get = (id: string) => s.get(id) ?? [];
  const cacheSeries = (metric: string) => t.cacheMemberIds.map((_, n) => get(`cache${metric}${n}`));

  const perInstance = Object.fromEntries(instances.map((i, n) => [i.id, get(`cpu${n}`)]));
  // No instance known (e.g. the group was empty all window): keep the group's average, labelled as such.
  if (instances.length === 0 && get('asgCpu').length) perInstance[`asg-average:${t.asgName}`] = get('asgCpu');

  const telemetry = telemetrySchema.parse({
    schema: 'rehearse.telemetry/v1',
    source: 'aws',
    window: { from, to },
    capacity: { desired: get('desired'), pending: get('pending'), inService: get('inService') },
    instances,
    activities: activitiesInWindow(rawActivities, from, to),
    cpu: { perInstance, db: get('dbCpu'), cache: combine(cacheSeries('CPUUtilization'), 'avg') },
    connections: { db: get('dbConnections'), cache: combine(cacheSeries('CurrConnections'), 'sum') },
    balancer: {
      requests: get('requests'),
      newConnections: get('newConnections'),
      activeConnections: get('activeConnections'),
      processedBytes: get('processedBytes'),
      http5xx: get('http5xx'),
    },
    cache: { evictions: combine(cacheSeries('Evictions'), 'sum') },
    ...(opts.stackConfig ? usageFields(opts.stackConfig, t, get, opts.periodSeconds ?? 60) : {}),
    ...(!opts.stackConfig && opts.partialStack ? partialStackFields(opts.partialStack.region, t) : {}),
    ...(opts.runnerGroups?.length
      ? { runnerFleet: { instances: await runnerLifecycles(opts.runnerGroups, from, to) } }
      : {}),
  });
  return { telemetry, unmapped: { targetResponseTimeSeconds: get('responseTime'), elb5xx: get('elb5xx') } };
}

/** Usage the cost model needs that has no series in the schema: sums over the window. */
function usageQueries(t: CollectorTargets): Query[] {
  const db = { DBClusterIdentifier: t.dbClusterId };
  const q: Query[] = !t.dbClusterId
    ? []
    : [
        // Billed I/O per 5 minutes, at the cluster: Sum over the window is the window's I/O.
        { id: 'dbReadIo', namespace: 'AWS/RDS', metric: 'VolumeReadIOPs', dimensions: db, stat: 'Sum' },
        { id: 'dbWriteIo', namespace: 'AWS/RDS', metric: 'VolumeWriteIOPs', dimensions: db, stat: 'Sum' },
        { id: 'dbVolumeBytes', namespace: 'AWS/RDS', metric: 'VolumeBytesUsed', dimensions: db, stat: 'Maximum' },
        // Bytes per second, one point per instance a minute: Sum is all instances.
        { id: 'dbNetIn', namespace: 'AWS/RDS', metric: 'NetworkReceiveThroughput', dimensions: db, stat: 'Sum' },
        { id: 'dbNetOut', namespace: 'AWS/RDS', metric: 'NetworkTransmitThroughput', dimensions: db, stat: 'Sum' },
      ];
  const primary = t.cacheMemberIds[0];
  if (primary) {
    q.push({
      id: 'cacheNetIn',
      namespace: 'AWS/ElastiCache',
      metric: 'NetworkBytesIn',
      dimensions: { CacheClusterId: primary },
      stat: 'Sum',
    });
    q.push({
      id: 'cacheNetOut',
      namespace: 'AWS/ElastiCache',
      metric: 'NetworkBytesOut',
      dimensions: { CacheClusterId: primary },
      stat: 'Sum',
    });
  }
  if (t.efsId) {
    const efs = { FileSystemId: t.efsId };
    q.push({ id: 'efsRead', namespace: 'AWS/EFS', metric: 'DataReadIOBytes', dimensions: efs, stat: 'Sum' });
    q.push({ id: 'efsWrite', namespace: 'AWS/EFS', metric: 'DataWriteIOBytes', dimensions: efs, stat: 'Sum' });
    q.push({
      id: 'efsStorage',
      namespace: 'AWS/EFS',
      metric: 'StorageBytes',
      dimensions: { ...efs, StorageClass: 'Total' },
      stat: 'Maximum',
    });
  }
  (t.natGatewayIds ?? []).forEach((id, n) => {
    // Processed = what enters the gateway from either side.
    q.push({
      id: `natInSrc${n}`,
      namespace: 'AWS/NATGateway',
      metric: 'BytesInFromSource',
      dimensions: { NatGatewayId: id },
      stat: 'Sum',
    });
    q.push({
      id: `natInDst${n}`,
      namespace: 'AWS/NATGateway',
      metric: 'BytesInFromDestination',
      dimensions: { NatGatewayId: id },
      stat: 'Sum',
    });
  });
  return q;
}

const total = (s: Series) => s.reduce((a, p) => a + p.v, 0);
const peak = (s: Series) => s.reduce((a, p) => Math.max(a, p.v), 0);

function usageFields(
  config: NonNullable<CollectOptions['stackConfig']>,
  t: CollectorTargets,
  get: (id: string) => Series,
  period: number,
): Pick<Telemetry, 'stack' | 'usage'> {
  const notes: string[] = [];
  const auroraBytes = peak(get('dbVolumeBytes'));
  if (!get('dbVolumeBytes').length)
    notes.push('no Aurora VolumeBytesUsed datapoints in the window: Aurora storage priced as 0 GB');
  let efsBytes: number | undefined;
  if (!t.efsId)
    notes.push(
      'the store stack has no efs_id output (deployed by an older Rehearse): EFS storage and throughput priced as 0',
    );
  else efsBytes = peak(get('efsStorage'));
  if (!t.natGatewayIds)
    notes.push(
      'the store stack has no nat_gateway_ids output (deployed by an older Rehearse): NAT data processing priced as 0',
    );
  const dbBytes = (total(get('dbNetIn')) + total(get('dbNetOut'))) * period;
  const cacheBytes = total(get('cacheNetIn')) + total(get('cacheNetOut'));
  const interAz = interAzEstimate(dbBytes, cacheBytes, config.azCount);
  return {
    stack: stackShapeOf(config, { auroraBytes, efsBytes }),
    usage: {
      dbIoRequests: total(get('dbReadIo')) + total(get('dbWriteIo')),
      efsReadBytes: total(get('efsRead')),
      efsWriteBytes: total(get('efsWrite')),
      natBytes: (t.natGatewayIds ?? []).reduce(
        (a, _, n) => a + total(get(`natInSrc${n}`)) + total(get(`natInDst${n}`)),
        0,
      ),
      interAzBytes: interAz.bytes,
      interAzNote: interAz.note,
      notes,
    },
  };
}

/** A store Rehearse did not deploy: its app group and balancer are priced; what it cannot see is 0, said in notes. */
function partialStackFields(region: string, t: CollectorTargets): Pick<Telemetry, 'stack' | 'usage'> {
  return {
    stack: {
      region,
      aurora: { instanceClass: 'db.r7g.large', instances: 0, storage: 'standard', storageGb: 0 },
      cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 0 },
      efs: { storageGb: 0 },
      nat: { gateways: 0 },
      alb: { count: 1, rulesPerRequest: 1 },
    },
    usage: {
      dbIoRequests: 0,
      efsReadBytes: 0,
      efsWriteBytes: 0,
      natBytes: 0,
      interAzBytes: 0,
      interAzNote: '',
      notes: [
        `a store deployed by other means: only its app instances (${t.asgName}), its load balancer and transfer out are priced; ` +
          'its database, cache, shared files, NAT gateways and traffic between AZs are not (Rehearse does not know their sizes)',
      ],
    },
  };
}

/** Each runner's life from its group's activities (boot to termination), and live members' types. */
async function runnerLifecycles(
  groups: RunnerGroupTarget[],
  from: number,
  to: number,
): Promise<NonNullable<Telemetry['runnerFleet']>['instances']> {
  const out: NonNullable<Telemetry['runnerFleet']>['instances'] = [];
  for (const g of groups) {
    const activities = await describeAllActivities(g.autoScaling, g.asgName);
    const live = await g.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [g.asgName] }));
    const types = new Map(
      (live.AutoScalingGroups?.[0]?.Instances ?? []).map((i) => [i.InstanceId!, i.InstanceType ?? g.defaultType]),
    );
    for (const l of lifecyclesFromActivities(activities, g.defaultType, from)) {
      if (l.launchedAt > to || (l.terminatedAt ?? Infinity) < from) continue;
      out.push({
        id: l.id,
        type: types.get(l.id) ?? l.type,
        launchedAt: l.launchedAt,
        ...(l.terminatedAt !== undefined ? { terminatedAt: l.terminatedAt } : {}),
        region: g.region,
      });
    }
  }
  return out.sort((a, b) => a.launchedAt - b.launchedAt || a.id.localeCompare(b.id));
}

/** Validates and writes atomically (a reader never sees half a file). */
export function writeTelemetryFile(file: string, telemetry: Telemetry): void {
  const valid = telemetrySchema.parse(telemetry);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** Collector targets from the store stack's `terraform output -json`. */
export function targetsFromOutputs(outputs: Record<string, { value: unknown }>): CollectorTargets {
  const need = (name: string) => {
    const v = outputs[name]?.value;
    if (v === undefined || v === null || v === '')
      throw new Error(
        `store stack output "${name}" is missing: run terraform output -json in the store stack dir after apply`,
      );
    return v;
  };
  return {
    asgName: String(need('asg_name')),
    instanceType: String(need('instance_type')),
    albArnSuffix: String(need('alb_arn_suffix')),
    dbClusterId: String(need('db_cluster_id')),
    cacheMemberIds: (need('cache_member_ids') as unknown[]).map(String),
    ...(typeof outputs.efs_id?.value === 'string' ? { efsId: outputs.efs_id.value } : {}),
    ...(Array.isArray(outputs.nat_gateway_ids?.value)
      ? { natGatewayIds: (outputs.nat_gateway_ids.value as unknown[]).map(String) }
      : {}),
  };
}

async function describeAllActivities(client: Pick<AutoScalingClient, 'send'>, group: string): Promise<AwsActivity[]> {
  const out: AwsActivity[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 100, NextToken: token }),
    );
    out.push(...(page.Activities ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** Lifecycles from activities, plus current members with no launch on record (launched before the history). */
async function instancesInWindow(
  client: Pick<AutoScalingClient, 'send'>,
  activities: AwsActivity[],
  t: CollectorTargets,
  from: number,
  to: number,
): Promise<TelemetryInstance[]> {
  const byId = new Map(lifecyclesFromActivities(activities, t.instanceType, from).map((i) => [i.id, i]));
  const groups = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [t.asgName] }));
  for (const i of groups.AutoScalingGroups?.[0]?.Instances ?? []) {
    if (!i.InstanceId || byId.has(i.InstanceId)) continue;
    byId.set(i.InstanceId, {
      id: i.InstanceId,
      type: i.InstanceType ?? t.instanceType,
      launchedAt: from,
      ...(i.LifecycleState === 'InService' ? { inServiceAt: from } : {}),
    });
  }
  return [...byId.values()]
    .filter((i) => i.launchedAt <= to && (i.terminatedAt ?? Infinity) >= from)
    .sort((a, b) => a.launchedAt - b.launchedAt || a.id.localeCompare(b.id));
}

async function getMetricData(
  client: Pick<CloudWatchClient, 'send'>,
  queries: Query[],
  from: number,
  to: number,
  period: number,
): Promise<Map<string, Series>> {
  const points = new Map<string, Map<number, number>>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES) {
    const batch: MetricDataQuery[] = queries.slice(i, i + MAX_QUERIES).map((q) => ({
      Id: q.id,
      MetricStat: {
        Metric: {
          Namespace: q.namespace,
          MetricName: q.metric,
          Dimensions: Object.entries(q.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: period,
        Stat: q.stat,
      },
    }));
    let token: string | undefined;
    do {
      const page = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: batch,
          StartTime: new Date(from * 1000),
          EndTime: new Date(to * 1000),
          ScanBy: 'TimestampAscending',
          NextToken: token,
        }),
      );
      for (const r of page.MetricDataResults ?? []) {
        const series = points.get(r.Id!) ?? new Map<number, number>();
        (r.Timestamps ?? []).forEach((ts, k) => series.set(Math.floor(new Date(ts).getTime() / 1000), r.Values![k]!));
        points.set(r.Id!, series);
      }
      token = page.NextToken;
    } while (token);
  }
  return new Map(
    [...points].map(([id, m]) => [
      id,
      [...m]
        .filter(([ts]) => ts >= from && ts <= to)
        .sort(([a], [b]) => a - b)
        .map(([ts, v]) => ({ t: ts, v })),
    ]),
  );
}

/** Several nodes' series into one, per timestamp. */
export function combine(list: Series[], how: 'avg' | 'sum'): Series {
  const acc = new Map<number, { sum: number; n: number }>();
  for (const s of list)
    for (const p of s) {
      const e = acc.get(p.t) ?? { sum: 0, n: 0 };
      acc.set(p.t, { sum: e.sum + p.v, n: e.n + 1 });
    }
  return [...acc].sort(([a], [b]) => a - b).map(([t, e]) => ({ t, v: how === 'avg' ? e.sum / e.n : e.sum }));
}
