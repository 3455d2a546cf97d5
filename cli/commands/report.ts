// rehearse report RUN [--slo slo.json] [--baseline RUN]: record.json (+ telemetry.json, plan.json)
// → analysis.json, report.html, summary.md, and junit.xml with an SLO (aggregates first if there
// is no record yet).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { InputError } from '../../errors/errors.ts';
import { aggregateRun } from '../../reports/aggregate/aggregate-run.ts';
import { parseTolerance } from '../../reports/gate/implicit-slo.ts';
import { writeReport } from '../../reports/render/write-report.ts';
import { loadSlo } from '../../scenarios/slo/slo-file.ts';
import { log, newCommand, parsePositive } from './command.ts';

interface ReportFlags {
  reaggregate?: boolean;
  slo?: string;
  baseline?: string;
  tolerance: number;
  salePeakRps?: number;
  salePeakHours: number;
  saleBaseRps?: number;
  saleBaseHours?: number;
}

export function reportCommand() {
  return newCommand('report')
    .description(
      'render report.html, summary.md and analysis.json for a run directory from its record.json (and junit.xml with --slo)',
    )
    .argument('<run>', 'run directory, e.g. runs/20261125-103000-black-friday')
    .option('--reaggregate', 'rebuild record.json from the raw k6 samples first')
    .option(
      '--slo <file>',
      "SLO file (scenarios/slo/*.json): the verdict and junit.xml follow it (default: plan.json's slo, else the built-in rule)",
    )
    .option('--baseline <run>', 'a run directory to show side by side, differences called out')
    .option(
      '--tolerance <t>',
      'how much worse than the baseline counts as a regression, as 10% or 0.1',
      (v: string) => {
        try {
          return parseTolerance(v);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
      },
      0.1,
    )
    .option(
      '--sale-peak-rps <n>',
      'sale-day peak, requests per second: adds a recommendation (instances, when to pre-scale, cost)',
      parsePositive('--sale-peak-rps'),
    )
    .option('--sale-peak-hours <h>', 'how long the peak lasts, hours', parsePositive('--sale-peak-hours'), 6)
    .option('--sale-base-rps <n>', 'requests per second for the rest of the sale day', parsePositive('--sale-base-rps'))
    .option('--sale-base-hours <h>', 'hours of the rest of the sale day', parsePositive('--sale-base-hours'))
    .action(async (run: string, flags: ReportFlags) => {
      if (!existsSync(run)) throw new InputError(`run directory ${run} does not exist`);
      if (flags.reaggregate || !existsSync(join(run, 'record.json'))) {
        if (!existsSync(join(run, 'raw')))
          throw new InputError(`${run} has neither record.json nor raw/: not a run directory`);
        await aggregateRun(run);
      }
      const salePeak =
        flags.salePeakRps === undefined
          ? undefined
          : {
              peakRps: flags.salePeakRps,
              peakHours: flags.salePeakHours,
              baseRps: flags.saleBaseRps,
              baseHours: flags.saleBaseHours,
            };
      const written = await writeReport(run, {
        slo: flags.slo ? await loadSlo(flags.slo) : undefined,
        baselineDir: flags.baseline,
        tolerance: flags.tolerance,
        salePeak,
      });
      log(`report: ${written.html}`);
      for (const note of written.analysis.notes) log(`note: ${note}`);
    });
}
