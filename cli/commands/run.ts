// rehearse run --plan plan.json: load the target, keep the raw output, write record and report.
import { runPlan } from '../../runners/run-plan.ts';
import { readPlan } from '../../scenarios/plan/plan-file.ts';
import { EXIT } from '../errors.ts';
import { progressDisplay } from '../progress-display.ts';
import { InvalidArgumentError } from 'commander';
import { log, newCommand } from './command.ts';

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
    .option('--runners <n>', 'split the plan across N local k6 agents (k6 execution segments, over a directory store in the run dir)', parseRunners, 1)
    .action(async (flags: { plan: string; runsDir: string; runners: number }) => {
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
        // URL has none, and an AWS plan needs its config (use `rehearse rehearsal --target aws`).
        const telemetry = plan.target.kind === 'local'
          ? async (from: number, to: number) => (await import('../../infra/local/replica.ts')).telemetry(from, to)
          : undefined;
        const res = await runPlan({ planPath: flags.plan, runsDir: flags.runsDir, runners: flags.runners, signal: abort.signal, log, onProgress: display.update, telemetry });
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
