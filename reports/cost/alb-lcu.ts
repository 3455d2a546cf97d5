// ALB capacity units, as AWS bills them: in each hour, the LCUs each of the four dimensions
// needs, and the highest of them is what is charged.
//   new connections   : mean new connections per second over the hour ÷ 25
//   active connections: mean active connections (per minute) over the hour ÷ 3 000
//   processed bytes   : GB processed in the hour ÷ 1 (EC2 targets)
//   rule evaluations  : mean (rules per request − 10 free) × requests per second ÷ 1 000
// The divisors come from the price book (albLcu); usage outside the window counts as none.

import type { AlbLcuDefinition } from '../price-book/price-book-schema.ts';
import type { LcuDimension } from './cost-types.ts';

export const LCU_DIMENSIONS: readonly LcuDimension[] = [
  'newConnections',
  'activeConnections',
  'processedBytes',
  'ruleEvaluations',
];

/** What the balancer did in one clock hour. */
export interface HourUsage {
  newConnections: number;
  /** ∫ active connections dt over the hour, connection-seconds. */
  activeConnectionSeconds: number;
  processedBytes: number;
  /** Billable rule evaluations (the free rules already taken off). */
  ruleEvaluations: number;
}

export interface HourLcus {
  dimensions: Record<LcuDimension, number>;
  lcus: number;
  winner: LcuDimension;
}

const HOUR = 3600;

export function lcusForHour(u: HourUsage, def: AlbLcuDefinition, bytesPerGb: number): HourLcus {
  const dimensions: Record<LcuDimension, number> = {
    newConnections: u.newConnections / HOUR / def.newConnectionsPerSecond,
    activeConnections: u.activeConnectionSeconds / HOUR / def.activeConnectionsPerMinute,
    processedBytes: u.processedBytes / bytesPerGb / def.processedGbPerHour,
    ruleEvaluations: u.ruleEvaluations / HOUR / def.ruleEvaluationsPerSecond,
  };
  let winner: LcuDimension = 'newConnections';
  for (const d of LCU_DIMENSIONS) if (dimensions[d] > dimensions[winner]) winner = d;
  return { dimensions, lcus: dimensions[winner], winner };
}

/** Rule evaluations AWS bills for `requests`: each request's rules past the free ones. */
export function billableRuleEvaluations(requests: number, rulesPerRequest: number, def: AlbLcuDefinition): number {
  return requests * Math.max(0, rulesPerRequest - def.freeRulesPerRequest);
}
