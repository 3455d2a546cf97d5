// The `run` stage: plan.json → k6 → raw samples → record.json → report.html, in one run
// directory that appears whole: it is built as runs/<id>.partial and renamed at the end.
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, InterruptedError, RunError } from '../errors/errors.ts';
import { readPlan } from '../scenarios/plan/plan-file.ts';
import { aggregateRun } from '../reports/aggregate/aggregate-run.ts';
import { writeReport } from '../reports/render/write-report.ts';
import { writeFileAtomic } from '../reports/record/atomic-write.ts';
import { parseRecord } from '../reports/record/record-schema.ts';
import { K6_COMPLETED, runK6 } from './local/run-k6.ts';
import type { ProgressSnapshot } from './local/live-progress.ts';
import { runDistributed, type DistributedOptions } from './distributed/run-distributed.ts';
import type { PartialRunner, RunnerShare } from './distributed/runner-types.ts';
import type { Telemetry } from '../infra/telemetry/telemetry-schema.ts';
import { auditRecordOrders, type OrderFactsLookup } from '../reports/orders/audit-record.ts';
import type { RunRecord } from '../reports/record/record-schema.ts';

export interface RunPlanOptions {
  planPath: string;
  runsDir: string;
  signal?: AbortSignal;
  log: (line: string) => void;
  onProgress?: (line: string, snapshot: ProgressSnapshot) => void;
  /** More for the progress line, e.g. "  instances 3 (1 pending)". */
  progressExtra?: () => string;
  /** k6 runners sharing the plan through execution segments (default 1: one k6, no agents). */
  runners?: number;
  /** The target's own view of the load window (instances, scaling, CPU), saved as telemetry.json. */
  telemetry?: (fromS: number, toS: number) => Promise<Telemetry>;
  /** After the load: the store's side of the accepted orders (record.orders.audit, reconciled by id). */
  orderFacts?: OrderFactsLookup;
  /**
   * Tuning of a distributed run (tests shorten the start delay and the chunk interval), and where
   * its agents run: local processes by default; an AWS plan's on the runner fleet
   * (runners/fleet/aws-fleet-run.ts gives its store and launcher).
   */
  fleet?: Pick<
    DistributedOptions,
    'startDelayMs' | 'chunkEveryMs' | 'progressEveryMs' | 'onAgentStarted' | 'store' | 'launcher'
  >;
}

export interface RunPlanResult {
  runDir: string;
  reportPath: string;
  interrupted: boolean;
  k6ExitCode: number;
  requests: number;
  /** Distributed runs: segments that did not run to their end (the record says so too). */
  partial?: PartialRunner[];
  /** Distributed runs: what each runner ran of its share. */
  shares?: RunnerShare[];
  /** Distributed runs: the last progress line shown. */
  lastProgress?: string;
}

/** Reconciles the record's orders with the store and writes record.json (validated). */
async function writeAuditedRecord(
  opts: RunPlanOptions,
  work: string,
  record: RunRecord,
  fromMs: number,
): Promise<void> {
  if (opts.orderFacts) {
    await auditRecordOrders(record, opts.orderFacts, {
      from: Math.floor(fromMs / 1000),
      to: Math.ceil(Date.now() / 1000),
    });
    const a = record.orders?.audit;
    if (a)
      opts.log(
        `orders: ${record.orders!.accepted.length} accepted; store (${a.source}): ${a.missing.count} missing, ${a.duplicates.count} duplicated carts, ${a.oversold.count} oversold, ${a.unseen.count} unseen${a.notChecked.length ? `; ${a.notChecked.join(' ')}` : ''}`,
      );
  }
  await writeFileAtomic(
    join(work, 'record.json'),
    JSON.stringify(parseRecord(record, join(work, 'record.json'))) + '\n',
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** telemetry.json for the load window; a target that cannot say costs the report a section, not the run. */
async function saveTelemetry(opts: RunPlanOptions, work: string, fromMs: number): Promise<void> {
  if (!opts.telemetry) return;
  try {
    const telemetry = await opts.telemetry(Math.floor(fromMs / 1000), Math.ceil(Date.now() / 1000));
    await writeFileAtomic(join(work, 'telemetry.json'), `${JSON.stringify(telemetry)}\n`);
  } catch (err) {
    opts.log(`no telemetry from the target: ${(err as Error).message}`);
  }
}

export async function runPlan(opts: RunPlanOptions): Promise<RunPlanResult> {
  const plan = await readPlan(opts.planPath);
  const runDir = join(opts.runsDir, plan.id);
  const work = `${runDir}.partial`;
  if ((opts.runners ?? 1) > 1 && plan.target.kind === 'aws' && !opts.fleet?.launcher) {
    throw new InputError(
      `${opts.planPath}: target.kind is "aws" and --runners is ${opts.runners}: the runners run on the AWS runner fleet, which needs its config: ` +
        'pass --aws-config FILE (with a "fleet", deployed by `rehearse stack up --target aws`), or use --runners 1',
    );
  }
  if (await exists(runDir))
    throw new InputError(
      `run directory ${runDir} already exists: plan a new run (its id names the directory) or move the old one`,
    );
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'raw'), { recursive: true });
  await copyFile(opts.planPath, join(work, 'plan.json'));

  const startedMs = Date.now();
  if ((opts.runners ?? 1) > 1) return runPlanDistributed(opts, plan, runDir, work, startedMs);

  opts.log(
    `run ${plan.id}: k6 on ${plan.target.baseUrl}, ${plan.run.durationS} s, peak ${plan.run.peakRate} journeys/s, ~${Math.round(plan.expected.total)} journeys planned`,
  );
  const k6 = await runK6({
    planPath: join(work, 'plan.json'),
    rawDir: join(work, 'raw', 'local-0'),
    plannedS: plan.run.durationS,
    signal: opts.signal,
    onProgress: opts.onProgress,
    progressExtra: opts.progressExtra,
  });
  if (!k6.aborted && !K6_COMPLETED.has(k6.exitCode)) {
    const failed = `${runDir}.failed`;
    await rm(failed, { recursive: true, force: true });
    await rename(work, failed);
    throw new RunError(
      `k6 exited with code ${k6.exitCode}; its output is in ${join(failed, 'raw', 'local-0', 'k6.log')}`,
    );
  }
  if (!(await exists(k6.samplesPath))) {
    await rm(work, { recursive: true, force: true });
    if (k6.aborted) throw new InterruptedError('interrupted before k6 sent any request: nothing to keep');
    throw new RunError(`k6 wrote no samples; see ${k6.logPath}`);
  }

  await saveTelemetry(opts, work, startedMs);
  opts.log(`aggregating ${k6.last.requests} requests`);
  const record = await aggregateRun(work, { interrupted: k6.aborted, write: false });
  await writeAuditedRecord(opts, work, record, startedMs);
  await writeReport(work);
  await rename(work, runDir);
  return {
    runDir,
    reportPath: join(runDir, 'report.html'),
    interrupted: k6.aborted,
    k6ExitCode: k6.exitCode,
    requests: record.totals.requests,
  };
}

/** The same stage over N agents (runners/distributed): faults make the record partial, not lost. */
async function runPlanDistributed(
  opts: RunPlanOptions,
  plan: Awaited<ReturnType<typeof readPlan>>,
  runDir: string,
  work: string,
  startedMs: number,
): Promise<RunPlanResult> {
  opts.log(
    `run ${plan.id}: ${opts.runners} k6 runners on ${plan.target.baseUrl}, ${plan.run.durationS} s, peak ${plan.run.peakRate} journeys/s, ~${Math.round(plan.expected.total)} journeys planned`,
  );
  let res;
  try {
    res = await runDistributed({
      ...opts.fleet,
      plan,
      planPath: join(work, 'plan.json'),
      work,
      runners: opts.runners!,
      signal: opts.signal,
      log: opts.log,
      onProgress: opts.onProgress,
    });
  } catch (err) {
    // Refused before the load (a fleet too small or busy): no run directory is left behind.
    // Failed during it: what arrived is kept beside the error.
    if ((await readdir(join(work, 'raw')).catch(() => [])).length === 0) {
      await rm(work, { recursive: true, force: true });
    } else {
      const failed = `${runDir}.failed`;
      await rm(failed, { recursive: true, force: true });
      await rename(work, failed);
      opts.log(`the run failed; the samples that arrived are in ${join(failed, 'raw')}`);
    }
    throw err;
  }
  if (res.chunks === 0) {
    if (res.interrupted) {
      await rm(work, { recursive: true, force: true });
      throw new InterruptedError('interrupted before any runner sent a request: nothing to keep');
    }
    const failed = `${runDir}.failed`;
    await rm(failed, { recursive: true, force: true });
    await rename(work, failed);
    const logs = opts.fleet?.launcher ? '/var/log/rehearse-runner.log on each fleet runner' : join(failed, 'agents');
    throw new RunError(
      `no runner uploaded any samples: ${res.partial.map((p) => `${p.segment}: ${p.reason}`).join('; ')}. Agent logs: ${logs}`,
    );
  }
  // The last figures as a plain line too: a CI log shows progress only every few seconds.
  opts.log(`runners done: ${res.lastLine}`);
  await saveTelemetry(opts, work, startedMs);
  opts.log(`aggregating ${res.requests} requests from ${opts.runners} runners`);
  const record = await aggregateRun(work, { interrupted: res.interrupted, write: false });
  record.run.partial = res.partial;
  record.input.notes.push(...res.notes);
  await writeAuditedRecord(opts, work, record, startedMs);
  await writeReport(work);
  await rename(work, runDir);
  return {
    runDir,
    reportPath: join(runDir, 'report.html'),
    interrupted: res.interrupted,
    k6ExitCode: res.partial.length ? 1 : 0,
    requests: record.totals.requests,
    partial: res.partial,
    shares: res.shares,
    lastProgress: res.lastLine,
  };
}
