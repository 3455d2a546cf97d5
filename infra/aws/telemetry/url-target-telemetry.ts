// `--target url --cloudwatch`: telemetry for a store deployed by other means, from its Auto
// Scaling group and ALB by name (read-only calls: DescribeAutoScalingGroups, ListMetrics,
// GetMetricData, DescribeScalingActivities), and optionally its Aurora cluster and ElastiCache
// nodes. Scaling, tiers and (partial) cost then work as for a stack Rehearse deployed.
import { DescribeAutoScalingGroupsCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { ListMetricsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { InputError } from '../../../errors/errors.ts';
import type { Telemetry } from '../../telemetry/telemetry-schema.ts';
import { collectCloudWatchTelemetry, type CollectorTargets } from './cloudwatch-collector.ts';

export interface UrlCloudWatchOptions {
  region: string;
  asgName: string;
  /** The ALB's name (as in the console), not its ARN. */
  albName: string;
  dbClusterId?: string;
  cacheNodeIds?: string[];
  cloudWatch: Pick<CloudWatchClient, 'send'>;
  autoScaling: Pick<AutoScalingClient, 'send'>;
}

/** The ALB's CloudWatch dimension ("app/<name>/<id>") from its name, by the metrics it publishes. */
export async function albDimensionOf(
  cloudWatch: Pick<CloudWatchClient, 'send'>,
  albName: string,
  region: string,
): Promise<string> {
  const found = new Set<string>();
  let token: string | undefined;
  do {
    const page = await cloudWatch.send(
      new ListMetricsCommand({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', NextToken: token }),
    );
    for (const m of page.Metrics ?? []) {
      const lb = m.Dimensions?.find((d) => d.Name === 'LoadBalancer')?.Value;
      if (lb && lb.split('/')[1] === albName) found.add(lb);
    }
    token = page.NextToken;
  } while (token);
  if (found.size === 0)
    throw new InputError(
      `--alb ${albName}: no Application Load Balancer of that name has RequestCount metrics in ${region} (CloudWatch keeps them for 15 months after its last request): check the name and --region`,
    );
  if (found.size > 1)
    throw new InputError(
      `--alb ${albName}: ${found.size} balancers of that name published metrics in ${region} (${[...found].join(', ')}): it was recreated; give the live one's dimension as --alb app/NAME/ID`,
    );
  return [...found][0]!;
}

/** Checks the names before the load (a wrong one is exit 2 now, not a missing section later). */
export async function resolveUrlTargets(o: UrlCloudWatchOptions): Promise<CollectorTargets> {
  const groups = await o.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [o.asgName] }));
  const group = groups.AutoScalingGroups?.[0];
  if (!group)
    throw new InputError(
      `--asg ${o.asgName}: no Auto Scaling group of that name in ${o.region}: check the name and --region`,
    );
  const instanceType =
    group.Instances?.[0]?.InstanceType ?? group.MixedInstancesPolicy?.LaunchTemplate?.Overrides?.[0]?.InstanceType;
  if (!instanceType)
    throw new InputError(
      `--asg ${o.asgName}: its instance type cannot be read (no instances, and no mixed-instances override): scale it to at least one instance`,
    );
  const albArnSuffix = o.albName.startsWith('app/')
    ? o.albName
    : await albDimensionOf(o.cloudWatch, o.albName, o.region);
  return {
    asgName: o.asgName,
    instanceType,
    albArnSuffix,
    dbClusterId: o.dbClusterId ?? '',
    cacheMemberIds: o.cacheNodeIds ?? [],
  };
}

export async function urlTargetTelemetry(
  o: UrlCloudWatchOptions,
  targets: CollectorTargets,
  window: { from: number; to: number },
): Promise<Telemetry> {
  const { telemetry } = await collectCloudWatchTelemetry({
    window,
    targets,
    cloudWatch: o.cloudWatch,
    autoScaling: o.autoScaling,
    partialStack: { region: o.region },
  });
  return telemetry;
}
