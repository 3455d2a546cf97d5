// rehearse run --plan plan.json: load the target, keep the raw output, write record and report.
// An AWS plan with --aws-config: telemetry from CloudWatch, and --runners N on the runner fleet.
import { runPlan } from '../../runners/run-plan.ts';
import { awsFleetRun } from '../../runners/fleet/aws-fleet-run.ts';
import { readPlan } from '../../scenarios/plan/plan-file.ts';
import { EXIT, InputError } from '../../errors/errors.ts';
import { progressDisplay } from '../progress-display.ts';
import { InvalidArgumentError, type Command } from 'commander';
import { log, newCommand, parsePositive } from './command.ts';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { orderFactsFor } from '../../infra/order-facts-for.ts';

/** Default time the AWS fleet's runners get from scale-up to the start (dnf, k6, npm ci, agent). */
export const FLEET_BOOT_S = 360;

export const fleetBootOption = ['--fleet-boot-s <seconds>', `aws, --runners N: seconds from scaling the runner fleet up to the common start (boot, k6 and npm install; default ${FLEET_BOOT_S})`, parsePositive('--fleet-boot-s'), FLEET_BOOT_S] as const;

export function parseRunners(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`--runners must be a whole number from 1 to 64, got "${value}"`);
  return n;
}

export interface CloudWatchFlags {
  cloudwatch?: boolean; asg?: string; alb?: string; region?: string; dbCluster?: string; cacheNode?: string[];
}

interface RunFlags extends CloudWatchFlags {
  plan: string; runsDir: string; runners: number; awsConfig?: string; fleetBootS: number;
}

/** --cloudwatch for a store deployed by other means: telemetry from its group and balancer by name. */
export async function urlCloudWatch(kind: string, flags: CloudWatchFlags): Promise<(from: number, to: number) => Promise<Telemetry>> {
  if (kind !== 'url') throw new InputError(`--cloudwatch is for a plan with target.kind "url" (this one is "${kind}"): an AWS stack Rehearse deployed reads CloudWatch through --aws-config, the local replica reports itself`);
  const missing = (['asg', 'alb'] as const).filter((f) => !flags[f]).map((f) => `--${f}`);
  if (missing.length) throw new InputError(`--cloudwatch needs ${missing.join(' and ')}: the store's app Auto Scaling group and its Application Load Balancer, by name`);
  const region = flags.region ?? process.env.AWS_REGION;
  if (!region) throw new InputError('--cloudwatch needs the store\'s region: pass --region (e.g. us-east-1) or set AWS_REGION');
  const [{ AutoScalingClient }, { CloudWatchClient }, { resolveUrlTargets, urlTargetTelemetry }] = await Promise.all([
    import('@aws-sdk/client-auto-scaling'), import('@aws-sdk/client-cloudwatch'), import('../../infra/aws/telemetry/url-target-telemetry.ts'),
  ]);
  const o = {
    region, asgName: flags.asg!, albName: flags.alb!, dbClusterId: flags.dbCluster, cacheNodeIds: flags.cacheNode,
    cloudWatch: new CloudWatchClient({ region }), autoScaling: new AutoScalingClient({ region }),
  };
  const targets = await resolveUrlTargets(o);
  return (from, to) => urlTargetTelemetry(o, targets, { from, to });
}

/** --cloudwatch and its names: shared by `run` and `rehearsal` (a URL target on AWS). */
export function addCloudWatchOptions(cmd: Command): Command {
  return cmd
    .option('--cloudwatch', 'a URL target on AWS: read the store\'s metrics from CloudWatch (read-only) for scaling, tiers and cost; needs --asg and --alb')
    .option('--asg <name>', 'with --cloudwatch: the store\'s app Auto Scaling group')
    .option('--alb <name>', 'with --cloudwatch: the store\'s Application Load Balancer (its name, or app/NAME/ID)')
    .option('--region <region>', 'with --cloudwatch: the store\'s AWS region (default $AWS_REGION)')
    .option('--db-cluster <id>', 'with --cloudwatch: the store\'s Aurora cluster, for the database tier')
    .option('--cache-node <id...>', 'with --cloudwatch: the store\'s ElastiCache node ids, for the cache tier');
}

export function runCommand() {
  const cmd = newCommand('run')
    .description('run a plan with k6 against its target; writes runs/<id>/ (raw samples, record.json, report.html)')
    .requiredOption('--plan <file>', 'plan.json written by `rehearse plan`')
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--runners <n>', 'split the plan across N k6 agents (k6 execution segments): local processes, or the AWS runner fleet for an AWS plan', parseRunners, 1)
    .option('--aws-config <file>', 'an AWS plan: the stack and runner-fleet config (infra/aws/README.md), for CloudWatch telemetry and --runners N on the fleet')
    .option(...fleetBootOption);
  return addCloudWatchOptions(cmd)
    .action(async (flags: RunFlags) => {
      const abort = new AbortController();
      const onSigint = () => {
        log('\ninterrupted: stopping k6 and keeping what it measured (Ctrl-C again to quit at once)');
        abort.abort();
        process.once('SIGINT', () => process.exit(EXIT.interrupted));
      };
      process.once('SIGINT', onSigint);
      const display = progressDisplay();
      try {
        const plan = await readPlan(flags.plan);
        // The local replica reports its own side of the window (instances, scaling, CPU); a bare
        // URL has none, and an AWS plan needs its config.
        let telemetry: ((from: number, to: number) => Promise<Telemetry>) | undefined;
        if (plan.target.kind === 'local') telemetry = async (from, to) => (await import('../../infra/local/replica.ts')).telemetry(from, to);
        const aws = plan.target.kind === 'aws' && flags.awsConfig ? flags.awsConfig : undefined;
        if (aws) {
          const target = (await import('../../infra/aws/aws-target.ts')).awsTarget({ configPath: aws, log });
          telemetry = (from, to) => target.telemetry!(from, to);
        }
        if (flags.cloudwatch) telemetry = await urlCloudWatch(plan.target.kind, flags);
        const fleet = aws && flags.runners > 1
          ? await awsFleetRun(aws, { planId: plan.id, runners: flags.runners, bootMs: flags.fleetBootS * 1000, log })
          : undefined;
        // After the load, accepted orders are looked up by id in the store (record.orders.audit).
        const orderFacts = orderFactsFor(plan.target);
        const res = await runPlan({ planPath: flags.plan, runsDir: flags.runsDir, runners: flags.runners, signal: abort.signal, log, onProgress: display.update, telemetry, orderFacts, fleet });
        display.done();
        log(`${res.requests} requests; report: ${res.reportPath}`);
        if (res.partial?.length) log(`partial run: ${res.partial.length} segment(s) did not finish (record.json run.partial)`);
        process.stdout.write(`${res.runDir}\n`);
        if (res.interrupted) process.exitCode = EXIT.interrupted;
      } finally {
        display.done();
        process.off('SIGINT', onSigint);
      }
    });
}
