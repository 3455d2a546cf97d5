// Runs terraform/tofu command lines one after another, its output as prefixed log lines (they
// are line-oriented already, so the same on a TTY and in CI).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TerraformCommand } from './terraform-commands.ts';
import { RunError } from '../../../errors/errors.ts';

export class TerraformError extends RunError {}

export interface RunTerraformOptions {
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Aborting sends exactly one SIGINT: terraform finishes the operations in flight and stops cleanly. */
  signal?: AbortSignal;
}

export function runTerraformCommand(cmd: TerraformCommand, opts: RunTerraformOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    opts.log(`${cmd.label} …`);
    // detached: its own process group, so the terminal's Ctrl-C reaches Node only. A second SIGINT
    // makes terraform exit at once, which can lose state; Node forwards one (onAbort) and no more.
    const child = spawn(cmd.command, cmd.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, TF_IN_AUTOMATION: '1', ...opts.env },
    });
    let out = '';
    const tail: string[] = [];
    child.stdout.on('data', (d) => (out += d));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.trim()) opts.log(`  ${cmd.label}: ${line}`);
      });
    }
    const onAbort = () => child.kill('SIGINT');
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => reject(new TerraformError(`could not run ${cmd.command}: ${err.message}`)));
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      const took = ((Date.now() - started) / 1000).toFixed(0);
      if (code === 0) {
        opts.log(`${cmd.label} done in ${took} s`);
        resolve(out);
      } else {
        reject(new TerraformError(`${cmd.label} failed (exit ${code}) after ${took} s:\n${tail.join('\n')}`));
      }
    });
  });
}

export async function runTerraformPlan(cmds: TerraformCommand[], opts: RunTerraformOptions): Promise<void> {
  for (const cmd of cmds) {
    if (opts.signal?.aborted) throw new TerraformError(`interrupted before ${cmd.label}`);
    await runTerraformCommand(cmd, opts);
  }
}
