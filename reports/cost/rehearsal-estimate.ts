// Before an AWS rehearsal: what it will cost, from the plan's duration and expected requests, the
// stack's size and the runner fleet's, as a range (low: the fewest app instances, exact hours;
// high: the most app instances all along, the stack's hours rounded up as NAT and ALB bill partial
// hours), and whether that needs the user's confirmation against a limit.

import { InputError } from '../../errors/errors.ts';
import type { LoadedPriceBook } from '../price-book/load-price-book.ts';
import { pricesFor, type PriceUsed } from '../price-book/price-lookup.ts';
import type { ByComponent, StackCostConfig } from './cost-types.ts';
import { steadyRunCost, type UsagePerRequest } from './steady-run-cost.ts';

/** Stack up, seed, warm-up, report and tear-down around the load. */
export const DEFAULT_OVERHEAD_SECONDS = 900;

/**
 * A stated guess for a WooCommerce page mix, used only when no measured run is given: ~50 KB per
 * response, keep-alive connections reused ~20 times, ~1 s of connection per request, 5 Aurora
 * I/Os per request (the object cache absorbs most reads). Replace with perRequestUsage(report.usage).
 */
export const GUESSED_USAGE_PER_REQUEST: UsagePerRequest = Object.freeze({
  responseBytes: 50_000,
  processedBytes: 52_000,
  newConnections: 0.05,
  connectionSeconds: 1,
  dbIo: 5,
  efsReadBytes: 0,
  efsWriteBytes: 0,
  natBytes: 0,
});

export interface RehearsalEstimateInput {
  plan: { durationSeconds: number; expectedRequests: number };
  stack: StackCostConfig;
  /** The app Auto Scaling group's bounds. */
  app: { type: string; min: number; max: number };
  /** lifeSeconds: how long each runner is billed (default: as long as the stack lives). */
  runners: { type: string; count: number; lifeSeconds?: number };
  overheadSeconds?: number;
  /** Measured usage per request (perRequestUsage of an earlier run); default: the stated guess. */
  perRequest?: UsagePerRequest;
  /** Metrics the collector asks CloudWatch for each minute the stack is up. Default 0. */
  cloudWatchMetricsPerMinute?: number;
}

export interface RehearsalEstimate {
  currency: 'USD';
  region: string;
  low: number;
  high: number;
  /** The stack (store) part of each bound, by component. */
  store: { low: ByComponent; high: ByComponent };
  runners: number;
  cloudwatch: number;
  stackHours: number;
  priceBook: { asOf: string; warnings: string[] };
  pricesUsed: PriceUsed[];
  assumptions: string[];
}

export function estimateRehearsal(input: RehearsalEstimateInput, book: LoadedPriceBook): RehearsalEstimate {
  const { plan, app, runners } = input;
  const overhead = input.overheadSeconds ?? DEFAULT_OVERHEAD_SECONDS;
  check(
    plan.durationSeconds > 0 && Number.isFinite(plan.durationSeconds),
    'plan.durationSeconds',
    "must be > 0 — the plan's load duration",
  );
  check(
    plan.expectedRequests >= 0 && Number.isFinite(plan.expectedRequests),
    'plan.expectedRequests',
    'must be a number ≥ 0',
  );
  check(
    Number.isInteger(app.min) && app.min >= 0 && Number.isInteger(app.max) && app.max >= app.min,
    'app',
    `min and max must be whole numbers with 0 ≤ min ≤ max (got ${app.min}..${app.max})`,
  );
  check(Number.isInteger(runners.count) && runners.count >= 0, 'runners.count', 'must be a whole number ≥ 0');
  check(overhead >= 0 && Number.isFinite(overhead), 'overheadSeconds', 'must be ≥ 0');
  check(
    runners.lifeSeconds === undefined || (runners.lifeSeconds > 0 && Number.isFinite(runners.lifeSeconds)),
    'runners.lifeSeconds',
    'must be > 0 — boot, load and wind-down of one runner',
  );
  const assumptions: string[] = [];
  const per = input.perRequest ?? GUESSED_USAGE_PER_REQUEST;
  if (!input.perRequest)
    assumptions.push(
      "usage per request is a stated guess (50 KB out, 5 Aurora I/Os): pass a measured run's usage for a better estimate",
    );
  assumptions.push(
    `the stack lives ${Math.round(overhead / 60)} min longer than the load (up, seed, warm-up, report, down)${runners.lifeSeconds === undefined ? '; so do the runners' : ''}`,
  );
  if (runners.count > 0 && runners.lifeSeconds !== undefined)
    assumptions.push(
      `each of the ${runners.count} runners is billed ${Math.round(runners.lifeSeconds / 60)} min (boot budget, load, wind-down)`,
    );

  const prices = pricesFor(book, input.stack.region);
  const loadHours = plan.durationSeconds / 3600;
  const stackHours = (plan.durationSeconds + overhead) / 3600;
  const low = steadyRunCost(
    {
      stackHours,
      app: { type: app.type, count: app.min, hours: stackHours },
      requests: plan.expectedRequests,
      loadHours,
    },
    input.stack,
    per,
    prices,
  );
  const wholeHours = Math.ceil(stackHours - 1e-9);
  const high = steadyRunCost(
    {
      stackHours: wholeHours,
      app: { type: app.type, count: app.max, hours: stackHours },
      requests: plan.expectedRequests,
      loadHours,
    },
    input.stack,
    per,
    prices,
  );
  // EC2 bills at least a minute per instance.
  const runnerHours = Math.max((runners.lifeSeconds ?? stackHours * 3600) / 3600, 60 / 3600);
  const runnersUsd = runners.count > 0 ? runners.count * runnerHours * prices.ec2(runners.type, 'runners.type') : 0;
  const metrics = (input.cloudWatchMetricsPerMinute ?? 0) * stackHours * 60;
  const cloudwatch = metrics > 0 ? (metrics / 1000) * prices.getMetricDataPer1000() : 0;
  if (!input.cloudWatchMetricsPerMinute)
    assumptions.push('CloudWatch GetMetricData calls not counted (cloudWatchMetricsPerMinute not given)');

  return {
    currency: 'USD',
    region: input.stack.region,
    low: low.total + runnersUsd + cloudwatch,
    high: high.total + runnersUsd + cloudwatch,
    store: { low: low.byComponent, high: high.byComponent },
    runners: runnersUsd,
    cloudwatch,
    stackHours,
    priceBook: { asOf: book.asOf, warnings: [...book.warnings] },
    pricesUsed: prices.used(),
    assumptions,
  };
}

export interface Confirmation {
  needed: boolean;
  message: string;
}

/** Whether the user must confirm: the high end of the estimate is above `limitUsd`. */
export function needsConfirmation(estimate: RehearsalEstimate, limitUsd: number): Confirmation {
  check(Number.isFinite(limitUsd) && limitUsd >= 0, 'limitUsd', `must be a dollar amount ≥ 0 (got ${limitUsd})`);
  const range = `$${estimate.low.toFixed(2)}–$${estimate.high.toFixed(2)} (${estimate.region}, prices as of ${estimate.priceBook.asOf})`;
  if (estimate.high > limitUsd) {
    return {
      needed: true,
      message:
        `This AWS rehearsal may cost up to $${estimate.high.toFixed(2)}: estimate ${range}, above the limit of $${limitUsd.toFixed(2)}. ` +
        'Confirm to go ahead, or shorten the plan, lower the peak, or shrink the stack or the runner fleet.',
    };
  }
  return { needed: false, message: `Estimated ${range}, within the limit of $${limitUsd.toFixed(2)}.` };
}

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new InputError(`rehearsal estimate: ${field}: ${message}`);
}
