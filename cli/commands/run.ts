// rehearse run --plan plan.json: load the target, keep the raw output, write record and report.
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT } from '../../errors/errors.ts';
import { FLEET_BOOT_S, runPlanFile } from '../../pipeline/run-plan-file.ts';
import type { CloudWatchFlags } from '../../pipeline/url-cloudwatch.ts';
import { progressDisplay } from '../progress-display.ts';
import { log, newCommand, out, parsePositive, setExitCode } from './command.ts';

export const fleetBootOption = [
  '--fleet-boot-s <seconds>',
  `aws, --runners N: seconds from scaling the runner fleet up to the common start (boot, k6 and npm install; default ${FLEET_BOOT_S})`,
  parsePositive('--fleet-boot-s'),
  FLEET_BOOT_S,
] as const;

export function parseRunners(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InvalidArgumentError(`--runners must be a whole number from 1 to 64, got "${value}"`);
  }
  return n;
}

/** --cloudwatch and its names: shared by `run` and `rehearsal` (a URL target on AWS). */
export function addCloudWatchOptions(cmd: Command): Command {
  return cmd
    .option(
      '--cloudwatch',
      "a URL target on AWS: read the store's metrics from CloudWatch (read-only) for scaling, tiers and cost; needs --asg and --alb",
    )
    .option('--asg <name>', "with --cloudwatch: the store's app Auto Scaling group")
    .option('--alb <name>', "with --cloudwatch: the store's Application Load Balancer (its name, or app/NAME/ID)")
    .option('--region <region>', "with --cloudwatch: the store's AWS region (default $AWS_REGION)")
    .option('--db-cluster <id>', "with --cloudwatch: the store's Aurora cluster, for the database tier")
    .option('--cache-node <id...>', "with --cloudwatch: the store's ElastiCache node ids, for the cache tier");
}

interface RunFlags extends CloudWatchFlags {
  plan: string;
  runsDir: string;
  runners: number;
  awsConfig?: string;
  fleetBootS: number;
}

export function runCommand() {
  const cmd = newCommand('run')
    .description('run a plan with k6 against its target; writes runs/<id>/ (raw samples, record.json, report.html)')
    .requiredOption('--plan <file>', 'plan.json written by `rehearse plan`')
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option(
      '--runners <n>',
      'split the plan across N k6 agents (k6 execution segments): local processes, or the AWS runner fleet for an AWS plan',
      parseRunners,
      1,
    )
    .option(
      '--aws-config <file>',
      'an AWS plan: the stack and runner-fleet config (infra/aws/README.md), for CloudWatch telemetry and --runners N on the fleet',
    )
    .option(...fleetBootOption);
  return addCloudWatchOptions(cmd).action(async (flags: RunFlags) => {
    const abort = new AbortController();
    const onSigint = () => {
      log('\ninterrupted: stopping k6 and keeping what it measured (Ctrl-C again to quit at once)');
      abort.abort();
      process.once('SIGINT', () => process.exit(EXIT.interrupted));
    };
    process.once('SIGINT', onSigint);
    try {
      const res = await runPlanFile({
        planPath: flags.plan,
        runsDir: flags.runsDir,
        runners: flags.runners,
        awsConfig: flags.awsConfig,
        fleetBootS: flags.fleetBootS,
        cloudwatch: flags.cloudwatch ? flags : undefined,
        signal: abort.signal,
        log,
        progress: progressDisplay(),
      });
      log(`${res.requests} requests; report: ${res.reportPath}`);
      if (res.partial?.length)
        log(`partial run: ${res.partial.length} segment(s) did not finish (record.json run.partial)`);
      out(`${res.runDir}\n`);
      // A lost runner means part of the plan never ran: the run cannot be vouched for (README "Exit codes").
      if (res.interrupted) setExitCode(EXIT.interrupted);
      else if (res.partial?.length) setExitCode(EXIT.partialRun);
    } finally {
      process.off('SIGINT', onSigint);
    }
  });
}
