// k6 as the tests run it: the command k6Command builds, in a child process that is SIGKILLed if
// it outlives its bound (a hung k6 must fail the test, not hang CI), with its output collected.
import { spawn } from 'node:child_process';
import { k6Binary } from '../../runners/k6-binary.ts';
import { k6Command } from '../run/k6-command.ts';

export interface BoundedK6 {
  planPath: string;
  summaryPath: string;
  /** More k6 arguments after --quiet (e.g. --out json=...). */
  extraArgs?: string[];
  /** More environment (e.g. the customers' password). */
  env?: NodeJS.ProcessEnv;
  killAfterMs: number;
}

export interface BoundedK6Result {
  /** k6's exit code; null when it was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export async function runK6Bounded(o: BoundedK6): Promise<BoundedK6Result> {
  const cmd = k6Command({
    k6Bin: k6Binary(),
    planPath: o.planPath,
    summaryPath: o.summaryPath,
    extraArgs: ['--quiet', ...(o.extraArgs ?? [])],
  });
  const started = performance.now();
  const child = spawn(cmd.command, cmd.args, {
    env: { ...process.env, ...o.env, ...cmd.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = setTimeout(() => child.kill('SIGKILL'), o.killAfterMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  clearTimeout(kill);
  return { code, stdout, stderr, seconds: (performance.now() - started) / 1000 };
}
