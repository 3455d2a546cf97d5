// The run's verdict, as one pure function of the record so an SLO gate can replace the rule
// later without touching the renderers.

import type { RunRecord } from '../record/record-schema.ts';

// FAIL only comes from an SLO (sloVerdict); without one the rule can only ask for attention.
export type VerdictStatus = 'PASS' | 'ATTENTION' | 'FAIL';

export interface Verdict {
  status: VerdictStatus;
  /** Why, one sentence each: the failing conditions for ATTENTION, the checked ones for PASS. */
  reasons: string[];
  /** The rule in words, printed under the verdict. */
  rule: string;
}

export interface VerdictLimits {
  /** Highest acceptable failed / requests (default 0.01). */
  maxErrorRate: number;
  /** Highest acceptable dropped / (iterations + dropped) (default 0.01). */
  maxDroppedRate: number;
  /** Highest acceptable failed / all k6 checks (default 0.01): a 200 with the wrong page is a failure too. */
  maxCheckFailRate: number;
}

export const DEFAULT_LIMITS: VerdictLimits = { maxErrorRate: 0.01, maxDroppedRate: 0.01, maxCheckFailRate: 0.01 };

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const limit = (x: number) => `${+(x * 100).toFixed(2)} %`;

export function judgeRun(record: Pick<RunRecord, 'totals' | 'run'>, limits: VerdictLimits = DEFAULT_LIMITS): Verdict {
  const t = record.totals;
  const rule = `PASS when the run completed, the error rate is at most ${limit(limits.maxErrorRate)}, at most ${limit(limits.maxCheckFailRate)} of checks failed and at most ${limit(limits.maxDroppedRate)} of iterations were dropped; otherwise ATTENTION.`;
  const checks = t.checks.passed + t.checks.failed;
  const checkFailRate = checks ? t.checks.failed / checks : 0;
  if (t.requests === 0) {
    return { status: 'ATTENTION', reasons: ['No requests were recorded: the load never reached the store, or the samples are missing.'], rule };
  }
  const problems: string[] = [];
  if (record.run.interrupted) problems.push('The run was interrupted before its planned end: these numbers cover only part of the plan.');
  if (t.errorRate > limits.maxErrorRate) {
    problems.push(`Error rate ${pct(t.errorRate)} (${t.failed} of ${t.requests} requests failed) is above ${limit(limits.maxErrorRate)}.`);
  }
  if (checkFailRate > limits.maxCheckFailRate) {
    problems.push(`${pct(checkFailRate)} of checks failed (${t.checks.failed} of ${checks}), above ${limit(limits.maxCheckFailRate)}: pages answered but not with the content expected.`);
  }
  if (t.droppedRate > limits.maxDroppedRate) {
    problems.push(
      `${pct(t.droppedRate)} of iterations were dropped (${t.droppedIterations}), above ${limit(limits.maxDroppedRate)}: the load generator fell short of the planned arrivals, so the store saw less load than planned.`,
    );
  }
  if (problems.length > 0) return { status: 'ATTENTION', reasons: problems, rule };
  return {
    status: 'PASS',
    reasons: [`Error rate ${pct(t.errorRate)} is within ${limit(limits.maxErrorRate)}.`, `Failed checks ${pct(checkFailRate)} are within ${limit(limits.maxCheckFailRate)}.`, `Dropped iterations ${pct(t.droppedRate)} are within ${limit(limits.maxDroppedRate)}.`],
    rule,
  };
}

/** The verdict from an SLO gate: FAIL names each broken objective and regression, measured vs limit. */
export function sloVerdict(gate: GateResultLike): Verdict {
  const failed = gate.objectives.filter((o) => !o.pass).map((o) => o.detail);
  const regressions = (gate.comparison?.regressions ?? []).map((r) => `Regression against baseline ${gate.comparison!.baselineId}: ${r.figure} ${fmtFig(r.unit, r.run)} vs ${fmtFig(r.unit, r.baseline)}.`);
  const base = gate.comparison ? ` and nothing regressed beyond ${+(gate.comparison.tolerance * 100).toFixed(1)} % against baseline ${gate.comparison.baselineId}` : '';
  const rule = `PASS when every objective of SLO "${gate.sloName}" holds${base}; otherwise FAIL.`;
  if (failed.length + regressions.length > 0) return { status: 'FAIL', reasons: [...failed, ...regressions], rule };
  return { status: 'PASS', reasons: gate.objectives.map((o) => o.detail), rule };
}

// Structural, so this file does not import the gate (the gate imports DEFAULT_LIMITS from here).
interface GateResultLike {
  sloName: string;
  objectives: Array<{ pass: boolean; detail: string }>;
  comparison: { baselineId: string; tolerance: number; regressions: Array<{ figure: string; unit: string; run: number | null; baseline: number | null }> } | null;
}

function fmtFig(unit: string, v: number | null): string {
  if (v === null) return '–';
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  if (unit === 'ratio') return pct(v);
  if (unit === 'usd') return `$${v.toPrecision(3)}`;
  return `${v.toFixed(1)}/s`;
}
