// The store's usage in a window as meters: each has a unit price and gives the quantity used in
// any interval [a, b). The total is every meter over the window; the per-minute series is every
// meter over each minute. Quantities with no time series (I/O, transfer) follow the requests.

import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { RegionPriceLookup } from '../price-book/price-lookup.ts';
import { billableRuleEvaluations, lcusForHour, type HourUsage } from './alb-lcu.ts';
import type { AlbHour, Component, CostInputs, LcuDimension, StackCostConfig, WindowUsage } from './cost-types.ts';
import { billedSecondsIn, billedSpans, secondsByType, type BilledSpan } from './instance-seconds.ts';
import { amountIn, buckets, counterIn, overlap, seriesSpans, type SeriesKind, type Span } from './series-window.ts';

export interface Meter {
  component: Component;
  item: string;
  unit: string;
  unitUsd: number;
  quantityIn(a: number, b: number): number;
}

export interface WindowMeters {
  meters: Meter[];
  albHours: AlbHour[];
  usage: WindowUsage;
}

export interface MeterContext {
  telemetry: Telemetry;
  inputs: CostInputs;
  window: { from: number; to: number };
  stack: StackCostConfig;
  prices: RegionPriceLookup;
  /** Instance type to price each telemetry instance as (a local run maps them). */
  typeOf(instanceType: string, index: number): string;
  assume(line: string): void;
}

const HOUR = 3600;

export function windowMeters(ctx: MeterContext): WindowMeters {
  const { telemetry, inputs, window, stack, prices, assume } = ctx;
  const { from, to } = window;
  const W = to - from;
  const { bytesPerGb, hoursPerMonth } = prices.units;
  const step = telemetry.source === 'aws' ? 60 : 1;
  const spansOf = (name: keyof Telemetry['balancer'], kind: SeriesKind): Span[] | undefined => {
    const s = telemetry.balancer[name];
    if (s && s.length > 0) return seriesSpans(s, kind, step);
    return undefined;
  };
  const reqSpans = spansOf('requests', 'counter');
  if (!reqSpans) assume('telemetry has no balancer.requests series: requests spread evenly over the window');
  const requestsIn = (a: number, b: number) =>
    reqSpans ? counterIn(reqSpans, a, b) : (inputs.requests * overlap(a, b, from, to)) / W;
  const windowRequests = requestsIn(from, to);
  /** Share of the window's requests in [a, b): how usage without a series is spread in time. */
  const requestShare = (a: number, b: number) =>
    windowRequests > 0 ? requestsIn(a, b) / windowRequests : overlap(a, b, from, to) / W;

  // EC2: billed instance-seconds per type.
  const machines = telemetry.instances.map((m, i) => ({ ...m, type: ctx.typeOf(m.type, i) }));
  const spans = billedSpans(machines, window, 'telemetry instances');
  const byType = new Map<string, BilledSpan[]>();
  for (const s of spans) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
  const meters: Meter[] = [];
  for (const [type, list] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const firstIndex = machines.findIndex((m) => m.type === type);
    meters.push({
      component: 'ec2',
      item: `${type} app instances`,
      unit: 'instance-hours',
      unitUsd: prices.ec2(type, `telemetry instances[${firstIndex}].type`),
      quantityIn: (a, b) => list.reduce((sum, s) => sum + billedSecondsIn(s, a, b), 0) / HOUR,
    });
  }

  // ALB: hours, and LCUs per clock hour on the highest dimension.
  const newConn = spansOf('newConnections', 'counter');
  const active = spansOf('activeConnections', 'gauge');
  const processed = spansOf('processedBytes', 'counter');
  if (!newConn) assume('telemetry has no balancer.newConnections series: that LCU dimension counted as 0');
  if (!active) assume('telemetry has no balancer.activeConnections series: that LCU dimension counted as 0');
  if (!processed)
    assume(
      'telemetry has no balancer.processedBytes series: processed bytes taken as the response bytes (a lower bound)',
    );
  const def = prices.albLcu;
  const dimensionIn = (d: LcuDimension, a: number, b: number): number => {
    switch (d) {
      case 'newConnections':
        return newConn ? amountIn(newConn, 'counter', a, b) : 0;
      case 'activeConnections':
        return active ? amountIn(active, 'gauge', a, b) : 0;
      case 'processedBytes':
        return processed ? amountIn(processed, 'counter', a, b) : inputs.responseBytes * requestShare(a, b);
      case 'ruleEvaluations':
        return billableRuleEvaluations(requestsIn(a, b), stack.alb.rulesPerRequest, def);
    }
  };
  const albHours: AlbHour[] = [];
  const hourSpans: Array<{ from: number; to: number; lcus: number; winner: LcuDimension; winnerTotal: number }> = [];
  if (stack.alb.count > 0) {
    for (const h of buckets(from, to, HOUR)) {
      const u: HourUsage = {
        newConnections: dimensionIn('newConnections', h.from, h.to),
        activeConnectionSeconds: dimensionIn('activeConnections', h.from, h.to),
        processedBytes: dimensionIn('processedBytes', h.from, h.to),
        ruleEvaluations: dimensionIn('ruleEvaluations', h.from, h.to),
      };
      const l = lcusForHour(u, def, bytesPerGb);
      albHours.push({
        hourStart: h.start,
        dimensions: l.dimensions,
        lcus: l.lcus,
        winner: l.winner,
        usd: l.lcus * prices.lcuHour(),
      });
      hourSpans.push({
        from: h.from,
        to: h.to,
        lcus: l.lcus,
        winner: l.winner,
        winnerTotal: dimensionIn(l.winner, h.from, h.to),
      });
    }
    meters.push({
      component: 'alb',
      item: `load balancer hours × ${stack.alb.count}`,
      unit: 'ALB-hours',
      unitUsd: prices.albHour(),
      quantityIn: (a, b) => (stack.alb.count * overlap(a, b, from, to)) / HOUR,
    });
    meters.push({
      component: 'alb',
      item: 'capacity units (highest dimension per hour)',
      unit: 'LCU-hours',
      unitUsd: prices.lcuHour(),
      // An hour's LCUs are spread over its minutes by how much of the winning dimension each had.
      quantityIn: (a, b) =>
        hourSpans.reduce((sum, h) => {
          if (h.lcus === 0 || overlap(a, b, h.from, h.to) === 0) return sum;
          return sum + (h.lcus * dimensionIn(h.winner, Math.max(a, h.from), Math.min(b, h.to))) / h.winnerTotal;
        }, 0),
    });
  }

  const timeShare = (a: number, b: number) => overlap(a, b, from, to);
  const { aurora, cache, efs, nat } = stack;
  if (aurora.instances > 0) {
    meters.push({
      component: 'aurora',
      item: `${aurora.instanceClass} (${aurora.storage}) × ${aurora.instances}`,
      unit: 'instance-hours',
      unitUsd: prices.auroraInstanceHour(aurora.instanceClass, aurora.storage),
      quantityIn: (a, b) => (aurora.instances * timeShare(a, b)) / HOUR,
    });
  }
  meters.push({
    component: 'aurora',
    item: `storage ${aurora.storageGb} GB (${aurora.storage})`,
    unit: 'GB-months',
    unitUsd: prices.auroraStorageGbMonth(aurora.storage),
    quantityIn: (a, b) => (aurora.storageGb * timeShare(a, b)) / (hoursPerMonth * HOUR),
  });
  const dbIo = inputs.dbIoRequests ?? 0;
  if (aurora.storage === 'standard') {
    if (inputs.dbIoRequests === undefined)
      assume('no Aurora I/O count given (telemetry v1 has none): Aurora I/O counted as 0');
    meters.push({
      component: 'aurora',
      item: 'storage I/O requests',
      unit: 'million I/O requests',
      unitUsd: prices.auroraIoPerMillion('standard'),
      quantityIn: (a, b) => (dbIo * requestShare(a, b)) / 1e6,
    });
  }
  if (cache.nodes > 0) {
    meters.push({
      component: 'cache',
      item: `${cache.nodeType} (${cache.engine}) × ${cache.nodes}`,
      unit: 'node-hours',
      unitUsd: prices.cacheNodeHour(cache.engine, cache.nodeType),
      quantityIn: (a, b) => (cache.nodes * timeShare(a, b)) / HOUR,
    });
  }
  meters.push({
    component: 'efs',
    item: `storage ${efs.storageGb} GB`,
    unit: 'GB-months',
    unitUsd: prices.efsStorageGbMonth(),
    quantityIn: (a, b) => (efs.storageGb * timeShare(a, b)) / (hoursPerMonth * HOUR),
  });
  const byteMeter = (component: Component, item: string, bytes: number, unitUsd: number): Meter => ({
    component,
    item,
    unit: 'GB',
    unitUsd,
    quantityIn: (a, b) => (bytes * requestShare(a, b)) / bytesPerGb,
  });
  if (inputs.efsReadBytes === undefined && inputs.efsWriteBytes === undefined)
    assume('no EFS bytes given: EFS elastic throughput counted as 0');
  meters.push(byteMeter('efs', 'elastic throughput, reads', inputs.efsReadBytes ?? 0, prices.efsReadGb()));
  meters.push(byteMeter('efs', 'elastic throughput, writes', inputs.efsWriteBytes ?? 0, prices.efsWriteGb()));
  if (nat.gateways > 0) {
    meters.push({
      component: 'nat',
      item: `NAT gateway hours × ${nat.gateways}`,
      unit: 'gateway-hours',
      unitUsd: prices.natHour(),
      quantityIn: (a, b) => (nat.gateways * timeShare(a, b)) / HOUR,
    });
    if (inputs.natBytes === undefined) assume('no NAT bytes given: NAT data processing counted as 0');
    meters.push(byteMeter('nat', 'data processed', inputs.natBytes ?? 0, prices.natGb()));
  }
  if (inputs.interAzBytes !== undefined && inputs.interAzBytes > 0) {
    const gb = prices.interAzGb();
    if (gb === null) assume('the price book has no interAz price: bytes between AZs priced as 0');
    // Billed out of one AZ and into the other: twice the one-way price per byte.
    else meters.push(byteMeter('interAz', 'bytes between AZs (out and in)', inputs.interAzBytes * 2, gb));
  } else if (telemetry.source === 'aws') {
    assume('no inter-AZ bytes given: data transfer between AZs counted as 0');
  }
  meters.push(byteMeter('transferOut', 'response bytes to the internet', inputs.responseBytes, prices.transferOutGb()));

  const usage: WindowUsage = {
    seconds: W,
    requests: inputs.requests,
    appInstanceSecondsByType: secondsByType(spans),
    newConnections: dimensionIn('newConnections', from, to),
    activeConnectionSeconds: dimensionIn('activeConnections', from, to),
    processedBytes: dimensionIn('processedBytes', from, to),
    responseBytes: inputs.responseBytes,
    dbIoRequests: dbIo,
    efsReadBytes: inputs.efsReadBytes ?? 0,
    efsWriteBytes: inputs.efsWriteBytes ?? 0,
    natBytes: inputs.natBytes ?? 0,
    interAzBytes: inputs.interAzBytes ?? 0,
  };
  return { meters, albHours, usage };
}
