// A run beside its baseline: the figures a regression shows in (latency percentiles, error rate,
// throughput, cost per request), each with the change and whether it is worse beyond the
// tolerance. Small absolute floors keep noise (0.2 ms, 0.01 % errors) from failing a build.

import type { RunRecord } from '../record/record-schema.ts';

export interface FigureDiff {
  /** e.g. "p95", "journey browse p95", "error rate". */
  figure: string;
  unit: 'ms' | 'ratio' | 'per-s' | 'usd';
  run: number | null;
  baseline: number | null;
  /** (run - baseline) / baseline; null when either is missing or the baseline is 0. */
  change: number | null;
  /** True when the run is worse than the baseline beyond the tolerance (and the floor). */
  regression: boolean;
}

export interface RunComparison {
  runId: string;
  baselineId: string;
  tolerance: number;
  figures: FigureDiff[];
  regressions: FigureDiff[];
}

/** Below these absolute differences a change is never a regression, whatever its ratio. */
const FLOOR = { ms: 1, ratio: 0.001, 'per-s': 0.5, usd: 0 } as const;

function diff(
  figure: string,
  unit: FigureDiff['unit'],
  run: number | null,
  baseline: number | null,
  tolerance: number,
  higherIsWorse: boolean,
): FigureDiff {
  if (run === null || baseline === null) return { figure, unit, run, baseline, change: null, regression: false };
  const change = baseline === 0 ? null : (run - baseline) / baseline;
  const worseBy = higherIsWorse ? run - baseline : baseline - run;
  const regression = worseBy > FLOOR[unit] && worseBy > tolerance * Math.abs(baseline);
  return { figure, unit, run, baseline, change, regression };
}

export function compareRuns(
  run: RunRecord,
  baseline: RunRecord,
  tolerance: number,
  cost?: { run: number | null; baseline: number | null },
): RunComparison {
  const figures: FigureDiff[] = [];
  const lat = (prefix: string, a: RunRecord['totals']['latency'], b: RunRecord['totals']['latency']) => {
    for (const p of ['p50', 'p95', 'p99'] as const)
      figures.push(diff(`${prefix}${p}`, 'ms', a[p], b[p], tolerance, true));
  };
  lat('', run.totals.latency, baseline.totals.latency);
  figures.push(
    diff(
      'error rate',
      'ratio',
      run.totals.requests ? run.totals.errorRate : null,
      baseline.totals.requests ? baseline.totals.errorRate : null,
      tolerance,
      true,
    ),
  );
  figures.push(
    diff(
      'throughput (mean requests/s)',
      'per-s',
      run.totals.achievedRate,
      baseline.totals.achievedRate,
      tolerance,
      false,
    ),
  );
  if (cost) figures.push(diff('cost per request', 'usd', cost.run, cost.baseline, tolerance, true));
  for (const j of run.journeys) {
    const b = baseline.journeys.find((x) => x.name === j.name);
    if (b) lat(`journey ${j.name} `, j.latency, b.latency);
  }
  return {
    runId: run.run.id,
    baselineId: baseline.run.id,
    tolerance,
    figures,
    regressions: figures.filter((f) => f.regression),
  };
}
