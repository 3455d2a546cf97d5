// --target and friends, shared by the commands that talk to a target.
import { Option, type Command } from 'commander';
import { SCALING_PRESETS } from '../../infra/local/scaling-presets.ts';
import { parsePositive } from './command.ts';

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--target <kind>', 'where to rehearse: the local replica, an existing URL, or AWS')
        .choices(['local', 'url', 'aws'])
        .default('local'),
    )
    .option('--url <baseUrl>', "with --target url: the store's base URL (must be on the allowlist)")
    .option('--catalogue <file>', 'with --target url or aws: catalogue manifest of the store (categories, products)')
    .option('--aws-config <file>', 'with --target aws: the stack and runner-fleet config (infra/aws/README.md)')
    .option(
      '--instances <n>',
      'local replica: app instances behind the balancer at the start',
      parsePositive('--instances'),
    )
    .addOption(
      new Option(
        '--scaling <preset>',
        "local replica: the AWS stack's target tracking — compressed (every duration 12× shorter), aws (AWS time), off",
      )
        .choices(Object.keys(SCALING_PRESETS))
        .default('compressed'),
    )
    .option('--max-instances <n>', 'local replica: autoscaler maximum (default 4)', parsePositive('--max-instances'))
    .option(
      '--cpu-target <percent>',
      'local replica: target average CPU of in-service instances (default 50, as the AWS stack)',
      parsePositive('--cpu-target'),
    )
    .addOption(
      new Option(
        '--shop <kind>',
        'local replica: the fixture shop, or real WooCommerce from its pinned archives (needs internet or REHEARSE_WP_MIRROR)',
      )
        .choices(['fixture', 'woocommerce'])
        .default('fixture'),
    )
    .addOption(
      new Option(
        '--shop-cost <cost>',
        'local replica: what a request costs — calibrated (real WooCommerce 10.0.2, measured) or light (quick tests)',
      )
        .choices(['calibrated', 'light'])
        .default('calibrated'),
    );
}
