// Settings of the replica's autoscaler and of an instance's size. Defaults are AWS's (1-minute
// periods, 3 high / 15 low datapoints); a rehearsal compresses them (e.g. 2 s periods, 3 s boot).
import { z } from 'zod';

/**
 * Default instance size: 0.4 of a core and 2 php-fpm children. On this 2-core machine 4 such
 * instances take 1.6 cores and leave ~0.4 for MariaDB (~0.03 with the object cache), Redis,
 * HAProxy and a k6 at tens of requests/s; 2 children keep one request rendering while the other
 * waits on the DB (measured: fewer workers per instance gave more throughput).
 */
export const instanceSizeSchema = z.object({
  cpu: z.number().gt(0).max(64).default(0.4),
  fpmChildren: z.number().int().min(1).max(64).default(2),
});
export type InstanceSize = z.infer<typeof instanceSizeSchema>;
export type InstanceSizeInput = z.input<typeof instanceSizeSchema>;

export const autoscalingSchema = z.object({
  policyName: z.string().default('rehearse-target-tracking'),
  /** cpu: average CPU of in-service instances, % of their share. requestsPerTarget: requests per second per in-service instance. */
  metric: z.enum(['cpu', 'requestsPerTarget']).default('cpu'),
  target: z.number().positive().default(50),
  min: z.number().int().min(1).default(1),
  max: z.number().int().min(1).max(64).default(4),
  /** Initial desired capacity; default: the replica's instance count. */
  desired: z.number().int().min(1).optional(),
  /** One alarm datapoint per period (AWS: 60 s). */
  periodS: z.number().positive().default(60),
  /** Consecutive breaching periods for AlarmHigh (AWS: 3) and AlarmLow (AWS: 15). */
  highPeriods: z.number().int().min(1).default(3),
  lowPeriods: z.number().int().min(1).default(15),
  /** AlarmLow fires below target × this (AWS's target tracking uses 90 % of the target). */
  lowThresholdFactor: z.number().gt(0).max(1).default(0.9),
  /** Instances removed per scale-in activity at most: scale in gently. */
  scaleInStep: z.number().int().min(1).default(1),
  /** Launch → the balancer may register it (the instance "boots"). */
  bootS: z.number().min(0).default(60),
  /** In service → counts in the metric (AWS default instance warm-up). */
  warmupS: z.number().min(0).default(0),
  /** Longest wait for in-flight requests on scale-in before the instance is stopped anyway. */
  drainTimeoutS: z.number().min(0).default(30),
  /** Replace in-service instances the balancer's health check marks down. */
  replaceUnhealthy: z.boolean().default(true),
}).refine((s) => s.min <= s.max, { message: 'min must be <= max' });
export type AutoscalingSettings = z.infer<typeof autoscalingSchema>;
export type AutoscalingInput = z.input<typeof autoscalingSchema>;

/** Parses with an error that names the option and the fix. */
export function parseSettings<T>(schema: z.ZodType<T>, input: unknown, where: string): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new Error(`${where}.${i.path.join('.') || '(root)'}: ${i.message}; fix that option (defaults in infra/local/autoscaler/settings.ts)`);
}
