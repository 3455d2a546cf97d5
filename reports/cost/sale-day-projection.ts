// Sale-day projection: from what one instance serves at the SLO (measured) and a day in plain
// numbers (e.g. a 400 req/s peak for 6 h, 80 req/s for 18 h), how many instances each phase needs
// (rounded up, keeping a utilisation headroom) and what the day costs by component.

import { InputError } from '../../errors/errors.ts';
import type { LoadedPriceBook } from '../price-book/load-price-book.ts';
import { pricesFor, type PriceUsed } from '../price-book/price-lookup.ts';
import { zeroByComponent, type ByComponent, type LcuDimension, type StackCostConfig } from './cost-types.ts';
import { addByComponent, steadyRunCost, type UsagePerRequest } from './steady-run-cost.ts';

export const DEFAULT_TARGET_UTILISATION = 0.7;
export const DEFAULT_MIN_INSTANCES = 2;

export interface SaleDayPhase {
  name: string;
  requestsPerSecond: number;
  hours: number;
}

export interface SaleDayInput {
  /** Requests per second one instance served while still meeting the SLO (from the capacity analysis). */
  rpsPerInstanceAtSlo: number;
  /** Plan each instance to run at this fraction of that (headroom for bursts and scale-out lag). Default 0.7. */
  targetUtilisation?: number;
  /** Never fewer than this (one per availability zone). Default 2. */
  minInstances?: number;
  instanceType: string;
  phases: SaleDayPhase[];
  stack: StackCostConfig;
  /** From the measured run: perRequestUsage(report.usage). */
  perRequest: UsagePerRequest;
  /** Completed orders per request in the measured run, for a cost per order. */
  ordersPerRequest?: number;
}

export interface SaleDayProjection {
  region: string;
  instanceType: string;
  /** Requests per second planned per instance: rpsPerInstanceAtSlo × targetUtilisation. */
  plannedRpsPerInstance: number;
  phases: Array<
    SaleDayPhase & {
      instances: number;
      requests: number;
      usd: number;
      byComponent: ByComponent;
      lcusPerHour: number;
      lcuWinner: LcuDimension;
    }
  >;
  peakInstances: number;
  instanceHours: number;
  hours: number;
  requests: number;
  total: number;
  byComponent: ByComponent;
  perRequest: number | null;
  perMillionRequests: number | null;
  perOrder: number | null;
  pricesUsed: PriceUsed[];
}

/** Instances to serve `rps` with each at `targetUtilisation` of its SLO capacity; at least `minInstances`. */
export function instancesNeeded(
  rps: number,
  rpsPerInstanceAtSlo: number,
  targetUtilisation: number,
  minInstances: number,
): number {
  const exact = rps / (rpsPerInstanceAtSlo * targetUtilisation);
  // 400 / (50 × 0.8) is 10.000000000000002 in floating point: that is 10 instances, not 11.
  return Math.max(minInstances, Math.ceil(exact - 1e-9));
}

export function projectSaleDay(input: SaleDayInput, book: LoadedPriceBook): SaleDayProjection {
  const util = input.targetUtilisation ?? DEFAULT_TARGET_UTILISATION;
  const minInstances = input.minInstances ?? DEFAULT_MIN_INSTANCES;
  check(
    input.rpsPerInstanceAtSlo > 0 && Number.isFinite(input.rpsPerInstanceAtSlo),
    'rpsPerInstanceAtSlo',
    'must be > 0 — take it from the capacity analysis of a run',
  );
  check(util > 0 && util <= 1, 'targetUtilisation', 'must be in (0, 1], e.g. 0.7 for 30 % headroom');
  check(Number.isInteger(minInstances) && minInstances >= 0, 'minInstances', 'must be a whole number ≥ 0');
  check(
    input.phases.length > 0,
    'phases',
    'needs at least one phase, e.g. { name: "peak", requestsPerSecond: 400, hours: 6 }',
  );
  input.phases.forEach((p, i) => {
    check(
      p.requestsPerSecond >= 0 && Number.isFinite(p.requestsPerSecond),
      `phases[${i}].requestsPerSecond`,
      'must be a number ≥ 0',
    );
    check(p.hours > 0 && Number.isFinite(p.hours), `phases[${i}].hours`, 'must be > 0');
  });
  const prices = pricesFor(book, input.stack.region);

  const phases = input.phases.map((p) => {
    const instances = instancesNeeded(p.requestsPerSecond, input.rpsPerInstanceAtSlo, util, minInstances);
    const requests = p.requestsPerSecond * p.hours * 3600;
    const c = steadyRunCost(
      {
        stackHours: p.hours,
        app: { type: input.instanceType, count: instances, hours: p.hours },
        requests,
        loadHours: p.hours,
      },
      input.stack,
      input.perRequest,
      prices,
    );
    return {
      ...p,
      instances,
      requests,
      usd: c.total,
      byComponent: c.byComponent,
      lcusPerHour: c.alb.lcus,
      lcuWinner: c.alb.winner,
    };
  });
  const byComponent = phases.reduce((acc, p) => addByComponent(acc, p.byComponent), zeroByComponent());
  const total = phases.reduce((s, p) => s + p.usd, 0);
  const requests = phases.reduce((s, p) => s + p.requests, 0);
  const orders = input.ordersPerRequest !== undefined ? requests * input.ordersPerRequest : 0;
  return {
    region: input.stack.region,
    instanceType: input.instanceType,
    plannedRpsPerInstance: input.rpsPerInstanceAtSlo * util,
    phases,
    peakInstances: Math.max(...phases.map((p) => p.instances)),
    instanceHours: phases.reduce((s, p) => s + p.instances * p.hours, 0),
    hours: phases.reduce((s, p) => s + p.hours, 0),
    requests,
    total,
    byComponent,
    perRequest: requests > 0 ? total / requests : null,
    perMillionRequests: requests > 0 ? (total / requests) * 1e6 : null,
    perOrder: orders > 0 ? total / orders : null,
    pricesUsed: prices.used(),
  };
}

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new InputError(`sale-day projection: ${field}: ${message}`);
}
