// rehearse rehearsal: the whole thing in one command (what `npm run rehearsal` runs).
import { rehearsal } from '../../scripts/rehearsal.ts';
import { log, newCommand } from './command.ts';
import { addScaleOptions, type ScaleFlags } from './plan.ts';
import { addTargetOptions, type TargetFlags } from './target-options.ts';

export function rehearsalCommand() {
  return addScaleOptions(addTargetOptions(newCommand('rehearsal')
    .description('stack up, plan, run k6, write the report, stack down: a whole rehearsal in one command')))
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--keep-up', 'leave the stack running afterwards (stop it with `rehearse stack down`)')
    .action(async (flags: TargetFlags & ScaleFlags & { runsDir: string; keepUp?: boolean }) => {
      const res = await rehearsal({ ...flags, log });
      if (res.runDir) process.stdout.write(`${res.runDir}\n`);
      process.exitCode = res.exitCode;
    });
}
