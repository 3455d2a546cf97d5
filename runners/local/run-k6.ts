// Runs one k6 process on a plan and keeps its raw output: samples.csv, summary.json, k6.log, and
// generator.json (k6's own CPU use, sampled while it ran).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { k6Command } from '../../scenarios/run/k6-command.ts';
import { k6Binary } from '../k6-binary.ts';
import { parentBound } from '../parent-bound.ts';
import { customerPasswordEnv } from '../../infra/local/wordpress.ts';
import { CsvProgress, formatProgress, type ProgressSnapshot } from './live-progress.ts';
import { GENERATOR_FILE } from '../../reports/record/generator-health.ts';
import { watchCpu } from './k6-cpu.ts';

export interface RunK6Options {
  planPath: string;
  /** Where this runner's raw files go, e.g. runs/<id>/raw/local-0. */
  rawDir: string;
  /** Planned load duration, for the progress line. */
  plannedS?: number;
  /** Aborting sends k6 SIGINT: it stops the load, still writes its summary, and exits. */
  signal?: AbortSignal;
  onProgress?: (line: string, snapshot: ProgressSnapshot) => void;
  progressEveryMs?: number;
  /** Extra text for the progress line (e.g. instances in service). */
  progressExtra?: () => string;
}

export interface RunK6Result {
  exitCode: number;
  aborted: boolean;
  samplesPath: string;
  summaryPath: string;
  logPath: string;
  last: ProgressSnapshot;
}

/** k6's own exit codes that still mean "the load ran and the output is complete". */
export const K6_COMPLETED = new Set([0, 99 /* thresholds crossed */]);

export async function runK6(opts: RunK6Options): Promise<RunK6Result> {
  await mkdir(opts.rawDir, { recursive: true });
  const samplesPath = join(opts.rawDir, 'samples.csv');
  const summaryPath = join(opts.rawDir, 'summary.json');
  const logPath = join(opts.rawDir, 'k6.log');
  const log = createWriteStream(logPath);
  const cmd = k6Command({
    k6Bin: k6Binary(),
    planPath: opts.planPath,
    summaryPath,
    extraArgs: ['--quiet', '--out', `csv=${samplesPath}`],
  });
  // Bound to this process (parent-bound.ts): if rehearse dies, k6's load stops with it.
  const bound = parentBound(cmd.command, cmd.args);
  const child = spawn(bound.command, bound.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches us, and we stop k6 in order.
    detached: true,
    env: { ...process.env, ...customerPasswordEnv(), ...cmd.env }, // returning customers' login (account journey)
  });
  const cpu = watchCpu(child.pid);
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });

  const progress = new CsvProgress(samplesPath);
  let last: ProgressSnapshot = { elapsedS: 0, requests: 0, failed: 0, rate: 0, p95Ms: null };
  const tick = setInterval(async () => {
    last = await progress.poll();
    opts.onProgress?.(formatProgress(last, opts.plannedS, opts.progressExtra?.() ?? ''), last);
  }, opts.progressEveryMs ?? 1000);

  let aborted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    aborted = true;
    child.kill('SIGINT');
    killTimer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const exitCode = await new Promise<number>((done) => {
    child.on('error', () => done(-1));
    child.on('close', (code, sig) => done(code ?? (sig ? 128 : -1)));
  });
  clearInterval(tick);
  clearTimeout(killTimer);
  await writeFile(join(opts.rawDir, GENERATOR_FILE), `${JSON.stringify(await cpu.stop())}\n`);
  opts.signal?.removeEventListener('abort', onAbort);
  await new Promise<void>((done) => log.end(done));
  last = await progress.poll();
  return { exitCode, aborted, samplesPath, summaryPath, logPath, last };
}
