// The cost of the stack serving a steady request rate for some hours: the shared arithmetic of the
// sale-day projection and the pre-run estimate. Usage scales from a measured run's usage per
// request (perRequestUsage); ALB LCUs are the highest dimension at that steady rate.

import type { RegionPriceLookup } from '../price-book/price-lookup.ts';
import { billableRuleEvaluations, lcusForHour, type HourLcus } from './alb-lcu.ts';
import {
  zeroByComponent,
  type ByComponent,
  type CostLine,
  type StackCostConfig,
  type WindowUsage,
} from './cost-types.ts';

/** What one request brings with it, from a measured run (or a stated guess). */
export interface UsagePerRequest {
  responseBytes: number;
  /** Bytes through the ALB, both directions. */
  processedBytes: number;
  newConnections: number;
  /** Connection-seconds: × requests per second = mean active connections. */
  connectionSeconds: number;
  dbIo: number;
  efsReadBytes: number;
  efsWriteBytes: number;
  natBytes: number;
  /** Absent in stated guesses (the pre-run estimate): 0. */
  interAzBytes?: number;
}

export function perRequestUsage(u: WindowUsage): UsagePerRequest {
  if (!(u.requests > 0))
    throw new Error('perRequestUsage: the run has no requests — usage per request needs a run that served some');
  const per = (x: number) => x / u.requests;
  return {
    responseBytes: per(u.responseBytes),
    processedBytes: per(u.processedBytes),
    newConnections: per(u.newConnections),
    connectionSeconds: per(u.activeConnectionSeconds),
    dbIo: per(u.dbIoRequests),
    efsReadBytes: per(u.efsReadBytes),
    efsWriteBytes: per(u.efsWriteBytes),
    natBytes: per(u.natBytes),
    interAzBytes: per(u.interAzBytes ?? 0),
  };
}

export interface SteadyRun {
  /** How long the stack exists (ALB, Aurora, cache, EFS, NAT are paid for all of it). */
  stackHours: number;
  /** App instances and how long each runs. */
  app: { type: string; count: number; hours: number };
  /** Requests served, evenly over `loadHours`. */
  requests: number;
  loadHours: number;
}

export interface SteadyRunCost {
  byComponent: ByComponent;
  total: number;
  lines: CostLine[];
  /** LCUs in each hour of load, and which dimension sets them. */
  alb: HourLcus;
}

const HOUR = 3600;

export function steadyRunCost(
  run: SteadyRun,
  stack: StackCostConfig,
  per: UsagePerRequest,
  prices: RegionPriceLookup,
): SteadyRunCost {
  const { bytesPerGb, hoursPerMonth } = prices.units;
  const lines: CostLine[] = [];
  const add = (component: CostLine['component'], item: string, quantity: number, unit: string, unitUsd: number) => {
    if (quantity > 0) lines.push({ component, item, quantity, unit, unitUsd, usd: quantity * unitUsd });
  };
  const H = run.stackHours;
  add(
    'ec2',
    `${run.app.type} app instances × ${run.app.count}`,
    run.app.count * run.app.hours,
    'instance-hours',
    prices.ec2(run.app.type, 'app instance type'),
  );

  const rps = run.loadHours > 0 ? run.requests / (run.loadHours * HOUR) : 0;
  const alb = lcusForHour(
    {
      newConnections: rps * HOUR * per.newConnections,
      activeConnectionSeconds: rps * per.connectionSeconds * HOUR,
      processedBytes: rps * HOUR * per.processedBytes,
      ruleEvaluations: billableRuleEvaluations(rps * HOUR, stack.alb.rulesPerRequest, prices.albLcu),
    },
    prices.albLcu,
    bytesPerGb,
  );
  if (stack.alb.count > 0) {
    add('alb', `load balancer hours × ${stack.alb.count}`, stack.alb.count * H, 'ALB-hours', prices.albHour());
    add('alb', `capacity units (${alb.winner})`, alb.lcus * run.loadHours, 'LCU-hours', prices.lcuHour());
  }
  const { aurora, cache, efs, nat } = stack;
  if (aurora.instances > 0) {
    add(
      'aurora',
      `${aurora.instanceClass} (${aurora.storage}) × ${aurora.instances}`,
      aurora.instances * H,
      'instance-hours',
      prices.auroraInstanceHour(aurora.instanceClass, aurora.storage),
    );
  }
  add(
    'aurora',
    `storage ${aurora.storageGb} GB`,
    (aurora.storageGb * H) / hoursPerMonth,
    'GB-months',
    prices.auroraStorageGbMonth(aurora.storage),
  );
  if (aurora.storage === 'standard')
    add(
      'aurora',
      'storage I/O requests',
      (run.requests * per.dbIo) / 1e6,
      'million I/O requests',
      prices.auroraIoPerMillion('standard'),
    );
  if (cache.nodes > 0)
    add(
      'cache',
      `${cache.nodeType} (${cache.engine}) × ${cache.nodes}`,
      cache.nodes * H,
      'node-hours',
      prices.cacheNodeHour(cache.engine, cache.nodeType),
    );
  add(
    'efs',
    `storage ${efs.storageGb} GB`,
    (efs.storageGb * H) / hoursPerMonth,
    'GB-months',
    prices.efsStorageGbMonth(),
  );
  add('efs', 'elastic throughput, reads', (run.requests * per.efsReadBytes) / bytesPerGb, 'GB', prices.efsReadGb());
  add('efs', 'elastic throughput, writes', (run.requests * per.efsWriteBytes) / bytesPerGb, 'GB', prices.efsWriteGb());
  if (nat.gateways > 0) {
    add('nat', `NAT gateway hours × ${nat.gateways}`, nat.gateways * H, 'gateway-hours', prices.natHour());
    add('nat', 'data processed', (run.requests * per.natBytes) / bytesPerGb, 'GB', prices.natGb());
  }
  const interAzGb = prices.interAzGb();
  if (interAzGb !== null)
    add(
      'interAz',
      'bytes between AZs (out and in)',
      (2 * run.requests * (per.interAzBytes ?? 0)) / bytesPerGb,
      'GB',
      interAzGb,
    );
  add(
    'transferOut',
    'response bytes to the internet',
    (run.requests * per.responseBytes) / bytesPerGb,
    'GB',
    prices.transferOutGb(),
  );

  const byComponent = zeroByComponent();
  for (const l of lines) byComponent[l.component as keyof ByComponent] += l.usd;
  return { byComponent, total: lines.reduce((s, l) => s + l.usd, 0), lines, alb };
}

export function addByComponent(into: ByComponent, more: ByComponent): ByComponent {
  for (const k of Object.keys(into) as Array<keyof ByComponent>) into[k] += more[k];
  return into;
}
