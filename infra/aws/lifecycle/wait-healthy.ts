// `up` returns only once the ALB has healthy targets: load that starts earlier meets 503s for
// minutes (bootstrap installs software before the health check turns green). Progress is logged
// each time the count changes, and at least once a minute.
import { setTimeout as delay } from 'node:timers/promises';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { RunError } from '../../../errors/errors.ts';

export interface TargetCounts {
  healthy: number;
  unhealthy: number;
}
export type HealthProbe = () => Promise<TargetCounts>;

export class UnhealthyStackError extends RunError {}

export interface WaitHealthyOptions {
  probe: HealthProbe;
  /** Healthy targets needed: the app tier's desired capacity. */
  want: number;
  timeoutMs: number;
  intervalMs?: number;
  log: (line: string) => void;
  signal?: AbortSignal;
  now?: () => number;
}

export async function waitForHealthyTargets(opts: WaitHealthyOptions): Promise<TargetCounts> {
  const now = opts.now ?? Date.now;
  const started = now();
  let last = '';
  let lastLogAt = 0;
  for (;;) {
    if (opts.signal?.aborted) throw new UnhealthyStackError('interrupted while waiting for healthy targets');
    const counts = await opts.probe().catch((e: Error) => {
      opts.log(`target health not readable yet (${e.message}); retrying`);
      return { healthy: 0, unhealthy: 0 };
    });
    const line = `${counts.healthy}/${opts.want} targets healthy${counts.unhealthy ? `, ${counts.unhealthy} unhealthy` : ''}`;
    const elapsed = now() - started;
    if (line !== last || now() - lastLogAt >= 60_000) {
      opts.log(`waiting for healthy targets: ${line} after ${Math.round(elapsed / 1000)} s`);
      last = line;
      lastLogAt = now();
    }
    if (counts.healthy >= opts.want) return counts;
    if (elapsed >= opts.timeoutMs) {
      throw new UnhealthyStackError(
        `only ${line} after ${Math.round(elapsed / 1000)} s: the app instances did not pass the ALB health check. ` +
          'Look at /var/log/rehearse-bootstrap.log on an instance (SSM Session Manager), the target group in the EC2 console, ' +
          "and the console output of the db-user-bootstrap instance (it creates WordPress's database user)",
      );
    }
    // Ends early on abort, and leaves no listener on the signal behind (a wait polls many times).
    await delay(opts.intervalMs ?? 15_000, undefined, { signal: opts.signal }).catch(() => {});
  }
}

/**
 * Healthy/unhealthy host counts from CloudWatch (AWS/ApplicationELB, 1-minute, last 3 minutes).
 * Lags the ALB by about a minute; DescribeTargetHealth would be immediate but needs the ELBv2 client.
 */
export function cloudWatchHealthProbe(
  region: string,
  albArnSuffix: string,
  targetGroupArnSuffix: string,
  client: Pick<CloudWatchClient, 'send'> = new CloudWatchClient({ region }),
): HealthProbe {
  return async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 180_000);
    const metric = (id: string, name: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApplicationELB',
          MetricName: name,
          Dimensions: [
            { Name: 'LoadBalancer', Value: albArnSuffix },
            { Name: 'TargetGroup', Value: targetGroupArnSuffix },
          ],
        },
        Period: 60,
        Stat: 'Maximum',
      },
    });
    const res = await client.send(
      new GetMetricDataCommand({
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampDescending',
        MetricDataQueries: [metric('healthy', 'HealthyHostCount'), metric('unhealthy', 'UnHealthyHostCount')],
      }),
    );
    const latest = (id: string) => res.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0] ?? 0;
    return { healthy: latest('healthy'), unhealthy: latest('unhealthy') };
  };
}
