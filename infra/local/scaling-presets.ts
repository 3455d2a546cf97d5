// Named autoscaler settings for the CLI. Both presets are the AWS stack's group (two target-tracking
// policies, AWS's alarms, the stack's warm-up and deregistration delay); "compressed" divides every
// duration by one factor and changes nothing else (same datapoint counts, targets, limits), so a
// rehearsal of a few minutes shows what AWS does in an hour. The factor goes to telemetry.json
// (timeScale) so the report can state AWS-time figures.
import type { AutoscalingInput } from './autoscaler/settings.ts';

/**
 * The AWS stack's group in AWS seconds: policies and warm-up as infra/aws/stack/app-tier.ts sets
 * them (stack-config.ts defaults: CPU 50 %, 3000 requests per target per minute = 50/s, warm-up
 * 180 s), deregistration delay 30 s (load-balancer.ts), AWS's 1-minute alarms (3 high / 15 low
 * datapoints) and 300 s default cooldown, ~90 s from launch to in service. min/max 2/4: what this
 * 2-core machine holds (the stack's max is 10).
 */
export const AWS_GROUP = {
  min: 2,
  max: 4,
  policies: [
    { name: 'cpu-target-tracking', metric: 'cpu', target: 50 },
    { name: 'request-count-target-tracking', metric: 'requestsPerTarget', target: 3000 / 60 },
  ],
  periodS: 60,
  highPeriods: 3,
  lowPeriods: 15,
  bootS: 90,
  warmupS: 180,
  defaultCooldownS: 300,
  drainTimeoutS: 30,
} satisfies AutoscalingInput;

/** Every setting that is a duration: the only ones a time scale touches. */
export const DURATION_SETTINGS = ['periodS', 'bootS', 'warmupS', 'defaultCooldownS', 'drainTimeoutS'] as const;

/** The same group on a clock `factor` times faster: every duration divided, nothing else changed. */
export function compressTime(settings: AutoscalingInput, factor: number, preset: string): AutoscalingInput {
  if (!(factor > 0)) throw new Error(`time scale factor must be > 0, got ${factor}`);
  const out: AutoscalingInput = { ...settings, timeScale: { factor, preset } };
  for (const k of DURATION_SETTINGS) {
    const v = settings[k];
    if (typeof v === 'number') out[k] = v / factor;
  }
  return out;
}

/** A minute of AWS time in 5 s: long enough for a CPU datapoint over a 1-second sampler. */
export const COMPRESSION = 12;

export const SCALING_PRESETS = {
  off: false,
  compressed: compressTime(AWS_GROUP, COMPRESSION, 'compressed'),
  aws: compressTime(AWS_GROUP, 1, 'aws'),
} as const satisfies Record<string, AutoscalingInput | false>;

export type ScalingPreset = keyof typeof SCALING_PRESETS;

export function scalingSettings(
  preset: ScalingPreset,
  overrides: { max?: number; cpuTarget?: number } = {},
): AutoscalingInput | false {
  const base = SCALING_PRESETS[preset];
  if (base === false) return false;
  const policies = base.policies?.map((p) =>
    p.metric === 'cpu' && overrides.cpuTarget ? { ...p, target: overrides.cpuTarget } : p,
  );
  return { ...base, ...(policies ? { policies } : {}), ...(overrides.max ? { max: overrides.max } : {}) };
}
