// The CI gate as one pure function: a run record against an SLO (scenarios/slo/slo-schema.ts),
// optionally against a baseline run. Every objective of the SLO becomes one named check with the
// measured value and the limit, so the same result drives the one-screen text, junit.xml and the
// report's verdict.

import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { compareRuns, type RunComparison } from './compare-runs.ts';

export interface ObjectiveResult {
  /** Stable id, e.g. "errorRate", "journey.browse.p95Ms": the junit testcase name. */
  id: string;
  /** The objective in words. */
  title: string;
  pass: boolean;
  measured: number | null;
  limit: number;
  unit: 'ratio' | 'ms' | 'flag';
  /** One sentence: measured vs limit, or why it could not be measured. */
  detail: string;
}

export interface GateOptions {
  baseline?: RunRecord;
  /** Relative tolerance for regressions against the baseline, e.g. 0.1 = 10 %. */
  tolerance: number;
  /** Highest acceptable dropped/(iterations+dropped); not part of the SLO file. Default: not checked. */
  maxDroppedRate?: number;
  /** Accepted orders and attempts, for slo.checkoutSuccess (from the analysis' reconciliation). */
  checkout?: { attempts: number; succeeded: number } | null;
  /** Cost per request of this run and the baseline, when both were modelled. */
  costPerRequest?: { run: number | null; baseline: number | null };
}

export interface GateResult {
  pass: boolean;
  sloName: string;
  objectives: ObjectiveResult[];
  comparison: RunComparison | null;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const lim = (x: number) => `${+(x * 100).toFixed(2)} %`;

function maxRule(id: string, title: string, measured: number | null, limit: number, unit: 'ratio' | 'ms', what: string, note = ''): ObjectiveResult {
  const f = unit === 'ratio' ? pct : (v: number) => `${v.toFixed(0)} ms`;
  const fl = unit === 'ratio' ? lim : (v: number) => `${v} ms`;
  if (measured === null) return { id, title, pass: false, measured, limit, unit, detail: `${what}: not measured (no requests), limit ${fl(limit)}.` };
  const pass = measured <= limit;
  return { id, title, pass, measured, limit, unit, detail: `${what} ${f(measured)}${note} is ${pass ? 'within' : 'above'} ${fl(limit)}.` };
}

function minRule(id: string, title: string, measured: number | null, limit: number, what: string, note = ''): ObjectiveResult {
  if (measured === null) return { id, title, pass: false, measured, limit, unit: 'ratio', detail: `${what}: not measured, limit at least ${lim(limit)}.` };
  const pass = measured >= limit;
  return { id, title, pass, measured, limit, unit: 'ratio', detail: `${what} ${pct(measured)}${note} is ${pass ? 'at least' : 'below'} ${lim(limit)}.` };
}

export function evaluateGate(record: RunRecord, slo: Slo, opts: GateOptions): GateResult {
  const t = record.totals;
  const objectives: ObjectiveResult[] = [];
  objectives.push({
    id: 'completed', title: 'the run completed its plan', unit: 'flag', limit: 1,
    measured: record.run.interrupted || t.requests === 0 ? 0 : 1,
    pass: !record.run.interrupted && t.requests > 0,
    detail: t.requests === 0 ? 'No requests were recorded: the load never reached the store, or the samples are missing.'
      : record.run.interrupted ? 'The run was interrupted before its planned end: it cannot show the store holds the whole plan.' : 'The run completed its plan.',
  });
  objectives.push(maxRule('errorRate', 'error rate, whole run', t.requests ? t.errorRate : null, slo.errorRate, 'ratio', 'Error rate', ` (${t.failed} of ${t.requests} requests failed)`));
  const checks = t.checks.passed + t.checks.failed;
  objectives.push(minRule('checksPass', 'share of k6 checks passed', checks ? t.checks.passed / checks : null, slo.checksPass, 'Checks passed', ` (${t.checks.passed} of ${checks})`));
  if (slo.checkoutSuccess !== undefined) {
    const c = opts.checkout;
    objectives.push(minRule('checkoutSuccess', 'share of checkout attempts that produced an order', c && c.attempts > 0 ? c.succeeded / c.attempts : null,
      slo.checkoutSuccess, c && c.attempts > 0 ? `Checkout success (${c.succeeded} of ${c.attempts} attempts)` : 'Checkout success (no checkout requests recorded)'));
  }
  if (opts.maxDroppedRate !== undefined) {
    objectives.push(maxRule('droppedRate', 'dropped iterations', t.droppedRate, opts.maxDroppedRate, 'ratio',
      'Dropped iterations', ` (${t.droppedIterations}: arrivals the load generator could not start)`));
  }
  for (const [name, js] of Object.entries(slo.journeys)) {
    const j = record.journeys.find((x) => x.name === name);
    const missing = (id: string, limit: number, unit: 'ratio' | 'ms'): ObjectiveResult =>
      ({ id, title: `journey ${name}`, pass: false, measured: null, limit, unit, detail: `Journey ${name}: not in this run (journeys: ${record.journeys.map((x) => x.name).join(', ') || 'none'}) — check the SLO's journey names.` });
    if (js.p95Ms !== undefined) objectives.push(j ? maxRule(`journey.${name}.p95Ms`, `journey ${name} p95`, j.latency.p95, js.p95Ms, 'ms', `Journey ${name}: p95`) : missing(`journey.${name}.p95Ms`, js.p95Ms, 'ms'));
    if (js.p99Ms !== undefined) objectives.push(j ? maxRule(`journey.${name}.p99Ms`, `journey ${name} p99`, j.latency.p99, js.p99Ms, 'ms', `Journey ${name}: p99`) : missing(`journey.${name}.p99Ms`, js.p99Ms, 'ms'));
    if (js.errorRate !== undefined) objectives.push(j ? maxRule(`journey.${name}.errorRate`, `journey ${name} error rate`, j.requests ? j.errorRate : null, js.errorRate, 'ratio', `Journey ${name}: error rate`) : missing(`journey.${name}.errorRate`, js.errorRate, 'ratio'));
  }
  const comparison = opts.baseline ? compareRuns(record, opts.baseline, opts.tolerance, opts.costPerRequest) : null;
  const pass = objectives.every((o) => o.pass) && (comparison === null || comparison.regressions.length === 0);
  return { pass, sloName: slo.name, objectives, comparison };
}
