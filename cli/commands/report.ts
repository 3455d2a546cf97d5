// rehearse report RUN: record.json → report.html + summary.md (aggregates first if there is no record yet).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { aggregateRun } from '../../reports/aggregate/aggregate-run.ts';
import { writeReport } from '../../reports/render/write-report.ts';
import { log, newCommand } from './command.ts';

export function reportCommand() {
  return newCommand('report')
    .description('render report.html and summary.md for a run directory from its record.json')
    .argument('<run>', 'run directory, e.g. runs/20261125-103000-black-friday')
    .option('--reaggregate', 'rebuild record.json from the raw k6 samples first')
    .action(async (run: string, flags: { reaggregate?: boolean }) => {
      if (!existsSync(run)) throw new InputError(`run directory ${run} does not exist`);
      if (flags.reaggregate || !existsSync(join(run, 'record.json'))) {
        if (!existsSync(join(run, 'raw'))) throw new InputError(`${run} has neither record.json nor raw/: not a run directory`);
        await aggregateRun(run);
      }
      await writeReport(run);
      log(`report: ${join(run, 'report.html')}`);
    });
}
