// rehearse gate RUN [--slo slo.json] [--baseline RUN] [--tolerance 10%]: a one-screen verdict
// for CI; exit 0 pass, 1 fail. The older limit flags still work: each overrides the matching
// objective of the SLO (or of the defaults when no SLO file is given). Writes RUN/junit.xml.
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { InputError, EXIT } from '../../errors/errors.ts';
import { loadSlo } from '../../scenarios/slo/slo-file.ts';
import { readRecord } from '../../reports/record/read-record.ts';
import { DEFAULT_LIMITS } from '../../reports/analyse/verdict.ts';
import { sloWithFlags, parseTolerance } from '../../reports/gate/implicit-slo.ts';
import { gateText } from '../../reports/gate/gate-text.ts';
import { renderJunitXml } from '../../reports/gate/junit-xml.ts';
import { analyseRunDir } from '../../reports/render/write-report.ts';
import { writeFileAtomic } from '../../reports/record/atomic-write.ts';
import { join } from 'node:path';
import { newCommand, parsePositive, out, setExitCode } from './command.ts';

const fraction = (flag: string) => (v: string) => {
  const n = parsePositive(flag)(v);
  return n > 1 ? n / 100 : n; // accept 0.01 or 1 (%)
};

const tolerance = (v: string) => {
  try {
    return parseTolerance(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

interface GateFlags {
  slo?: string;
  baseline?: string;
  tolerance: number;
  junit?: string;
  maxErrorRate?: number;
  maxDroppedRate: number;
  maxCheckFailRate?: number;
  maxP95?: number;
}

export function gateCommand() {
  return newCommand('gate')
    .description(
      'judge a run for CI against an SLO (and a baseline run): exit 0 when it passes, 1 when it does not, with the reasons',
    )
    .argument('<run>', 'run directory, e.g. runs/20261125-103000-smoke')
    .option('--slo <file>', 'SLO file (scenarios/slo/*.json); default: 1 % errors, 99 % checks passed')
    .option('--baseline <run>', 'a run directory to compare with: a regression beyond --tolerance fails the gate')
    .option('--tolerance <t>', 'how much worse than the baseline is still a pass, as 10% or 0.1', tolerance, 0.1)
    .option('--junit <file>', 'where to write junit.xml (default: RUN/junit.xml)')
    .option(
      '--max-error-rate <r>',
      "highest acceptable failed/requests, as 0.01 or 1 (%); overrides the SLO's errorRate",
      fraction('--max-error-rate'),
    )
    .option(
      '--max-dropped-rate <r>',
      'highest acceptable dropped/planned iterations, as 0.01 or 1 (%)',
      fraction('--max-dropped-rate'),
      DEFAULT_LIMITS.maxDroppedRate,
    )
    .option(
      '--max-check-fail-rate <r>',
      "highest acceptable failed/all k6 checks, as 0.01 or 1 (%); overrides the SLO's checksPass",
      fraction('--max-check-fail-rate'),
    )
    .option('--max-p95 <ms>', 'highest acceptable p95 latency of every journey, ms', parsePositive('--max-p95'))
    .action(async (run: string, flags: GateFlags) => {
      if (!existsSync(run)) throw new InputError(`run directory ${run} does not exist`);
      const record = await readRecord(run);
      const slo = sloWithFlags(record, flags.slo ? await loadSlo(flags.slo) : undefined, flags);
      const { analysis } = await analyseRunDir(run, {
        slo,
        baselineDir: flags.baseline,
        tolerance: flags.tolerance,
        maxDroppedRate: flags.maxDroppedRate,
        strictTelemetry: true,
      });
      const gate = analysis.gate;
      out(gateText(record, gate));
      await writeFileAtomic(flags.junit ?? join(run, 'junit.xml'), renderJunitXml(record.run.id, gate));
      setExitCode(gate.pass ? EXIT.ok : EXIT.gateFailed);
    });
}
