// rehearse rehearsal: the whole thing in one command (what `npm run rehearsal` runs).
import { rehearsal } from '../../scripts/rehearsal.ts';
import { log, newCommand, parsePositive } from './command.ts';
import { addScaleOptions, type ScaleFlags } from './plan.ts';
import { fleetBootOption, parseRunners } from './run.ts';
import { addTargetOptions, type TargetFlags } from './target-options.ts';
import { addCapacityOptions, capacityOptions, type CapacityFlags } from './capacity.ts';
import { runCapacity } from '../../pipeline/capacity/capacity-run.ts';

export function rehearsalCommand() {
  return addCapacityOptions(addScaleOptions(addTargetOptions(newCommand('rehearsal')
    .description('stack up, plan, run k6, write the report, stack down: a whole rehearsal in one command')))
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--keep-up', 'leave the stack running afterwards (stop it with `rehearse stack down`)')
    .option('--runners <n>', 'split the load across N k6 agents (k6 execution segments): local processes, or the AWS runner fleet with --target aws', parseRunners, 1)
    .option(...fleetBootOption)
    .option('--yes', 'aws: deploy even when the cost estimate is above --confirm-above, without asking')
    .option('--confirm-above <usd>', 'aws: ask before deploying when the estimate is above this many dollars', parsePositive('--confirm-above'), 10), '--capacity <counts>')
    .action(async (flags: TargetFlags & ScaleFlags & Omit<CapacityFlags, 'instances'> & { capacity?: number[]; runsDir: string; keepUp?: boolean; runners: number; fleetBootS: number; yes?: boolean; confirmAbove: number }) => {
      if (flags.capacity) {
        // Capacity mode: the same search as `rehearse capacity --instances <counts>`.
        const res = await runCapacity(await capacityOptions({ ...flags, instances: flags.capacity }));
        for (const f of res.curve.findings) log(f);
        process.stdout.write(`${res.dir}\n`);
        return;
      }
      const res = await rehearsal({ ...flags, log });
      if (res.runDir) process.stdout.write(`${res.runDir}\n`);
      process.exitCode = res.exitCode;
    });
}
