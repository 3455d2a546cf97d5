// What a target reports about itself for a time window. The local replica and the AWS
// collector (CloudWatch + DescribeScalingActivities) both write this one schema, so everything
// downstream (analysis, cost, report) is the same code for both.
import { z } from 'zod';

/** Unix seconds. Series are sampled at the target's resolution (1 s locally, 60 s on CloudWatch). */
const unixS = z.number().nonnegative();
const point = z.object({ t: unixS, v: z.number() });
export const series = z.array(point);

export const instanceSchema = z.object({
  id: z.string(),
  /** The instance type it is (AWS) or stands for (local replica, from the run's cost mapping). */
  type: z.string(),
  launchedAt: unixS,
  /** When the balancer first counted it healthy; absent while still pending. */
  inServiceAt: unixS.optional(),
  terminatedAt: unixS.optional(),
});

export const activitySchema = z.object({
  id: z.string(),
  /** Like DescribeScalingActivities: StartTime, EndTime, Cause, StatusCode, Description. */
  start: unixS,
  end: unixS.optional(),
  cause: z.string(),
  status: z.enum(['Successful', 'InProgress', 'WaitingForInstanceWarmup', 'Failed', 'Cancelled']),
  description: z.string(),
  /** Change of desired capacity this activity made (+1 launch, -1 terminate). */
  delta: z.number().int(),
});

export const telemetrySchema = z.object({
  schema: z.literal('rehearse.telemetry/v1'),
  source: z.enum(['local', 'aws']),
  window: z.object({ from: unixS, to: unixS }),
  capacity: z.object({
    desired: series,
    pending: series,
    inService: series,
  }),
  instances: z.array(instanceSchema),
  activities: z.array(activitySchema),
  cpu: z.object({
    /** Per app instance, percent of its own capacity (100 = its whole share). */
    perInstance: z.record(z.string(), series),
    /** Percent: on AWS of the node's vCPUs (CloudWatch CPUUtilization); locally of one core (/proc). */
    db: series,
    cache: series,
  }),
  connections: z.object({ db: series, cache: series }),
  /** Balancer-side counts; AWS has them all from CloudWatch, the local replica from HAProxy. */
  balancer: z.object({
    requests: series,
    newConnections: series,
    activeConnections: series,
    processedBytes: series,
    http5xx: series,
  }).partial(),
  cache: z.object({ evictions: series }).partial().optional(),
  orders: z.object({ persisted: z.number().int().nonnegative(), countedAt: unixS }).optional(),
  /** The autoscaler's time compression (e.g. 5 s periods standing for AWS's 60 s: factor 12) and its preset. */
  timeScale: z.object({ factor: z.number().positive(), preset: z.string() }).optional(),
});

export type Telemetry = z.infer<typeof telemetrySchema>;
export type Activity = z.infer<typeof activitySchema>;
export type TelemetryInstance = z.infer<typeof instanceSchema>;
