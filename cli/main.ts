// `rehearse`: one subcommand per stage of the data flow (DESIGN.md). Exit codes: cli/errors.ts.
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeFor } from '../errors/errors.ts';
import { agentCommand } from './commands/agent.ts';
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

const program = new Command('rehearse')
  .description('Rehearse a sale day against a WordPress/WooCommerce stack: deploy, load with k6, report capacity and cost.')
  .addHelpText('after', `
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

Exit codes: 0 ok, 1 gate failed, 2 usage or input error, 3 the run failed, 4 partial run (a runner was lost:
  run and rehearsal wrote the report, but part of the plan never ran), 130 interrupted.
Examples:
  rehearse rehearsal                          # a short Black Friday rehearsal on the local replica
  rehearse stack up && rehearse plan --profile smoke --out plan.json && rehearse run --plan plan.json
  rehearse gate runs/<id>`)
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

try {
  await program.parseAsync(process.argv);
  process.exitCode ??= EXIT.ok;
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version are "errors" to commander; they are successes to the user.
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const code = exitCodeFor(err);
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`rehearse: ${msg}\n`);
    if (code === EXIT.runFailed && process.env.REHEARSE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exitCode = code;
  }
}
