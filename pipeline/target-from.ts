// The target a command's flags name: the local replica (default), a bare URL, or AWS.
import { resolveTarget, type Target, type TargetKind } from '../infra/target.ts';
import type { ScalingPreset } from '../infra/local/scaling-presets.ts';

export interface TargetFlags {
  target: TargetKind;
  url?: string;
  catalogue?: string;
  instances?: number;
  awsConfig?: string;
  scaling?: ScalingPreset;
  maxInstances?: number;
  cpuTarget?: number;
  shop?: 'fixture' | 'woocommerce';
  shopCost?: 'calibrated' | 'light';
}

export function targetFrom(flags: TargetFlags, log: (line: string) => void, signal?: AbortSignal): Promise<Target> {
  return resolveTarget({
    kind: flags.target,
    url: flags.url,
    catalogue: flags.catalogue,
    instances: flags.instances,
    awsConfig: flags.awsConfig,
    scaling: flags.scaling,
    maxInstances: flags.maxInstances,
    cpuTarget: flags.cpuTarget,
    shop: flags.shop,
    shopCost: flags.shopCost,
    log,
    signal,
  });
}
