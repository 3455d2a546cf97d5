// rehearse gate RUN: a one-screen verdict for CI; exit 0 pass, 1 fail.
import { existsSync } from 'node:fs';
import { InputError, EXIT } from '../errors.ts';
import { readRecord } from '../../reports/record/read-record.ts';
import { judgeRun, DEFAULT_LIMITS } from '../../reports/analyse/verdict.ts';
import { newCommand, parsePositive } from './command.ts';

const fraction = (flag: string) => (v: string) => {
  const n = parsePositive(flag)(v);
  return n > 1 ? n / 100 : n; // accept 0.01 or 1 (%)
};

export function gateCommand() {
  return newCommand('gate')
    .description('judge a run for CI: exit 0 when it passes, 1 when it does not, with the reasons')
    .argument('<run>', 'run directory, e.g. runs/20261125-103000-smoke')
    .option('--max-error-rate <r>', 'highest acceptable failed/requests, as 0.01 or 1 (%)', fraction('--max-error-rate'), DEFAULT_LIMITS.maxErrorRate)
    .option('--max-dropped-rate <r>', 'highest acceptable dropped/planned iterations, as 0.01 or 1 (%)', fraction('--max-dropped-rate'), DEFAULT_LIMITS.maxDroppedRate)
    .option('--max-check-fail-rate <r>', 'highest acceptable failed/all k6 checks, as 0.01 or 1 (%)', fraction('--max-check-fail-rate'), DEFAULT_LIMITS.maxCheckFailRate)
    .option('--max-p95 <ms>', 'highest acceptable p95 latency of any journey, ms', parsePositive('--max-p95'))
    .action(async (run: string, flags: { maxErrorRate: number; maxDroppedRate: number; maxCheckFailRate: number; maxP95?: number }) => {
      if (!existsSync(run)) throw new InputError(`run directory ${run} does not exist`);
      const record = await readRecord(run);
      const verdict = judgeRun(record, { maxErrorRate: flags.maxErrorRate, maxDroppedRate: flags.maxDroppedRate, maxCheckFailRate: flags.maxCheckFailRate });
      const reasons = [...verdict.reasons];
      let pass = verdict.status === 'PASS';
      if (flags.maxP95 !== undefined) {
        for (const j of record.journeys) {
          const p95 = j.latency.p95;
          if (p95 !== null && p95 > flags.maxP95) {
            pass = false;
            reasons.push(`Journey ${j.name}: p95 ${p95.toFixed(0)} ms is above ${flags.maxP95} ms.`);
          } else if (p95 !== null) {
            reasons.push(`Journey ${j.name}: p95 ${p95.toFixed(0)} ms is within ${flags.maxP95} ms.`);
          }
        }
      }
      const out = [`${pass ? 'PASS' : 'FAIL'}  ${record.run.id}  (${record.totals.requests} requests, ${record.run.profile ?? 'unknown profile'})`,
        ...reasons.map((r) => `  - ${r}`)];
      process.stdout.write(`${out.join('\n')}\n`);
      process.exitCode = pass ? EXIT.ok : EXIT.gateFailed;
    });
}
