// Settings of the replica's autoscaler and of an instance's size. Defaults are AWS's (1-minute
// periods, 3 high / 15 low datapoints, 300 s default cooldown) and the AWS stack's (180 s default
// instance warm-up, 30 s deregistration delay); a rehearsal compresses every duration by one
// factor (scaling-presets.ts) and records that factor as `timeScale`.
import { z } from 'zod';
import { InputError } from '../../../errors/errors.ts';

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

export const metricKinds = ['cpu', 'requestsPerTarget'] as const;
export type MetricKind = (typeof metricKinds)[number];

/** One target-tracking policy (AWS: PutScalingPolicy, PolicyType TargetTrackingScaling). */
export const trackingPolicySchema = z.object({
  name: z.string().min(1),
  /**
   * cpu: average CPU of counted instances, % of their share.
   * requestsPerTarget: requests per second per counted instance.
   */
  metric: z.enum(metricKinds),
  target: z.number().positive(),
  /** AWS's DisableScaleIn: this policy never asks for scale-in (and does not hold it back). */
  disableScaleIn: z.boolean().default(false),
});
export type TrackingPolicy = z.infer<typeof trackingPolicySchema>;

export const timeScaleSchema = z.object({
  /** AWS seconds per local second: every duration of the preset is AWS's divided by this. */
  factor: z.number().positive(),
  preset: z.string().min(1),
});
export type TimeScale = z.infer<typeof timeScaleSchema>;

export const autoscalingSchema = z
  .object({
    /** One policy, the short way (`policies` wins when given). */
    policyName: z.string().default('rehearse-target-tracking'),
    metric: z.enum(metricKinds).default('cpu'),
    target: z.number().positive().default(50),
    /** Several policies, each on its own metric (AWS: out when any asks, in only when all agree). */
    policies: z.array(trackingPolicySchema).min(1).max(metricKinds.length).optional(),
    min: z.number().int().min(1).default(1),
    max: z.number().int().min(1).max(64).default(4),
    /** Initial desired capacity; default: the replica's instance count. */
    desired: z.number().int().min(1).optional(),
    /** One alarm datapoint per period (AWS: 60 s); alarm actions are re-invoked every period in ALARM. */
    periodS: z.number().positive().default(60),
    /** Consecutive breaching datapoints for AlarmHigh (AWS: 3) and AlarmLow (AWS: 15). */
    highPeriods: z.number().int().min(1).default(3),
    lowPeriods: z.number().int().min(1).default(15),
    /** AlarmLow fires below target × this (AWS: "usually more than 10 % lower" than the target). */
    lowThresholdFactor: z.number().gt(0).max(1).default(0.9),
    /** Instances removed per scale-in invocation at most: scale in gently. */
    scaleInStep: z.number().int().min(1).default(1),
    /** Launch → the balancer may register it (the instance "boots"). */
    bootS: z.number().min(0).default(60),
    /**
     * The group's DefaultInstanceWarmup: in service → counts in the metric, and scale-in waits for it.
     * null = not set, as on a group without one: AWS then uses the default cooldown instead.
     * Default 180 s, what the AWS stack sets (infra/aws/config/stack-config.ts warmupSeconds).
     */
    warmupS: z.number().min(0).max(3600).nullable().default(180),
    /** The group's DefaultCooldown (AWS: 300 s); the warm-up when `warmupS` is null. */
    defaultCooldownS: z.number().min(0).default(300),
    /** Deregistration delay: longest wait for in-flight requests before an instance is stopped anyway. */
    drainTimeoutS: z.number().min(0).default(30),
    /** Replace in-service instances the balancer's health check marks down. */
    replaceUnhealthy: z.boolean().default(true),
    /** Unhealthy instances replaced at a time, % of desired capacity, at least one (AWS: 10 %). */
    replaceUnhealthyPercent: z.number().gt(0).max(100).default(10),
    /** AWS's NewInstancesProtectedFromScaleIn: scale-in lowers desired but terminates none of them. */
    newInstancesProtectedFromScaleIn: z.boolean().default(false),
    /** How this local time relates to AWS time (set by the presets; recorded in telemetry.json). */
    timeScale: timeScaleSchema.optional(),
  })
  .refine((s) => s.min <= s.max, { message: 'min must be <= max' })
  .refine((s) => !s.policies || new Set(s.policies.map((p) => p.metric)).size === s.policies.length, {
    message: 'each policy needs its own metric (AWS allows one target-tracking policy per metric)',
    path: ['policies'],
  })
  .refine((s) => !s.policies || new Set(s.policies.map((p) => p.name)).size === s.policies.length, {
    message: 'policy names must differ',
    path: ['policies'],
  });
export type AutoscalingSettings = z.infer<typeof autoscalingSchema>;
export type AutoscalingInput = z.input<typeof autoscalingSchema>;

/** The policies in force: `policies`, or the one given by policyName/metric/target. */
export function trackingPolicies(s: AutoscalingSettings): TrackingPolicy[] {
  return s.policies ?? [{ name: s.policyName, metric: s.metric, target: s.target, disableScaleIn: false }];
}

/** The warm-up AWS applies: the default instance warm-up, or without one the default cooldown. */
export function effectiveWarmupS(s: Pick<AutoscalingSettings, 'warmupS' | 'defaultCooldownS'>): number {
  return s.warmupS ?? s.defaultCooldownS;
}

/** Parses with an error that names the option and the fix. */
export function parseSettings<T>(schema: z.ZodType<T>, input: unknown, where: string): T {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  throw new InputError(
    `${where}.${i.path.join('.') || '(root)'}: ${i.message}; ` +
      'fix that option (defaults in infra/local/autoscaler/settings.ts)',
  );
}
