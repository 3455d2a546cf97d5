// rehearse plan: profile + scale + target → plan.json
import { InputError } from '../../errors/errors.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import { DEFAULT_SCALE, makePlan, profileFor, type ScaleFlags } from '../../pipeline/make-plan.ts';
import { builtinProfileNames } from '../../pipeline/profile-path.ts';
import { targetFrom, type TargetFlags } from '../../pipeline/target-from.ts';
import { log, newCommand, parseDuration, parsePositive } from './command.ts';
import { addTargetOptions } from './target-options.ts';

export function addScaleOptions(cmd: ReturnType<typeof newCommand>) {
  return cmd
    .option(
      '--profile <name|file>',
      `traffic profile: a built-in (${builtinProfileNames().join(', ')}) or a JSON file`,
      DEFAULT_SCALE.profile,
    )
    .option(
      '--peak-rate <n>',
      `journeys started per second at the profile's peak, all journeys together (default ${DEFAULT_SCALE.peakRate})`,
      parsePositive('--peak-rate'),
    )
    .option(
      '--peak-rps <n>',
      "or: requests per second at the peak (converted through the journeys' request counts and the mix)",
      parsePositive('--peak-rps'),
    )
    .option(
      '--duration <d>',
      `how long the load runs; the profile's whole span is compressed into it (e.g. 90s, 5m; default ${DEFAULT_SCALE.durationS}s)`,
      parseDuration,
    )
    .option('--max-rate <n>', 'safety cap on the peak journey rate (default 50)', parsePositive('--max-rate'))
    .option('--allow-host <host...>', 'hosts the load may go to (default: loopback only)')
    .option('--slo <file>', "SLO file (scenarios/slo/): k6 thresholds now, the gate's objectives later")
    .option(
      '--replay <file>',
      'replay the URLs of `rehearse profile from-log --replay-out` at their logged pace instead of a profile',
    );
}

export function planCommand() {
  return addScaleOptions(
    addTargetOptions(
      newCommand('plan').description('turn a profile and a scale into plan.json (k6 scenarios); the target must be up'),
    ),
  )
    .option('--out <file>', 'where to write the plan', 'plan.json')
    .action(async (flags: TargetFlags & ScaleFlags & { out: string }) => {
      const profile = await profileFor(flags);
      const target = await targetFrom(flags, log);
      const status = await target.status();
      if (!status.running) {
        throw new InputError(`the ${flags.target} target is not running: run \`rehearse stack up\` first`);
      }
      const plan = await makePlan(flags, profile, await target.up(), flags.target);
      await writePlan(flags.out, plan);
      log(`plan ${plan.id}: ${Math.round(plan.expected.total)} journeys over ${plan.run.durationS} s → ${flags.out}`);
    });
}
