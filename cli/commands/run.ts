// rehearse run --plan plan.json: load the target, keep the raw output, write record and report.
import { runPlan } from '../../runners/run-plan.ts';
import { EXIT } from '../errors.ts';
import { progressDisplay } from '../progress-display.ts';
import { log, newCommand } from './command.ts';

export function runCommand() {
  return newCommand('run')
    .description('run a plan with k6 against its target; writes runs/<id>/ (raw samples, record.json, report.html)')
    .requiredOption('--plan <file>', 'plan.json written by `rehearse plan`')
    .option('--runs-dir <dir>', 'where run directories go', 'runs')
    .action(async (flags: { plan: string; runsDir: string }) => {
      const abort = new AbortController();
      const onSigint = () => {
        log('\ninterrupted: stopping k6 and keeping what it measured (Ctrl-C again to quit at once)');
        abort.abort();
        process.once('SIGINT', () => process.exit(EXIT.interrupted));
      };
      process.once('SIGINT', onSigint);
      const display = progressDisplay();
      try {
        const res = await runPlan({ planPath: flags.plan, runsDir: flags.runsDir, signal: abort.signal, log, onProgress: display.update });
        display.done();
        log(`${res.requests} requests; report: ${res.reportPath}`);
        process.stdout.write(`${res.runDir}\n`);
        if (res.interrupted) process.exitCode = EXIT.interrupted;
      } finally {
        display.done();
        process.off('SIGINT', onSigint);
      }
    });
}
