// The sale-day recommendation: for a peak given in plain numbers, how many instances to hold
// (projectSaleDay, from the requests/s per instance measured at the SLO) and how long before the
// peak to pre-scale, from how slow scale-out was in this run.

import { DEFAULT_LOCAL_MAPPING, type CostReport, type StackCostConfig } from '../cost/cost-types.ts';
import { projectSaleDay, type SaleDayPhase, type SaleDayProjection } from '../cost/sale-day-projection.ts';
import { perRequestUsage } from '../cost/steady-run-cost.ts';
import type { LoadedPriceBook } from '../price-book/load-price-book.ts';

export interface SalePeak {
  /** Requests per second at the peak. */
  peakRps: number;
  peakHours: number;
  /** The rest of the day; default none. */
  baseRps?: number;
  baseHours?: number;
}

export interface SaleDayRecommendation {
  peak: SalePeak;
  /** Instances to have in service before the peak starts. */
  minimumInstances: number;
  /** Pre-scale this many minutes before the peak. */
  preScaleMinutesBefore: number;
  /** Why that lead time, in words. */
  leadReason: string;
  projection: SaleDayProjection;
  modelled: boolean;
}

/** Three times the slowest scale-out seen (warm-up and health checks vary), never under 15 minutes. */
export function preScaleLead(slowestS: number | null): { minutes: number; reason: string } {
  const MIN = 15;
  if (slowestS === null)
    return { minutes: MIN, reason: `no instance came into service during the run; ${MIN} minutes is the floor` };
  const minutes = Math.max(MIN, Math.ceil((3 * slowestS) / 60));
  return {
    minutes,
    reason: `the slowest launch to in-service here took ${Math.round(slowestS)} s; three times that, at least ${MIN} minutes`,
  };
}

export function recommendSaleDay(input: {
  peak: SalePeak;
  rpsPerInstanceAtSlo: number;
  instanceType: string;
  cost: CostReport;
  stack?: StackCostConfig;
  slowestScaleOutS: number | null;
  book: LoadedPriceBook;
}): SaleDayRecommendation {
  const phases: SaleDayPhase[] = [{ name: 'peak', requestsPerSecond: input.peak.peakRps, hours: input.peak.peakHours }];
  if (input.peak.baseRps !== undefined && input.peak.baseHours)
    phases.push({ name: 'rest of the day', requestsPerSecond: input.peak.baseRps, hours: input.peak.baseHours });
  const mapping = input.cost.localMapping ?? DEFAULT_LOCAL_MAPPING;
  const stack: StackCostConfig = input.stack ?? { region: input.cost.region, ...mapping.stack };
  const projection = projectSaleDay(
    {
      rpsPerInstanceAtSlo: input.rpsPerInstanceAtSlo,
      instanceType: input.instanceType,
      phases,
      stack,
      perRequest: perRequestUsage(input.cost.usage),
      ordersPerRequest:
        input.cost.completedOrders !== null && input.cost.requests > 0
          ? input.cost.completedOrders / input.cost.requests
          : undefined,
    },
    input.book,
  );
  const lead = preScaleLead(input.slowestScaleOutS);
  return {
    peak: input.peak,
    minimumInstances: projection.phases[0].instances,
    preScaleMinutesBefore: lead.minutes,
    leadReason: lead.reason,
    projection,
    modelled: input.cost.modelled,
  };
}
