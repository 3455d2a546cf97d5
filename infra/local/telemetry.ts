// The local replica's side of `telemetry(from, to)`: the controller's samples (cumulative
// counters, one a second) and events (activities, instance lifecycles), turned into the shared
// rehearse.telemetry/v1 schema. Counters become {t: start of the second, v: count in it}
// (like a CloudWatch Sum), gauges {t, v: level}. CPU of MariaDB and Redis is % of one core.
import fs from 'node:fs';
import {
  eventSchema,
  readLines,
  reduceEvents,
  sampleSchema,
  type ControllerEvent,
  type Sample,
} from './autoscaler/records.ts';
import { cpuPercent } from './autoscaler/metric.ts';
import { timeScaleSchema } from './autoscaler/settings.ts';
import { resolveLayout, type LocalReplicaOptions } from './layout.ts';
import { telemetrySchema, type Telemetry } from '../telemetry/telemetry-schema.ts';

type Series = Array<{ t: number; v: number }>;

/** Count between two cumulative readings; a reset (restarted process) counts from zero. */
function delta(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  return b >= a ? b - a : b;
}

export function buildTelemetry(
  samples: Sample[],
  events: ControllerEvent[],
  from: number,
  to: number,
  timeScale?: Telemetry['timeScale'],
): Telemetry {
  if (!(to > from)) throw new Error(`telemetry window must end after it starts (from ${from}, to ${to})`);
  const sorted = [...samples].sort((a, b) => a.t - b.t);
  const inWindow = sorted.filter((s) => s.t >= from && s.t <= to);
  const gauge = (get: (s: Sample) => number | undefined): Series =>
    inWindow.flatMap((s) => {
      const v = get(s);
      return v === undefined ? [] : [{ t: Math.round(s.t), v }];
    });
  // Pairs of consecutive samples whose interval lies in the window.
  const pairs: Array<[Sample, Sample]> = [];
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k - 1]!.t >= from && sorted[k]!.t <= to) pairs.push([sorted[k - 1]!, sorted[k]!]);
  }
  const counter = (
    get: (s: Sample) => number | undefined,
    scale: (count: number, a: Sample, b: Sample) => number = (c) => c,
  ): Series =>
    pairs.flatMap(([a, b]) => {
      const d = delta(get(a), get(b));
      return d === undefined ? [] : [{ t: Math.round(a.t), v: scale(d, a, b) }];
    });
  const percentOfCore = (ticks: number, a: Sample, b: Sample) => (ticks / (b.clockTicks ?? 100) / (b.t - a.t)) * 100;

  const perInstance: Record<string, Series> = {};
  for (const [a, b] of pairs) {
    const before = new Map(a.instances.map((i) => [i.id, i]));
    for (const i of b.instances) {
      const v = cpuPercent(before.get(i.id), i, b.t - a.t);
      if (v !== undefined) (perInstance[i.id] ??= []).push({ t: Math.round(a.t), v });
    }
  }

  const { activities, instances } = reduceEvents(events);
  const withOrders = sorted.filter((s) => s.orders !== undefined && s.t <= to);
  let orders: Telemetry['orders'];
  if (withOrders.length > 0) {
    const last = withOrders[withOrders.length - 1]!;
    const base = [...withOrders].reverse().find((s) => s.t <= from) ?? withOrders[0]!;
    // The table's rows at the end of the window minus those already there at its start.
    if (last.t >= from) orders = { persisted: Math.max(0, last.orders! - base.orders!), countedAt: Math.round(last.t) };
  }

  return telemetrySchema.parse({
    schema: 'rehearse.telemetry/v1',
    source: 'local',
    window: { from, to },
    capacity: {
      desired: gauge((s) => s.desired),
      pending: gauge((s) => s.pending),
      inService: gauge((s) => s.inService),
    },
    instances: instances
      .filter((i) => i.launchedAt <= to && (i.terminatedAt ?? Infinity) >= from)
      .sort((a, b) => a.launchedAt - b.launchedAt || a.id.localeCompare(b.id)),
    activities: activities
      .filter((a) => a.start <= to && (a.end ?? to) >= from)
      .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id)),
    cpu: {
      perInstance,
      db: counter((s) => s.db.cpuTicks, percentOfCore),
      cache: counter((s) => s.cache.cpuTicks, percentOfCore),
    },
    connections: { db: gauge((s) => s.db.connections), cache: gauge((s) => s.cache.connections) },
    balancer: {
      requests: counter((s) => s.balancer?.requests),
      newConnections: counter((s) => s.balancer?.connections),
      activeConnections: gauge((s) => s.balancer?.active),
      processedBytes: counter((s) => s.balancer?.bytes),
      http5xx: counter((s) => s.balancer?.http5xx),
    },
    cache: { evictions: counter((s) => s.cache.evictions) },
    ...(orders ? { orders } : {}),
    ...(timeScale ? { timeScale } : {}),
  });
}

/** Telemetry of the replica in `opts.stateDir` for [from, to] (unix seconds). */
export async function telemetry(from: number, to: number, opts: LocalReplicaOptions = {}): Promise<Telemetry> {
  const layout = resolveLayout(opts);
  if (!fs.existsSync(layout.controller.samples)) {
    throw new Error(
      `${layout.controller.samples}: no telemetry samples; the replica's controller writes them while the replica is up (up() starts it)`,
    );
  }
  return buildTelemetry(
    readLines(layout.controller.samples, sampleSchema),
    readLines(layout.controller.events, eventSchema),
    from,
    to,
    recordedTimeScale(layout.controller.config),
  );
}

/** The time scale the controller runs on, from its config (written by up()); none without autoscaling. */
export function recordedTimeScale(configFile: string): Telemetry['timeScale'] {
  let config: { autoscaling?: { timeScale?: unknown } | null };
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as typeof config;
  } catch {
    return undefined;
  }
  const r = timeScaleSchema.safeParse(config.autoscaling?.timeScale);
  return r.success ? r.data : undefined;
}
