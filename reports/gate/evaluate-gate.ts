// The CI gate as one pure function: a run record against an SLO (scenarios/slo/slo-schema.ts),
// optionally against a baseline run. Every objective of the SLO becomes one named check with the
// measured value and the limit, so the same result drives the one-screen text, junit.xml and the
// report's verdict.

import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { compareRuns, type RunComparison } from './compare-runs.ts';
import { maxRule, minRule, type ObjectiveResult } from './objective.ts';
import { runHealth, type RunLimits } from './run-health.ts';

export type { ObjectiveResult } from './objective.ts';

export interface GateOptions {
  baseline?: RunRecord;
  /** Relative tolerance for regressions against the baseline, e.g. 0.1 = 10 %. */
  tolerance: number;
  /** Highest acceptable dropped/(iterations+dropped); not part of the SLO file. Default 1 %. */
  maxDroppedRate?: number;
  /** The run's own health limits (run-health.ts): rate shortfall, generator CPU. */
  limits?: Partial<Pick<RunLimits, 'maxRateShortfall' | 'maxGeneratorCpu'>>;
  /** Accepted orders and attempts, for slo.checkoutSuccess (from the analysis' reconciliation). */
  checkout?: { attempts: number; succeeded: number } | null;
  /** Cost per request of this run and the baseline, when both were modelled. */
  costPerRequest?: { run: number | null; baseline: number | null };
  /** Leave out objectives of journeys with no requests (a short plateau may not start a rare journey). Default: only under the default SLO. */
  skipAbsentJourneys?: boolean;
}

export interface GateResult {
  pass: boolean;
  sloName: string;
  objectives: ObjectiveResult[];
  comparison: RunComparison | null;
}

export function evaluateGate(record: RunRecord, slo: Slo, opts: GateOptions): GateResult {
  const t = record.totals;
  const objectives: ObjectiveResult[] = [];
  // The run's own health first: when it fails, nothing below can be believed (run-health.ts).
  const health = runHealth(record, {
    ...opts.limits,
    ...(opts.maxDroppedRate !== undefined ? { maxDroppedRate: opts.maxDroppedRate } : {}),
  });
  objectives.push(...health);
  objectives.push(
    maxRule(
      'errorRate',
      'error rate, whole run',
      t.requests ? t.errorRate : null,
      slo.errorRate,
      'ratio',
      'Error rate',
      ` (${t.failed} of ${t.requests} requests failed)`,
    ),
  );
  const checks = t.checks.passed + t.checks.failed;
  objectives.push(
    minRule(
      'checksPass',
      'share of k6 checks passed',
      checks ? t.checks.passed / checks : null,
      slo.checksPass,
      'Checks passed',
      ` (${t.checks.passed} of ${checks})`,
    ),
  );
  if (slo.checkoutSuccess !== undefined) {
    const c = opts.checkout;
    objectives.push(
      minRule(
        'checkoutSuccess',
        'share of checkout attempts that produced an order',
        c && c.attempts > 0 ? c.succeeded / c.attempts : null,
        slo.checkoutSuccess,
        c && c.attempts > 0
          ? `Checkout success (${c.succeeded} of ${c.attempts} attempts)`
          : 'Checkout success (no checkout requests recorded)',
      ),
    );
  }
  // The default SLO names every built-in journey; a run of a profile without some is not at fault.
  const implicit = opts.skipAbsentJourneys ?? slo.name === DEFAULT_SLO.name;
  for (const [name, js] of Object.entries(slo.journeys)) {
    const j = record.journeys.find((x) => x.name === name);
    if (!j && implicit) continue;
    const missing = (id: string, limit: number, unit: 'ratio' | 'ms'): ObjectiveResult => ({
      id,
      title: `journey ${name}`,
      pass: false,
      measured: null,
      limit,
      unit,
      detail: `Journey ${name}: not in this run (journeys: ${record.journeys.map((x) => x.name).join(', ') || 'none'}) — check the SLO's journey names.`,
    });
    if (js.p95Ms !== undefined)
      objectives.push(
        j
          ? maxRule(
              `journey.${name}.p95Ms`,
              `journey ${name} p95`,
              j.latency.p95,
              js.p95Ms,
              'ms',
              `Journey ${name}: p95`,
            )
          : missing(`journey.${name}.p95Ms`, js.p95Ms, 'ms'),
      );
    if (js.p99Ms !== undefined)
      objectives.push(
        j
          ? maxRule(
              `journey.${name}.p99Ms`,
              `journey ${name} p99`,
              j.latency.p99,
              js.p99Ms,
              'ms',
              `Journey ${name}: p99`,
            )
          : missing(`journey.${name}.p99Ms`, js.p99Ms, 'ms'),
      );
    if (js.errorRate !== undefined)
      objectives.push(
        j
          ? maxRule(
              `journey.${name}.errorRate`,
              `journey ${name} error rate`,
              j.requests ? j.errorRate : null,
              js.errorRate,
              'ratio',
              `Journey ${name}: error rate`,
            )
          : missing(`journey.${name}.errorRate`, js.errorRate, 'ratio'),
      );
  }
  const comparison = opts.baseline ? compareRuns(record, opts.baseline, opts.tolerance, opts.costPerRequest) : null;
  const pass = objectives.every((o) => o.pass) && (comparison === null || comparison.regressions.length === 0);
  return { pass, sloName: slo.name, objectives, comparison };
}
