// Named autoscaler settings for the CLI. AWS's own periods (1-minute datapoints, 3 high / 15 low,
// a boot of a minute) would never act inside a few-minute rehearsal, so the default compresses
// time ~12×: a 5 s period stands for a minute, an 8 s boot for a 90 s instance launch.
import type { AutoscalingInput } from './autoscaler/settings.ts';

export const SCALING_PRESETS = {
  off: false,
  compressed: { periodS: 5, highPeriods: 2, lowPeriods: 6, bootS: 8, warmupS: 5, drainTimeoutS: 5, min: 2, max: 4, target: 40 },
  aws: { min: 2, max: 4, target: 50 },
} as const satisfies Record<string, AutoscalingInput | false>;

export type ScalingPreset = keyof typeof SCALING_PRESETS;

export function scalingSettings(preset: ScalingPreset, overrides: { max?: number; cpuTarget?: number } = {}): AutoscalingInput | false {
  const base = SCALING_PRESETS[preset];
  if (base === false) return false;
  return { ...base, ...(overrides.max ? { max: overrides.max } : {}), ...(overrides.cpuTarget ? { target: overrides.cpuTarget } : {}) };
}
