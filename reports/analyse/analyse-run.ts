// The analysis of a run as one pure function of record + telemetry + plan (+ SLO, price book,
// baseline): what analysis.json holds and what the report, summary, junit.xml and gate read.
// Kept apart from record.json (see README.md): the record is a reduction of the raw samples; the
// analysis depends on inputs that change after the run (SLO, prices, sale-day peak, baseline).

import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import { costOfWindow } from '../cost/cost-model.ts';
import type { CostReport } from '../cost/cost-types.ts';
import { compareRuns, type RunComparison } from '../gate/compare-runs.ts';
import { evaluateGate, type GateResult } from '../gate/evaluate-gate.ts';
import { DEFAULT_SLO } from '../gate/implicit-slo.ts';
import type { LoadedPriceBook } from '../price-book/load-price-book.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { errorBreakdown, reconcileCheckout, type CheckoutReconciliation, type ErrorBreakdown } from './breakdown.ts';
import { analyseCapacity, type CapacityAnalysis } from './capacity.ts';
import { plannedVsAchieved, type RatePoint } from './planned-rate.ts';
import { recommendSaleDay, type SaleDayRecommendation, type SalePeak } from './recommendation.ts';
import { analyseScaling, type ScalingStory } from './scaling.ts';
import { reconcileOrdersById, type OrderReconciliation } from './orders.ts';
import { completedOrdersOf, costInputsFrom } from './cost-inputs.ts';

/** Orders that succeeded, by id: only when the store was asked (otherwise unknown here). */
function succeededOrders(record: RunRecord): number | null {
  const audit = record.orders?.audit;
  return audit && audit.source !== 'none' ? (completedOrdersOf(record) ?? null) : null;
}
import { sloSeconds } from './slo-seconds.ts';
import { timeScales, type TimeScales } from './time-scales.ts';

export const ANALYSIS_SCHEMA_ID = 'rehearse.analysis/v1';

export interface CostSummary {
  modelled: boolean;
  priceBookAsOf: string;
  region: string;
  total: number;
  perRequest: number | null;
  perMillionRequests?: number | null;
  perCompletedOrder: number | null;
  completedOrders?: number | null;
  /** The store's cost by component (ec2, alb, aurora, cache, efs, nat, interAz, transferOut). */
  byComponent?: Record<string, number>;
  /** The price of the rehearsal itself: runner fleet, its S3 requests, CloudWatch calls. */
  rehearsal?: {
    total: number;
    runners: number;
    s3: number;
    cloudwatch: number;
    runnerSecondsByType: Record<string, number>;
  };
  /** Per clock minute: cost, requests completed in it, cost per request. */
  perMinute: Array<{ t: number; usd: number; requests: number; perRequest: number | null }>;
  assumptions: string[];
}

export interface RunAnalysis {
  schema: typeof ANALYSIS_SCHEMA_ID;
  runId: string;
  generatedAt: string;
  /** The SLO the analysis judged seconds against; "default" when none was given. */
  slo: { name: string; given: boolean };
  plannedRate: { points: RatePoint[]; plannedTotal: number; achievedTotal: number } | null;
  errors: ErrorBreakdown;
  capacity: CapacityAnalysis;
  scaling: ScalingStory | null;
  cost: CostSummary | null;
  recommendation: SaleDayRecommendation | null;
  checkout: CheckoutReconciliation | null;
  /** Orders reconciled with the store by id (record.orders.audit); null when the store was not asked. Absent in older analyses. */
  orders?: OrderReconciliation | null;
  /** This run beside the baseline, when one was given. */
  comparison: RunComparison | null;
  /** The gate: the run's health, then the SLO's objectives (the default SLO when none was given), then the baseline. */
  gate: GateResult;
  /** Profile compression and autoscaler time scale, stated in the run settings and capacity sections. */
  timeScales: TimeScales;
  /** Things that could not be analysed, and why (missing telemetry, unreadable plan). */
  notes: string[];
}

export interface AnalyseInputs {
  record: RunRecord;
  telemetry: Telemetry | null;
  plan: unknown;
  slo: Slo | null;
  book: LoadedPriceBook | null;
  salePeak?: SalePeak;
  baseline?: { record: RunRecord; analysis: RunAnalysis | null };
  tolerance?: number;
  maxDroppedRate?: number;
  now: Date;
}

function costSummary(record: RunRecord, cost: CostReport): CostSummary {
  const perMinute = cost.perMinute.map((m) => {
    const requests = record.timeline.filter((p) => p.t >= m.t && p.t < m.t + 60).reduce((a, p) => a + p.requests, 0);
    return { t: m.t, usd: m.usd, requests, perRequest: requests > 0 ? m.usd / requests : null };
  });
  const { total, runners, s3, cloudwatch, runnerSecondsByType } = cost.rehearsal;
  return {
    modelled: cost.modelled,
    priceBookAsOf: cost.priceBook.asOf,
    region: cost.region,
    total: cost.total,
    perRequest: cost.perRequest,
    perMillionRequests: cost.perMillionRequests,
    perCompletedOrder: cost.perCompletedOrder,
    completedOrders: cost.completedOrders,
    byComponent: { ...cost.byComponent },
    rehearsal: { total, runners, s3, cloudwatch, runnerSecondsByType },
    perMinute,
    assumptions: cost.assumptions,
  };
}

export function analyseRun(inp: AnalyseInputs): RunAnalysis {
  const { record, telemetry: tel } = inp;
  const notes: string[] = [];
  const slo = inp.slo ?? DEFAULT_SLO;
  const seconds = sloSeconds(record, slo);
  const capacity = analyseCapacity(seconds, tel);
  const scaling = tel ? analyseScaling(seconds, tel, capacity.rpsPerInstanceAtSlo) : null;
  if (!tel) {
    // Orders reconciled by id need only the store's answer (record.orders.audit), not telemetry.
    const needs = record.orders?.audit
      ? 'scaling, capacity per instance, CPU per tier and cost need'
      : 'scaling, capacity per instance, CPU per tier, cost and order reconciliation need';
    notes.push(
      `No telemetry.json: ${needs} the target's telemetry (for a store on AWS you deployed yourself: --cloudwatch).`,
    );
  }

  const points = plannedVsAchieved(record, inp.plan);
  if (!points) notes.push('plan.json has no readable arrival-rate scenarios: no planned rate to compare with.');
  const plannedRate = points
    ? {
        points,
        plannedTotal: points.reduce((a, p) => a + p.planned, 0),
        achievedTotal: points.reduce((a, p) => a + p.achieved, 0),
      }
    : null;

  let cost: CostReport | null = null;
  if (tel && inp.book && record.run.startedAt && record.run.endedAt && record.totals.requests > 0) {
    const window = { from: Date.parse(record.run.startedAt) / 1000, to: Date.parse(record.run.endedAt) / 1000 };
    const extra = costInputsFrom(record, tel);
    if (tel.source === 'aws' && !tel.stack)
      notes.push(
        'Cost not modelled: telemetry.json has no stack (its collector predates it); collect the telemetry again with this version',
      );
    else {
      try {
        cost = costOfWindow(
          tel,
          { ...extra.inputs, window, requests: record.totals.requests, responseBytes: record.totals.bytes.received },
          inp.book,
        );
        for (const a of extra.assumptions) if (!cost.assumptions.includes(a)) cost.assumptions.push(a);
      } catch (e) {
        notes.push(`Cost not modelled: ${(e as Error).message}`);
      }
    }
  }
  let recommendation: SaleDayRecommendation | null = null;
  if (inp.salePeak) {
    if (!cost || !capacity.rpsPerInstanceAtSlo)
      notes.push(
        'No sale-day recommendation: it needs telemetry (instances in service), a price book and a window that met the SLO.',
      );
    else {
      try {
        recommendation = recommendSaleDay({
          peak: inp.salePeak,
          rpsPerInstanceAtSlo: capacity.rpsPerInstanceAtSlo,
          cost,
          book: inp.book!,
          // A local instance stands for the mapping's type; an AWS one is what it is.
          instanceType: cost.modelled
            ? (cost.localMapping?.appInstanceType ?? 'c7g.large')
            : (tel!.instances[0]?.type ?? 'c7g.large'),
          stack: cost.modelled ? undefined : tel!.stack,
          slowestScaleOutS: scaling?.slowestLaunchToServiceS ?? null,
        });
      } catch (e) {
        notes.push(`No sale-day recommendation: ${(e as Error).message}`);
      }
    }
  }
  const checkout = reconcileCheckout(record, tel);
  const costNow = cost ? costSummary(record, cost) : null;
  const costPerRequest = inp.baseline
    ? { run: costNow?.perRequest ?? null, baseline: inp.baseline.analysis?.cost?.perRequest ?? null }
    : undefined;
  const comparison = inp.baseline
    ? compareRuns(record, inp.baseline.record, inp.tolerance ?? 0.1, costPerRequest)
    : null;
  const gate = evaluateGate(record, slo, {
    tolerance: inp.tolerance ?? 0.1,
    baseline: inp.baseline?.record,
    maxDroppedRate: inp.maxDroppedRate,
    // By id when the store was asked: an accepted order it lost did not succeed.
    checkout:
      checkout && checkout.attempts > 0
        ? { attempts: checkout.attempts, succeeded: succeededOrders(record) ?? checkout.persisted ?? checkout.accepted }
        : null,
    costPerRequest,
  });
  return {
    schema: ANALYSIS_SCHEMA_ID,
    runId: record.run.id,
    generatedAt: inp.now.toISOString(),
    slo: { name: slo.name, given: inp.slo !== null },
    plannedRate,
    errors: errorBreakdown(record),
    capacity,
    scaling,
    cost: costNow,
    recommendation,
    checkout,
    orders: reconcileOrdersById(record),
    comparison,
    gate,
    timeScales: timeScales(inp.plan, tel),
    notes,
  };
}
