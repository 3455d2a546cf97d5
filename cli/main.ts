// `rehearse`: one subcommand per stage of the data flow (docs/architecture.md). Exit codes: errors/errors.ts.
// main() runs one invocation in-process with its own output streams, so tests need no subprocess.
import { Command } from 'commander';
import { PROCESS_IO, type CliIo } from './commands/command.ts';
import { runProgram } from './run-program.ts';
import { agentCommand } from './commands/agent.ts';
import { doctorCommand } from './commands/doctor.ts';
import { capacityCommand } from './commands/capacity.ts';
import { gateCommand } from './commands/gate.ts';
import { planCommand } from './commands/plan.ts';
import { pricesCommand } from './commands/prices.ts';
import { profileCommand } from './commands/profile.ts';
import { rehearsalCommand } from './commands/rehearsal.ts';
import { reportCommand } from './commands/report.ts';
import { reapCommand } from './commands/reap.ts';
import { runCommand } from './commands/run.ts';
import { stackCommand } from './commands/stack.ts';

function buildProgram(): Command {
  const program = new Command('rehearse')
    .description(
      'Rehearse a sale day against a WordPress/WooCommerce stack: deploy, load with k6, report capacity and cost.',
    )
    .addHelpText(
      'after',
      `
Stages (each reads and writes files in a run directory, runs/<id>/):
  stack      bring the target up or down (the local replica by default)
  profile    list the built-in traffic profiles, or derive one from access logs (from-log)
  plan       profile + scale → plan.json (k6 scenarios)
  run        plan.json → k6 → raw samples → record.json → report.html
  report     record.json → report.html and summary.md
  gate       record.json → exit 0 (pass) or 1 (fail), for CI
  rehearsal  all of it: stack up, plan, run, report, stack down
  capacity   the knee (requests/s at the SLO) at each instance count, and the capacity curve
  reap       find (and destroy) AWS resources left by past rehearsals
  prices     check the dated price book, or refresh it from the AWS Price List API
  agent      one k6 runner: claims a segment of a plan from a store and streams its samples back
  doctor     check this machine is ready for a rehearsal on the local replica, and say what to do if not

Exit codes: 0 ok, 1 gate failed, 2 usage or input error, 3 the run failed, 4 partial run (a runner was lost:
  run and rehearsal wrote the report, but part of the plan never ran), 130 interrupted.
Examples:
  rehearse rehearsal                          # a short Black Friday rehearsal on the local replica
  rehearse stack up && rehearse plan --profile smoke --out plan.json && rehearse run --plan plan.json
  rehearse gate runs/<id>`,
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program.addCommand(stackCommand());
  program.addCommand(profileCommand());
  program.addCommand(planCommand());
  program.addCommand(runCommand());
  program.addCommand(reportCommand());
  program.addCommand(gateCommand());
  program.addCommand(rehearsalCommand());
  program.addCommand(capacityCommand());
  program.addCommand(reapCommand());
  program.addCommand(pricesCommand());
  program.addCommand(agentCommand());
  program.addCommand(doctorCommand());
  return program;
}

/** Runs one `rehearse …` invocation (argv without node and script) and returns its exit code. */
export function main(argv: string[], io: CliIo = PROCESS_IO): Promise<number> {
  return runProgram(buildProgram(), argv, io);
}
