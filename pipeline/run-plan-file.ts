// `rehearse run --plan plan.json`: load the plan's target, keep the raw output, write record and report.
// An AWS plan with its config: telemetry from CloudWatch, and more than one runner on the runner fleet.
import { runPlan, type RunPlanResult } from '../runners/run-plan.ts';
import { awsFleetRun } from '../runners/fleet/aws-fleet-run.ts';
import { readPlan } from '../scenarios/plan/plan-file.ts';
import type { Telemetry } from '../infra/telemetry/telemetry-schema.ts';
import { NO_PROGRESS, type Progress } from './progress.ts';
import { urlCloudWatch, type CloudWatchFlags } from './url-cloudwatch.ts';
import { orderFactsFor } from '../infra/order-facts-for.ts';

/** Default time the AWS fleet's runners get from scale-up to the start (dnf, k6, npm ci, agent). */
export const FLEET_BOOT_S = 360;

export interface RunPlanFileOptions {
  planPath: string;
  runsDir: string;
  runners: number;
  awsConfig?: string;
  fleetBootS: number;
  /** A URL target on AWS: its telemetry from CloudWatch by the names given. */
  cloudwatch?: CloudWatchFlags;
  signal: AbortSignal;
  log: (line: string) => void;
  progress?: Progress;
}

export async function runPlanFile(opts: RunPlanFileOptions): Promise<RunPlanResult> {
  const { log } = opts;
  const plan = await readPlan(opts.planPath);
  // The local replica reports its own side of the window (instances, scaling, CPU); a bare URL has
  // none, and an AWS plan needs its config.
  let telemetry: ((from: number, to: number) => Promise<Telemetry>) | undefined;
  if (plan.target.kind === 'local') {
    telemetry = async (from, to) => (await import('../infra/local/replica.ts')).telemetry(from, to);
  }
  const aws = plan.target.kind === 'aws' && opts.awsConfig ? opts.awsConfig : undefined;
  if (aws) {
    const target = (await import('../infra/aws/aws-target.ts')).awsTarget({ configPath: aws, log });
    telemetry = (from, to) => target.telemetry!(from, to);
  }
  if (opts.cloudwatch) telemetry = await urlCloudWatch(plan.target.kind, opts.cloudwatch);
  const fleet =
    aws && opts.runners > 1
      ? await awsFleetRun(aws, { planId: plan.id, runners: opts.runners, bootMs: opts.fleetBootS * 1000, log })
      : undefined;
  const progress = opts.progress ?? NO_PROGRESS;
  try {
    return await runPlan({
      planPath: opts.planPath,
      runsDir: opts.runsDir,
      runners: opts.runners,
      signal: opts.signal,
      log,
      onProgress: progress.update,
      telemetry,
      // After the load, accepted orders are looked up by id in the store (record.orders.audit).
      orderFacts: orderFactsFor(plan.target),
      fleet,
    });
  } finally {
    progress.done();
  }
}
