// rehearse rehearsal: the whole thing in one command (what `npm run rehearsal` runs).
import { rehearsal } from '../../scripts/rehearsal.ts';
import { log, newCommand, parsePositive } from './command.ts';
import { addScaleOptions, type ScaleFlags } from './plan.ts';
import { addCloudWatchOptions, fleetBootOption, parseRunners, type CloudWatchFlags } from './run.ts';
import { addTargetOptions, type TargetFlags } from './target-options.ts';

export function rehearsalCommand() {
  return addCloudWatchOptions(addScaleOptions(addTargetOptions(newCommand('rehearsal')
    .description('stack up, plan, run k6, write the report, stack down: a whole rehearsal in one command'))))
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--keep-up', 'leave the stack running afterwards (stop it with `rehearse stack down`)')
    .option('--runners <n>', 'split the load across N k6 agents (k6 execution segments): local processes, or the AWS runner fleet with --target aws', parseRunners, 1)
    .option(...fleetBootOption)
    .option('--yes', 'aws: deploy even when the cost estimate is above --confirm-above, without asking')
    .option('--confirm-above <usd>', 'aws: ask before deploying when the estimate is above this many dollars', parsePositive('--confirm-above'), 10)
    .action(async (flags: TargetFlags & ScaleFlags & CloudWatchFlags & { runsDir: string; keepUp?: boolean; runners: number; fleetBootS: number; yes?: boolean; confirmAbove: number }) => {
      const res = await rehearsal({ ...flags, log });
      if (res.runDir) process.stdout.write(`${res.runDir}\n`);
      process.exitCode = res.exitCode;
    });
}
