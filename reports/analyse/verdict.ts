// The run's verdict: one pure function of the gate's result, so report.html, summary.md,
// junit.xml, `rehearse gate` and the exit codes can never disagree. The gate always runs (against
// the default SLO when none is given) and starts with the run's own health (reports/gate/run-health.ts).

import { evaluateGate } from '../gate/evaluate-gate.ts';
import { DEFAULT_SLO } from '../gate/implicit-slo.ts';
import type { RunLimits } from '../gate/run-health.ts';
import type { RunRecord } from '../record/record-schema.ts';

export { DEFAULT_LIMITS, type RunLimits as VerdictLimits } from '../gate/run-health.ts';

export type VerdictStatus = 'PASS' | 'FAIL';

export interface Verdict {
  status: VerdictStatus;
  /** Why, one sentence each: the failing checks for FAIL (run health first), the checked ones for PASS. */
  reasons: string[];
  /** The rule in words, printed under the verdict. */
  rule: string;
  /**
   * Empty when the run can be vouched for; otherwise why its latency figures cannot be trusted
   * (partial run, dropped iterations, load short of the plan, generator saturated). Shown first.
   */
  untrusted: string[];
}

// Structural, so this file does not depend on how the gate builds its result.
interface GateResultLike {
  sloName: string;
  objectives: Array<{ id: string; pass: boolean; detail: string; limit: number; trust?: boolean }>;
  comparison: {
    baselineId: string;
    tolerance: number;
    regressions: Array<{ figure: string; unit: string; run: number | null; baseline: number | null }>;
  } | null;
}

const lim = (x: number) => `${+(x * 100).toFixed(2)} %`;

/** The verdict from the gate: FAIL names each failed check (measured vs limit), run health first. */
export function runVerdict(gate: GateResultLike): Verdict {
  const untrusted = gate.objectives.filter((o) => o.trust && !o.pass).map((o) => o.detail);
  const failed = gate.objectives.filter((o) => !o.trust && !o.pass).map((o) => o.detail);
  const regressions = (gate.comparison?.regressions ?? []).map(
    (r) =>
      `Regression against baseline ${gate.comparison!.baselineId}: ${r.figure} ${fmtFig(r.unit, r.run)} vs ${fmtFig(r.unit, r.baseline)}.`,
  );
  const base = gate.comparison
    ? ` and nothing regressed beyond ${+(gate.comparison.tolerance * 100).toFixed(1)} % against baseline ${gate.comparison.baselineId}`
    : '';
  const limitOf = (id: string) => gate.objectives.find((o) => o.id === id)?.limit;
  const health = [
    'the run completed its plan (no segment lost, not interrupted)',
    limitOf('droppedRate') !== undefined ? `at most ${lim(limitOf('droppedRate')!)} of iterations were dropped` : '',
    limitOf('achievedRate') !== undefined
      ? `it started within ${lim(limitOf('achievedRate')!)} of the planned journeys`
      : '',
    'the load generator kept up (VUs and CPU)',
  ].filter(Boolean);
  const rule = `PASS when ${health.join(', ')}, and every objective of SLO "${gate.sloName}" holds${base}; otherwise FAIL.`;
  if (untrusted.length + failed.length + regressions.length > 0)
    return { status: 'FAIL', reasons: [...untrusted, ...failed, ...regressions], rule, untrusted };
  return { status: 'PASS', reasons: gate.objectives.map((o) => o.detail), rule, untrusted };
}

/** The verdict of a record on its own: the gate against the default SLO (reports/gate/implicit-slo.ts). */
export function judgeRun(record: RunRecord, limits: Partial<RunLimits> = {}): Verdict {
  const slo = structuredClone(DEFAULT_SLO);
  if (limits.maxErrorRate !== undefined) slo.errorRate = limits.maxErrorRate;
  if (limits.maxCheckFailRate !== undefined) slo.checksPass = 1 - limits.maxCheckFailRate;
  return runVerdict(evaluateGate(record, slo, { tolerance: 0.1, maxDroppedRate: limits.maxDroppedRate, limits }));
}

function fmtFig(unit: string, v: number | null): string {
  if (v === null) return '–';
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  if (unit === 'ratio') return `${(v * 100).toFixed(2)} %`;
  if (unit === 'usd') return `$${v.toPrecision(3)}`;
  return `${v.toFixed(1)}/s`;
}
