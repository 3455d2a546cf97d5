// The whole rehearsal, end to end: stack up → plan → run (k6) → record → report → stack down.
// Ctrl-C stops the load, still writes the report from what was measured, and stops the stack;
// a second Ctrl-C skips the report but still stops the stack.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, type ExitCode } from '../errors/errors.ts';
import { DEFAULT_SCALE, makePlan, profileFor, type ScaleFlags } from './make-plan.ts';
import { targetFrom, type TargetFlags } from './target-from.ts';
import type { Target } from '../infra/target.ts';
import { NO_PROGRESS, type Progress } from './progress.ts';
import { writePlan } from '../scenarios/plan/plan-file.ts';
import { runPlan } from '../runners/run-plan.ts';
import { analyticArrivals } from '../scenarios/plan/build-plan.ts';
import { DEFAULT_ASSETS_PER_PAGE, requestsPerStart } from '../scenarios/plan/peak-rps.ts';
import { confirmCost, estimateAwsRehearsal } from './aws-cost-guard.ts';
import { readInfraConfig } from '../infra/aws/aws-target.ts';
import { awsFleetRun } from '../runners/fleet/aws-fleet-run.ts';
import { FLEET_BOOT_S } from './run-plan-file.ts';
import { urlCloudWatch, type CloudWatchFlags } from './url-cloudwatch.ts';
import { orderFactsFor } from '../infra/order-facts-for.ts';
import type { LoadedProfile } from '../scenarios/profile/load-profile.ts';
import { preflightLocal } from './doctor/doctor.ts';

export interface RehearsalOptions extends TargetFlags, ScaleFlags, CloudWatchFlags {
  runsDir: string;
  keepUp?: boolean;
  /** k6 runners sharing the plan (execution segments); default 1. With --target aws, on the runner fleet. */
  runners?: number;
  /** AWS fleet: seconds from scaling the runners up to the common start (default FLEET_BOOT_S). */
  fleetBootS?: number;
  /** AWS: deploy without asking even when the estimate is above confirmAbove dollars. */
  yes?: boolean;
  confirmAbove?: number;
  log: (line: string) => void;
  /** The live progress line (the CLI's suits the terminal); none by default. */
  progress?: Progress;
}

/** Requests the profile will make at this scale: journeys × their mean request count, assets included. */
function expectedRequests(loaded: LoadedProfile, opts: RehearsalOptions): number {
  // Before the stack is up nothing can be measured: the given assets per page, else the default.
  const perJourney = requestsPerStart(loaded.profile.mix, opts.assetsPerPage ?? DEFAULT_ASSETS_PER_PAGE);
  const peakRate = opts.peakRps !== undefined ? opts.peakRps / perJourney : (opts.peakRate ?? DEFAULT_SCALE.peakRate);
  return analyticArrivals(loaded, peakRate, opts.duration ?? DEFAULT_SCALE.durationS) * perJourney;
}

/** App instances alive, polled in the background so the progress line never waits on it. */
function instanceCounter(target: Target): { text: () => string; stop: () => void } {
  if (target.kind !== 'local') return { text: () => '', stop: () => {} };
  let count: number | undefined;
  const poll = () =>
    target.status().then(
      (s) => {
        count = s.components.filter((c) => c.alive && c.name.startsWith('nginx-app-')).length;
      },
      () => {},
    );
  void poll();
  const timer = setInterval(poll, 2000);
  return { text: () => (count === undefined ? '' : `  instances ${count}`), stop: () => clearInterval(timer) };
}

export async function rehearsal(opts: RehearsalOptions): Promise<{ exitCode: ExitCode; runDir?: string }> {
  const { log } = opts;
  const started = Date.now();
  const profile = await profileFor(opts);
  const abort = new AbortController();
  if (opts.target === 'aws' && opts.awsConfig) {
    // What it will cost, before anything is deployed.
    const estimate = await estimateAwsRehearsal(readInfraConfig(opts.awsConfig), {
      durationSeconds: opts.duration ?? 120,
      expectedRequests: expectedRequests(profile, opts),
      runners: opts.runners,
      fleetBootSeconds: opts.fleetBootS ?? FLEET_BOOT_S,
    });
    await confirmCost(estimate, opts.confirmAbove ?? 10, Boolean(opts.yes), log);
  }
  // The doctor's checks first: a machine that cannot run the replica stops here, with advice.
  if (opts.target === 'local') await preflightLocal({ runsDir: opts.runsDir, log });
  // --cloudwatch names checked before anything starts (read-only calls).
  const cloudWatchTelemetry = opts.cloudwatch ? await urlCloudWatch(opts.target, opts) : undefined;
  const target = await targetFrom(opts, log, abort.signal);
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= target.down().catch((err) => log(`stack down failed: ${(err as Error).message}`)));
  const onSigint = () => {
    if (!abort.signal.aborted) {
      log('\ninterrupted: stopping the load; the report will cover what ran (Ctrl-C again to skip it)');
      abort.abort();
      return;
    }
    log('\nstopping the stack and quitting');
    void (opts.keepUp ? Promise.resolve() : stop()).then(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const planDir = await mkdtemp(join(tmpdir(), 'rehearse-plan-'));
  try {
    log(`bringing up the ${opts.target} target`);
    const endpoint = await target.up();
    log(`target ready at ${endpoint.baseUrl} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (abort.signal.aborted) return { exitCode: EXIT.interrupted };
    const plan = await makePlan(opts, profile, endpoint, opts.target, log);
    const planPath = join(planDir, 'plan.json');
    await writePlan(planPath, plan);
    // More than one runner on AWS: the runner fleet the same `up` deployed, scaled up for this run.
    const fleet =
      opts.target === 'aws' && (opts.runners ?? 1) > 1
        ? await awsFleetRun(opts.awsConfig!, {
            planId: plan.id,
            runners: opts.runners!,
            bootMs: (opts.fleetBootS ?? FLEET_BOOT_S) * 1000,
            log,
          })
        : undefined;
    const display = opts.progress ?? NO_PROGRESS;
    const telemetry = cloudWatchTelemetry ?? target.telemetry?.bind(target);
    // After the load, accepted orders are looked up by id in the store (record.orders.audit).
    const orderFacts = orderFactsFor({ kind: opts.target, baseUrl: endpoint.baseUrl });
    const instances = instanceCounter(target);
    const res = await runPlan({
      planPath,
      runsDir: opts.runsDir,
      runners: opts.runners,
      signal: abort.signal,
      log,
      onProgress: display.update,
      telemetry,
      progressExtra: instances.text,
      fleet,
      orderFacts,
    }).finally(() => {
      display.done();
      instances.stop();
    });
    log(
      `${res.requests} requests in ${((Date.now() - started) / 1000).toFixed(0)} s${res.interrupted ? ' (interrupted)' : ''}`,
    );
    log(`report: ${res.reportPath}`);
    if (res.partial?.length)
      log(
        `partial run: ${res.partial.length} segment(s) did not finish (record.json run.partial); exit ${EXIT.partialRun}`,
      );
    return {
      exitCode: res.interrupted ? EXIT.interrupted : res.partial?.length ? EXIT.partialRun : EXIT.ok,
      runDir: res.runDir,
    };
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await rm(planDir, { recursive: true, force: true });
    if (!opts.keepUp) {
      log('stopping the stack');
      await stop();
    }
  }
}
