// --target and friends, shared by the commands that talk to a target.
import { Option, type Command } from 'commander';
import { resolveTarget, type Target, type TargetKind } from '../../infra/target.ts';
import { log, parsePositive } from './command.ts';
import { SCALING_PRESETS, type ScalingPreset } from '../../infra/local/scaling-presets.ts';

export interface TargetFlags {
  target: TargetKind;
  url?: string;
  catalogue?: string;
  instances?: number;
  awsConfig?: string;
  scaling?: ScalingPreset;
  maxInstances?: number;
  cpuTarget?: number;
  shopCost?: 'calibrated' | 'light';
}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--target <kind>', 'where to rehearse: the local replica, an existing URL, or AWS').choices(['local', 'url', 'aws']).default('local'))
    .option('--url <baseUrl>', 'with --target url: the store\'s base URL (must be on the allowlist)')
    .option('--catalogue <file>', 'with --target url or aws: catalogue manifest of the store (categories, products)')
    .option('--aws-config <file>', 'with --target aws: the stack and runner-fleet config (infra/aws/README.md)')
    .option('--instances <n>', 'local replica: app instances behind the balancer at the start', parsePositive('--instances'))
    .addOption(new Option('--scaling <preset>', 'local replica: target-tracking autoscaler — compressed (AWS rule, time ~12× faster), aws (AWS periods), off')
      .choices(Object.keys(SCALING_PRESETS)).default('compressed'))
    .option('--max-instances <n>', 'local replica: autoscaler maximum (default 4)', parsePositive('--max-instances'))
    .option('--cpu-target <percent>', 'local replica: target average CPU of in-service instances (default 40)', parsePositive('--cpu-target'))
    .addOption(new Option('--shop-cost <cost>',
      'local replica: what a request costs — calibrated (real WooCommerce 10.0.2, measured) or light (quick tests)')
      .choices(['calibrated', 'light']).default('calibrated'));
}

export function targetFrom(flags: TargetFlags, signal?: AbortSignal): Promise<Target> {
  return resolveTarget({
    kind: flags.target, url: flags.url, catalogue: flags.catalogue, instances: flags.instances, awsConfig: flags.awsConfig,
    scaling: flags.scaling, maxInstances: flags.maxInstances, cpuTarget: flags.cpuTarget, shopCost: flags.shopCost,
    log, signal,
  });
}
