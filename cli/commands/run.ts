// rehearse run --plan plan.json: load the target, keep the raw output, write record and report.
// An AWS plan with --aws-config: telemetry from CloudWatch, and --runners N on the runner fleet.
import { runPlan } from '../../runners/run-plan.ts';
import { awsFleetRun } from '../../runners/fleet/aws-fleet-run.ts';
import { readPlan } from '../../scenarios/plan/plan-file.ts';
import { EXIT } from '../../errors/errors.ts';
import { progressDisplay } from '../progress-display.ts';
import { InvalidArgumentError } from 'commander';
import { log, newCommand, parsePositive } from './command.ts';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';

/** Default time the AWS fleet's runners get from scale-up to the start (dnf, k6, npm ci, agent). */
export const FLEET_BOOT_S = 360;

export const fleetBootOption = ['--fleet-boot-s <seconds>', `aws, --runners N: seconds from scaling the runner fleet up to the common start (boot, k6 and npm install; default ${FLEET_BOOT_S})`, parsePositive('--fleet-boot-s'), FLEET_BOOT_S] as const;

export function parseRunners(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError(`--runners must be a whole number from 1 to 64, got "${value}"`);
  return n;
}

export function runCommand() {
  return newCommand('run')
    .description('run a plan with k6 against its target; writes runs/<id>/ (raw samples, record.json, report.html)')
    .requiredOption('--plan <file>', 'plan.json written by `rehearse plan`')
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .option('--runners <n>', 'split the plan across N k6 agents (k6 execution segments): local processes, or the AWS runner fleet for an AWS plan', parseRunners, 1)
    .option('--aws-config <file>', 'an AWS plan: the stack and runner-fleet config (infra/aws/README.md), for CloudWatch telemetry and --runners N on the fleet')
    .option(...fleetBootOption)
    .action(async (flags: { plan: string; runsDir: string; runners: number; awsConfig?: string; fleetBootS: number }) => {
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
        const fleet = aws && flags.runners > 1
          ? await awsFleetRun(aws, { planId: plan.id, runners: flags.runners, bootMs: flags.fleetBootS * 1000, log })
          : undefined;
        const res = await runPlan({ planPath: flags.plan, runsDir: flags.runsDir, runners: flags.runners, signal: abort.signal, log, onProgress: display.update, telemetry, fleet });
        display.done();
        log(`${res.requests} requests; report: ${res.reportPath}`);
        if (res.partial?.length) log(`partial run: ${res.partial.length} segment(s) did not finish (record.json run.partial)`);
        process.stdout.write(`${res.runDir}\n`);
        // A lost runner means part of the plan never ran: the run cannot be vouched for (README "Exit codes").
        if (res.interrupted) process.exitCode = EXIT.interrupted;
        else if (res.partial?.length) process.exitCode = EXIT.partialRun;
      } finally {
        display.done();
        process.off('SIGINT', onSigint);
      }
    });
}
