// The whole rehearsal, end to end: stack up → plan → run (k6) → record → report → stack down.
// Ctrl-C stops the load, still writes the report from what was measured, and stops the stack;
// a second Ctrl-C skips the report but still stops the stack.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../cli/errors.ts';
import { makePlan, profileFor, type ScaleFlags } from '../cli/commands/plan.ts';
import { targetFrom, type TargetFlags } from '../cli/commands/target-options.ts';
import { progressDisplay } from '../cli/progress-display.ts';
import { writePlan } from '../scenarios/plan/plan-file.ts';
import { runPlan } from '../runners/run-plan.ts';

export interface RehearsalOptions extends TargetFlags, ScaleFlags {
  runsDir: string;
  keepUp?: boolean;
  log: (line: string) => void;
}

export async function rehearsal(opts: RehearsalOptions): Promise<{ exitCode: number; runDir?: string }> {
  const { log } = opts;
  const started = Date.now();
  const profile = await profileFor(opts);
  const target = await targetFrom(opts);
  const abort = new AbortController();
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
    const plan = await makePlan(opts, profile, endpoint, opts.target);
    const planPath = join(planDir, 'plan.json');
    await writePlan(planPath, plan);
    const display = progressDisplay();
    const res = await runPlan({ planPath, runsDir: opts.runsDir, signal: abort.signal, log, onProgress: display.update })
      .finally(() => display.done());
    log(`${res.requests} requests in ${((Date.now() - started) / 1000).toFixed(0)} s${res.interrupted ? ' (interrupted)' : ''}`);
    log(`report: ${res.reportPath}`);
    return { exitCode: res.interrupted ? EXIT.interrupted : EXIT.ok, runDir: res.runDir };
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
