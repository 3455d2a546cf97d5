// The `run` stage: plan.json → k6 → raw samples → record.json → report.html, in one run
// directory that appears whole: it is built as runs/<id>.partial and renamed at the end.
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, InterruptedError, RunError } from '../cli/errors.ts';
import { readPlan } from '../scenarios/plan/plan-file.ts';
import { aggregateRun } from '../reports/aggregate/aggregate-run.ts';
import { writeReport } from '../reports/render/write-report.ts';
import { K6_COMPLETED, runK6 } from './local/run-k6.ts';
import type { ProgressSnapshot } from './local/live-progress.ts';

export interface RunPlanOptions {
  planPath: string;
  runsDir: string;
  signal?: AbortSignal;
  log: (line: string) => void;
  onProgress?: (line: string, snapshot: ProgressSnapshot) => void;
}

export interface RunPlanResult {
  runDir: string;
  reportPath: string;
  interrupted: boolean;
  k6ExitCode: number;
  requests: number;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

export async function runPlan(opts: RunPlanOptions): Promise<RunPlanResult> {
  const plan = await readPlan(opts.planPath);
  const runDir = join(opts.runsDir, plan.id);
  const work = `${runDir}.partial`;
  if (await exists(runDir)) throw new InputError(`run directory ${runDir} already exists: plan a new run (its id names the directory) or move the old one`);
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, 'raw'), { recursive: true });
  await copyFile(opts.planPath, join(work, 'plan.json'));

  opts.log(`run ${plan.id}: k6 on ${plan.target.baseUrl}, ${plan.run.durationS} s, peak ${plan.run.peakRate} journeys/s, ~${Math.round(plan.expected.total)} journeys planned`);
  const k6 = await runK6({
    planPath: join(work, 'plan.json'),
    rawDir: join(work, 'raw', 'local-0'),
    plannedS: plan.run.durationS,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  if (!k6.aborted && !K6_COMPLETED.has(k6.exitCode)) {
    const failed = `${runDir}.failed`;
    await rm(failed, { recursive: true, force: true });
    await rename(work, failed);
    throw new RunError(`k6 exited with code ${k6.exitCode}; its output is in ${join(failed, 'raw', 'local-0', 'k6.log')}`);
  }
  if (!(await exists(k6.samplesPath))) {
    await rm(work, { recursive: true, force: true });
    if (k6.aborted) throw new InterruptedError('interrupted before k6 sent any request: nothing to keep');
    throw new RunError(`k6 wrote no samples; see ${k6.logPath}`);
  }

  opts.log(`aggregating ${k6.last.requests} requests`);
  const record = await aggregateRun(work, { interrupted: k6.aborted });
  await writeReport(work);
  await rename(work, runDir);
  return { runDir, reportPath: join(runDir, 'report.html'), interrupted: k6.aborted, k6ExitCode: k6.exitCode, requests: record.totals.requests };
}
