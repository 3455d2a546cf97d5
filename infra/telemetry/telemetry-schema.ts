// What a target reports about itself for a time window. The local replica and the AWS
// collector (CloudWatch + DescribeScalingActivities) both write this one schema, so everything
// downstream (analysis, cost, report) is the same code for both.
import { z } from 'zod';

/** Unix seconds. Series are sampled at the target's resolution (1 s locally, 60 s on CloudWatch). */
const unixS = z.number().nonnegative();
const point = z.object({ t: unixS, v: z.number() });
const count = z.number().nonnegative();

/** The stack's billed shape (reports/cost/cost-types.ts StackCostConfig has the same fields). */
export const stackShapeSchema = z.object({
  region: z.string().min(1),
  aurora: z.object({
    instanceClass: z.string().min(1),
    instances: z.number().int().nonnegative(),
    storage: z.enum(['standard', 'io-optimized']),
    storageGb: count,
  }),
  cache: z.object({
    engine: z.enum(['redis', 'valkey']),
    nodeType: z.string().min(1),
    nodes: z.number().int().nonnegative(),
  }),
  efs: z.object({ storageGb: count }),
  nat: z.object({ gateways: z.number().int().nonnegative() }),
  alb: z.object({ count: z.number().int().nonnegative(), rulesPerRequest: count }),
});
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
  balancer: z
    .object({
      requests: series,
      newConnections: series,
      activeConnections: series,
      processedBytes: series,
      http5xx: series,
    })
    .partial(),
  cache: z.object({ evictions: series }).partial().optional(),
  orders: z.object({ persisted: z.number().int().nonnegative(), countedAt: unixS }).optional(),
  /**
   * When the target ran on a compressed clock (the local replica's scaling presets): AWS seconds
   * per second here, so an AWS-time figure is a duration here × factor. Absent: real time.
   */
  timeScale: z.object({ factor: z.number().positive(), preset: z.string() }).optional(),
  /**
   * AWS: the deployed stack's billed shape (from its config and CloudWatch), so a run's cost can be
   * priced from this file alone. Same shape as the cost model's StackCostConfig (reports/cost).
   */
  stack: stackShapeSchema.optional(),
  /** AWS: usage in the window that has no series above (CloudWatch sums over the window). */
  usage: z
    .object({
      /** Aurora billed I/O requests (VolumeReadIOPs + VolumeWriteIOPs). */
      dbIoRequests: count,
      efsReadBytes: count,
      efsWriteBytes: count,
      /** Bytes the NAT gateways processed (in from the instances plus in from the internet). */
      natBytes: count,
      /** Bytes that crossed AZs between app, database and cache (an estimate: see interAzNote). */
      interAzBytes: count,
      interAzNote: z.string(),
      /** What could not be read (no such output, no datapoints), in words. */
      notes: z.array(z.string()),
    })
    .optional(),
  /** The k6 runner fleet's machines in the window (rehearsal cost, not the store's). */
  runnerFleet: z
    .object({
      instances: z.array(
        z.object({
          id: z.string(),
          type: z.string(),
          launchedAt: unixS,
          terminatedAt: unixS.optional(),
          region: z.string(),
        }),
      ),
    })
    .optional(),
});

export type Telemetry = z.infer<typeof telemetrySchema>;
export type Activity = z.infer<typeof activitySchema>;
export type TelemetryInstance = z.infer<typeof instanceSchema>;
