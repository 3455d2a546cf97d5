// --cloudwatch for a store deployed by other means: telemetry from its Auto Scaling group and load
// balancer by name (read-only calls), so a URL target gets scaling, tiers and cost too.
import { InputError } from '../errors/errors.ts';
import type { Telemetry } from '../infra/telemetry/telemetry-schema.ts';

export interface CloudWatchFlags {
  cloudwatch?: boolean;
  asg?: string;
  alb?: string;
  region?: string;
  dbCluster?: string;
  cacheNode?: string[];
}

/** Checks the names before any load, then reads the window's telemetry when asked. */
export async function urlCloudWatch(
  kind: string,
  flags: CloudWatchFlags,
): Promise<(from: number, to: number) => Promise<Telemetry>> {
  if (kind !== 'url') {
    throw new InputError(
      `--cloudwatch is for a plan with target.kind "url" (this one is "${kind}"): an AWS stack Rehearse deployed ` +
        'reads CloudWatch through --aws-config, the local replica reports itself',
    );
  }
  const missing = (['asg', 'alb'] as const).filter((f) => !flags[f]).map((f) => `--${f}`);
  if (missing.length) {
    throw new InputError(
      `--cloudwatch needs ${missing.join(' and ')}: the store's app Auto Scaling group and its Application Load Balancer, by name`,
    );
  }
  const region = flags.region ?? process.env.AWS_REGION;
  if (!region) {
    throw new InputError("--cloudwatch needs the store's region: pass --region (e.g. us-east-1) or set AWS_REGION");
  }
  const [{ AutoScalingClient }, { CloudWatchClient }, { resolveUrlTargets, urlTargetTelemetry }] = await Promise.all([
    import('@aws-sdk/client-auto-scaling'),
    import('@aws-sdk/client-cloudwatch'),
    import('../infra/aws/telemetry/url-target-telemetry.ts'),
  ]);
  const o = {
    region,
    asgName: flags.asg!,
    albName: flags.alb!,
    dbClusterId: flags.dbCluster,
    cacheNodeIds: flags.cacheNode,
    cloudWatch: new CloudWatchClient({ region }),
    autoScaling: new AutoScalingClient({ region }),
  };
  const targets = await resolveUrlTargets(o);
  return (from, to) => urlTargetTelemetry(o, targets, { from, to });
}
