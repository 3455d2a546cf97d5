// Usage → cost for a run window (docs/architecture.md, "Cost from usage, not list totals"): instance-seconds
// from telemetry, ALB LCUs on the highest dimension per hour, Aurora, cache, EFS, NAT and transfer
// out, priced from the dated book; per request, per 1 M, per completed order, by component and per
// minute. The runner fleet and the collector's CloudWatch calls are "the price of the rehearsal",
// kept apart. A local run is priced as the AWS stack its mapping names, and labelled modelled.

import { InputError } from '../../errors/errors.ts';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { fromZodIssues, formatIssues } from '../../scenarios/profile/issues.ts';
import type { LoadedPriceBook } from '../price-book/load-price-book.ts';
import { pricesFor, type RegionPriceLookup } from '../price-book/price-lookup.ts';
import {
  DEFAULT_LOCAL_MAPPING,
  StackCostConfigSchema,
  zeroByComponent,
  type CostInputs,
  type CostLine,
  type CostReport,
  type LocalMapping,
  type MachineLife,
  type StackCostConfig,
} from './cost-types.ts';
import { billedSpans, secondsByType } from './instance-seconds.ts';
import { buckets } from './series-window.ts';
import { windowMeters } from './window-meters.ts';

const HOUR = 3600;

export function costOfWindow(telemetry: Telemetry, inputs: CostInputs, book: LoadedPriceBook): CostReport {
  const window = inputs.window ?? telemetry.window;
  if (!(window.to > window.from)) {
    throw new InputError(
      `cost inputs: window: to (${window.to}) must be after from (${window.from}) — pass the run's window in Unix seconds`,
    );
  }
  checkCounts(inputs);
  const assumptions: string[] = [];
  const assume = (line: string) => {
    if (!assumptions.includes(line)) assumptions.push(line);
  };
  const local = telemetry.source === 'local';
  const mapping: LocalMapping | undefined = local ? (inputs.localMapping ?? DEFAULT_LOCAL_MAPPING) : undefined;
  const stack = stackFor(inputs, mapping, assume);
  const prices = pricesFor(book, stack.region);

  const typeOf =
    (kind: 'app' | 'runner') =>
    (type: string, index: number): string => {
      if (!mapping || prices.hasEc2(type)) return type;
      const mapped = kind === 'app' ? mapping.appInstanceType : mapping.runnerInstanceType;
      assume(
        `local ${kind === 'app' ? 'instance' : 'runner'} type "${type}" (first at ${kind === 'app' ? 'telemetry instances' : 'runners'}[${index}]) priced as ${mapped}, per the local mapping`,
      );
      return mapped;
    };

  const { meters, albHours, usage } = windowMeters({
    telemetry,
    inputs,
    window,
    stack,
    prices,
    typeOf: typeOf('app'),
    assume,
  });

  const byComponent = zeroByComponent();
  const lines: CostLine[] = [];
  for (const m of meters) {
    const quantity = m.quantityIn(window.from, window.to);
    const usd = quantity * m.unitUsd;
    byComponent[m.component] += usd;
    lines.push({ component: m.component, item: m.item, quantity, unit: m.unit, unitUsd: m.unitUsd, usd });
  }
  const total = sum(Object.values(byComponent));

  const perMinute = buckets(window.from, window.to, 60).map((b) => {
    const c = zeroByComponent();
    for (const m of meters) c[m.component] += m.quantityIn(b.from, b.to) * m.unitUsd;
    return { t: b.start, usd: sum(Object.values(c)), byComponent: c };
  });

  const completedOrders = inputs.completedOrders ?? telemetry.orders?.persisted ?? null;
  if (completedOrders === null) assume('no completed-order count (inputs or telemetry.orders): no cost per order');
  const requests = inputs.requests;

  return {
    currency: 'USD',
    modelled: local,
    ...(mapping ? { localMapping: mapping } : {}),
    region: stack.region,
    window: { from: window.from, to: window.to, seconds: window.to - window.from },
    priceBook: { path: book.path, asOf: book.asOf, warnings: [...book.warnings] },
    total,
    requests,
    completedOrders,
    perRequest: requests > 0 ? total / requests : null,
    perMillionRequests: requests > 0 ? (total / requests) * 1e6 : null,
    perCompletedOrder: completedOrders ? total / completedOrders : null,
    byComponent,
    lines,
    albHours,
    perMinute,
    rehearsal: rehearsalCost(
      inputs.runners ?? [],
      inputs.cloudWatchMetricsRequested,
      inputs.s3Requests,
      window,
      prices,
      typeOf('runner'),
      assume,
    ),
    usage,
    pricesUsed: prices.used(),
    assumptions,
  };
}

/** The price of the rehearsal: each runner over its whole life (an open life ends with the window), and GetMetricData. */
function rehearsalCost(
  runners: readonly MachineLife[],
  metricsRequested: number | undefined,
  s3: CostInputs['s3Requests'],
  window: { from: number; to: number },
  prices: RegionPriceLookup,
  typeOf: (type: string, index: number) => string,
  assume: (line: string) => void,
): CostReport['rehearsal'] {
  const lives = runners.map((r, i) => ({
    ...r,
    type: typeOf(r.type, i),
    terminatedAt: r.terminatedAt ?? Math.max(window.to, r.launchedAt),
  }));
  const runnerSecondsByType = secondsByType(billedSpans(lives, { from: -Infinity, to: Infinity }, 'runners'));
  const lines: CostLine[] = [];
  for (const [type, seconds] of Object.entries(runnerSecondsByType).sort(([a], [b]) => a.localeCompare(b))) {
    const index = lives.findIndex((l) => l.type === type);
    const unitUsd = prices.ec2(type, `runners[${index}].type`);
    lines.push({
      component: 'runners',
      item: `${type} k6 runners`,
      quantity: seconds / HOUR,
      unit: 'instance-hours',
      unitUsd,
      usd: (seconds / HOUR) * unitUsd,
    });
  }
  if (runners.length === 0) assume('no runner lifecycles given: the runner fleet is not priced');
  if (metricsRequested !== undefined && metricsRequested > 0) {
    const unitUsd = prices.getMetricDataPer1000();
    lines.push({
      component: 'cloudwatch',
      item: 'GetMetricData',
      quantity: metricsRequested / 1000,
      unit: 'thousand metrics',
      unitUsd,
      usd: (metricsRequested / 1000) * unitUsd,
    });
  }
  for (const tier of ['tier1', 'tier2'] as const) {
    const n = s3?.[tier] ?? 0;
    if (n <= 0) continue;
    const unitUsd = prices.s3Per1000(tier);
    if (unitUsd === null) {
      assume("the price book has no s3 prices: the runner fleet's S3 requests priced as 0");
      continue;
    }
    const what = tier === 'tier1' ? 'PUT and LIST' : 'GET';
    lines.push({
      component: 's3',
      item: `S3 ${what} requests (run store)`,
      quantity: n / 1000,
      unit: 'thousand requests',
      unitUsd,
      usd: (n / 1000) * unitUsd,
    });
  }
  const runnersUsd = sum(lines.filter((l) => l.component === 'runners').map((l) => l.usd));
  const cloudwatch = sum(lines.filter((l) => l.component === 'cloudwatch').map((l) => l.usd));
  const s3Usd = sum(lines.filter((l) => l.component === 's3').map((l) => l.usd));
  return {
    total: runnersUsd + cloudwatch + s3Usd,
    runners: runnersUsd,
    cloudwatch,
    s3: s3Usd,
    runnerSecondsByType,
    lines,
  };
}

function stackFor(
  inputs: CostInputs,
  mapping: LocalMapping | undefined,
  assume: (line: string) => void,
): StackCostConfig {
  if (mapping) {
    if (inputs.stack) assume('a local run takes its stack sizes from the local mapping: inputs.stack was not used');
    return checkStack({ region: mapping.region, ...mapping.stack }, 'local mapping');
  }
  if (!inputs.stack) {
    throw new InputError(
      'cost inputs: stack: an AWS run needs the stack configuration (region, Aurora, cache, EFS, NAT, ALB sizes) — pass CostInputs.stack',
    );
  }
  return checkStack(inputs.stack, 'cost inputs stack');
}

function checkStack(stack: StackCostConfig, label: string): StackCostConfig {
  const r = StackCostConfigSchema.safeParse(stack);
  if (!r.success)
    throw new InputError(formatIssues(label, fromZodIssues(r.error.issues, 'reports/cost/cost-types.ts')));
  return r.data;
}

function checkCounts(inputs: CostInputs): void {
  const fields = [
    'requests',
    'responseBytes',
    'completedOrders',
    'dbIoRequests',
    'efsReadBytes',
    'efsWriteBytes',
    'natBytes',
    'interAzBytes',
    'cloudWatchMetricsRequested',
  ] as const;
  for (const f of fields) {
    const v = inputs[f];
    if (v === undefined && f !== 'requests' && f !== 'responseBytes') continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new InputError(`cost inputs: ${f}: must be a number ≥ 0 (got ${String(v)}) — take it from the run record`);
    }
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
