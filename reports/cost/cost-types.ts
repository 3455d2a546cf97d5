// What the cost model takes beyond telemetry (the stack's shape, totals from the run record) and
// what it gives back. The stack configuration is a zod schema: it may come from a file or flags.

import { z } from 'zod';
import type { PriceUsed } from '../price-book/price-lookup.ts';

/** The parts of the stack whose size telemetry does not report. */
export const StackShapeSchema = z.strictObject({
  aurora: z.strictObject({
    instanceClass: z.string().min(1),
    /** Writer plus readers; each is billed. */
    instances: z.number().int().nonnegative(),
    storage: z.enum(['standard', 'io-optimized']),
    storageGb: z.number().nonnegative(),
  }),
  cache: z.strictObject({
    engine: z.enum(['redis', 'valkey']),
    nodeType: z.string().min(1),
    nodes: z.number().int().nonnegative(),
  }),
  efs: z.strictObject({ storageGb: z.number().nonnegative() }),
  nat: z.strictObject({ gateways: z.number().int().nonnegative() }),
  alb: z.strictObject({
    count: z.number().int().nonnegative(),
    /** Listener rules evaluated per request; AWS bills those past the first 10. */
    rulesPerRequest: z.number().nonnegative(),
  }),
});
export const StackCostConfigSchema = StackShapeSchema.extend({ region: z.string().min(1) });

export type StackShape = z.infer<typeof StackShapeSchema>;
export type StackCostConfig = z.infer<typeof StackCostConfigSchema>;

/** Which AWS pieces a local run stands for. Every figure of a local run is modelled with it. */
export interface LocalMapping {
  region: string;
  /** One local nginx + php-fpm pair (a CPU-capped cgroup) stands for one of these. */
  appInstanceType: string;
  /** One local k6 agent stands for one runner of this type. */
  runnerInstanceType: string;
  stack: StackShape;
}

/**
 * The default: an app instance is a 2-vCPU Graviton compute instance, MariaDB one Aurora MySQL
 * db.r7g.large writer on Standard storage, redis-server one small ElastiCache node, the shared
 * directory a small EFS file system, one NAT gateway, one ALB forwarding on a single rule.
 */
export const DEFAULT_LOCAL_MAPPING: LocalMapping = deepFreeze({
  region: 'us-east-1',
  appInstanceType: 'c7g.large',
  runnerInstanceType: 'c7g.xlarge',
  stack: {
    aurora: { instanceClass: 'db.r7g.large', instances: 1, storage: 'standard', storageGb: 20 },
    cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 1 },
    efs: { storageGb: 5 },
    nat: { gateways: 1 },
    alb: { count: 1, rulesPerRequest: 1 },
  },
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

export interface MachineLife {
  id: string;
  type: string;
  launchedAt: number;
  terminatedAt?: number;
}

/** Usage that telemetry v1 does not carry: each is counted as 0 when absent, and said so. */
export interface ExtraUsage {
  /** Aurora storage I/O requests in the window (CloudWatch VolumeReadIOPs + VolumeWriteIOPs). */
  dbIoRequests?: number;
  efsReadBytes?: number;
  efsWriteBytes?: number;
  /** Bytes processed by the NAT gateways (both directions). */
  natBytes?: number;
  /** Bytes that crossed Availability Zones (each is billed out of one AZ and into the other). */
  interAzBytes?: number;
}

export interface CostInputs extends ExtraUsage {
  /** Default: the telemetry's window. Unix seconds. */
  window?: { from: number; to: number };
  /** Requests in the window, from the run record. */
  requests: number;
  /** Bytes sent to clients (k6 data_received): priced as internet transfer out. */
  responseBytes: number;
  /** Default: telemetry.orders.persisted. */
  completedOrders?: number;
  /** Required for an AWS run; a local run takes the stack from its mapping. */
  stack?: StackCostConfig;
  /** A local run's mapping; default DEFAULT_LOCAL_MAPPING. */
  localMapping?: LocalMapping;
  /** The k6 runner fleet's machines: "the price of the rehearsal", kept apart from the store. */
  runners?: MachineLife[];
  /** Metrics the telemetry collector requested with GetMetricData (the rehearsal's own cost). */
  cloudWatchMetricsRequested?: number;
  /** The runner fleet's S3 requests to the run's store: tier 1 (PUT, LIST), tier 2 (GET). */
  s3Requests?: { tier1: number; tier2: number };
}

export const COMPONENTS = ['ec2', 'alb', 'aurora', 'cache', 'efs', 'nat', 'interAz', 'transferOut'] as const;
export type Component = (typeof COMPONENTS)[number];
export type ByComponent = Record<Component, number>;

export interface CostLine {
  component: Component | 'runners' | 'cloudwatch' | 's3';
  item: string;
  quantity: number;
  unit: string;
  unitUsd: number;
  usd: number;
}

export type LcuDimension = 'newConnections' | 'activeConnections' | 'processedBytes' | 'ruleEvaluations';

export interface AlbHour {
  /** Start of the clock hour, Unix seconds. */
  hourStart: number;
  /** LCUs each dimension needs in this hour. */
  dimensions: Record<LcuDimension, number>;
  /** The highest: what is billed. */
  lcus: number;
  winner: LcuDimension;
  usd: number;
}

export interface CostReport {
  currency: 'USD';
  /** True for a local run: the figures are what the mapped AWS stack would have cost. */
  modelled: boolean;
  localMapping?: LocalMapping;
  region: string;
  window: { from: number; to: number; seconds: number };
  priceBook: { path: string; asOf: string; warnings: string[] };
  /** The store's cost in the window (runner fleet and CloudWatch calls not included). */
  total: number;
  requests: number;
  completedOrders: number | null;
  perRequest: number | null;
  perMillionRequests: number | null;
  perCompletedOrder: number | null;
  byComponent: ByComponent;
  lines: CostLine[];
  albHours: AlbHour[];
  /** One point per clock minute touching the window; sums to `total`. */
  perMinute: Array<{ t: number; usd: number; byComponent: ByComponent }>;
  /** The price of the rehearsal itself. */
  rehearsal: {
    total: number;
    runners: number;
    cloudwatch: number;
    s3: number;
    runnerSecondsByType: Record<string, number>;
    lines: CostLine[];
  };
  usage: WindowUsage;
  pricesUsed: PriceUsed[];
  /** Every gap filled and every substitution made, in words. */
  assumptions: string[];
}

/** The quantities the cost came from; divided by requests they feed the sale-day projection. */
export interface WindowUsage {
  seconds: number;
  requests: number;
  appInstanceSecondsByType: Record<string, number>;
  newConnections: number;
  /** ∫ active connections dt over the window (connection-seconds). */
  activeConnectionSeconds: number;
  processedBytes: number;
  responseBytes: number;
  dbIoRequests: number;
  efsReadBytes: number;
  efsWriteBytes: number;
  natBytes: number;
  interAzBytes: number;
}

export function zeroByComponent(): ByComponent {
  return { ec2: 0, alb: 0, aurora: 0, cache: 0, efs: 0, nat: 0, interAz: 0, transferOut: 0 };
}
