// rehearse rehearsal: the whole thing in one command (what `npm run rehearsal` runs).
import { rehearsal } from '../../pipeline/rehearsal.ts';
import type { ScaleFlags } from '../../pipeline/make-plan.ts';
import type { TargetFlags } from '../../pipeline/target-from.ts';
import { progressDisplay } from '../progress-display.ts';
import { log, newCommand, parsePositive, out, setExitCode } from './command.ts';
import { addScaleOptions } from './plan.ts';
import { addCloudWatchOptions, fleetBootOption, parseRunners } from './run.ts';
import type { CloudWatchFlags } from '../../pipeline/url-cloudwatch.ts';
import { addTargetOptions } from './target-options.ts';
import { addCapacityOptions, capacityAction, type CapacityFlags } from './capacity.ts';

export function rehearsalCommand() {
  return addCapacityOptions(
    addCloudWatchOptions(
      addScaleOptions(
        addTargetOptions(
          newCommand('rehearsal').description(
            'stack up, plan, run k6, write the report, stack down: a whole rehearsal in one command',
          ),
        ),
      ),
    ),
    '--capacity <counts>',
  )
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--keep-up', 'leave the stack running afterwards (stop it with `rehearse stack down`)')
    .option(
      '--runners <n>',
      'split the load across N k6 agents (k6 execution segments): local processes, or the AWS runner fleet with --target aws',
      parseRunners,
      1,
    )
    .option(...fleetBootOption)
    .option('--yes', 'aws: deploy even when the cost estimate is above --confirm-above, without asking')
    .option(
      '--confirm-above <usd>',
      'aws: ask before deploying when the estimate is above this many dollars',
      parsePositive('--confirm-above'),
      10,
    )
    .action(
      async (
        flags: TargetFlags &
          ScaleFlags &
          CloudWatchFlags &
          Omit<CapacityFlags, 'instances'> & {
            capacity?: number[];
            runsDir: string;
            keepUp?: boolean;
            runners: number;
            fleetBootS: number;
            yes?: boolean;
            confirmAbove: number;
          },
      ) => {
        if (flags.capacity) {
          // Capacity mode: the same search as `rehearse capacity --instances <counts>`, Ctrl-C included.
          return capacityAction({ ...flags, instances: flags.capacity });
        }
        const res = await rehearsal({ ...flags, log, progress: progressDisplay() });
        if (res.runDir) out(`${res.runDir}\n`);
        setExitCode(res.exitCode);
      },
    );
}
