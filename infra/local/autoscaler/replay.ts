// A simulated Auto Scaling group on a simulated clock, driven by the controller's own decision
// core (decide() in target-tracking.ts): launches boot for `bootS`, terminations drain for
// `drainS`, instances can be marked unhealthy at given times. Pure: the replay tests feed it a
// metric series and compare its actions and their times with timelines computed by hand from
// AWS's documented rules (replay.test.ts, CONFORMANCE.md).
import { autoscalingSchema, type AutoscalingInput, type MetricKind } from './settings.ts';
import {
  countedInstances,
  decide,
  groupOf,
  initialState,
  type PeriodMetrics,
  type TrackedInstance,
} from './target-tracking.ts';

export interface GroupView {
  /** Registered with the balancer (in service, healthy or not): they share the load. */
  inService: number;
  /** In service, healthy and past warm-up: their metric counts. */
  counted: number;
  desired: number;
}

export interface ReplayOptions {
  settings: AutoscalingInput;
  /** Instances in service (and warmed up) at t = 0. */
  instances: number;
  durationS: number;
  /** Each in-service instance's metric over the period that ends at t = k × periodS. */
  metrics: (k: number, view: GroupView) => Partial<Record<MetricKind, number>>;
  /** How long a drain takes (default: the deregistration delay, drainTimeoutS). */
  drainS?: number;
  /** Instances the health check marks down, by id (i-0, i-1, … in launch order). */
  unhealthyAt?: Array<{ t: number; id: string }>;
}

export type ReplayEvent =
  | { t: number; kind: 'desired'; from: number; to: number; alarm: string; policy: string }
  | { t: number; kind: 'launch'; id: string; replacement: boolean }
  | { t: number; kind: 'inService'; id: string }
  | { t: number; kind: 'terminate'; id: string; reason: string }
  | { t: number; kind: 'terminated'; id: string };

interface SimInstance extends TrackedInstance {
  drainStart?: number;
}

/** Runs the group second by second for `durationS` and returns what happened, in order. */
export function replay(opts: ReplayOptions): ReplayEvent[] {
  const s = autoscalingSchema.parse(opts.settings);
  const g = groupOf(s, 'replay');
  const drainS = opts.drainS ?? s.drainTimeoutS;
  const protect = s.newInstancesProtectedFromScaleIn;
  let seq = 0;
  const instances: SimInstance[] = Array.from({ length: opts.instances }, () => ({
    id: `i-${seq++}`,
    state: 'inService' as const,
    launchedAt: -3600,
    inServiceAt: -3600,
    healthy: true,
    protectedFromScaleIn: protect,
  }));
  let state = initialState(s.desired ?? opts.instances);
  const events: ReplayEvent[] = [];
  for (let t = 1; t <= opts.durationS; t++) {
    for (const i of instances) {
      if (i.state === 'pending' && i.launchedAt + s.bootS <= t) {
        Object.assign(i, { state: 'inService', inServiceAt: t });
        events.push({ t, kind: 'inService', id: i.id });
      } else if (i.state === 'draining' && i.drainStart! + drainS <= t) {
        i.state = 'terminated';
        events.push({ t, kind: 'terminated', id: i.id });
      }
    }
    for (const u of opts.unhealthyAt ?? []) {
      if (u.t === t) instances.find((i) => i.id === u.id)!.healthy = false;
    }
    let metrics: PeriodMetrics | undefined;
    if (t % s.periodS === 0) {
      const view: GroupView = {
        inService: instances.filter((i) => i.state === 'inService').length,
        counted: countedInstances(g, t, instances).length,
        desired: state.desired,
      };
      const values = opts.metrics(t / s.periodS, view);
      metrics = {};
      for (const [kind, v] of Object.entries(values) as Array<[MetricKind, number]>) {
        metrics[kind] = Object.fromEntries(instances.filter((i) => i.state === 'inService').map((i) => [i.id, v]));
      }
    }
    const d = decide(g, state, t, instances, metrics);
    state = d.state;
    if (d.period?.change) {
      const c = d.period.change;
      events.push({ t, kind: 'desired', from: c.from, to: c.to, alarm: c.alarm, policy: c.policy });
    }
    for (const a of d.actions) {
      if (a.type === 'launch') {
        for (let k = 0; k < a.count; k++) {
          const i: SimInstance = {
            id: `i-${seq++}`,
            state: 'pending',
            launchedAt: t,
            healthy: true,
            replacement: a.replacement,
            protectedFromScaleIn: protect,
          };
          instances.push(i);
          events.push({ t, kind: 'launch', id: i.id, replacement: a.replacement });
        }
      } else {
        for (const id of a.ids) {
          const i = instances.find((x) => x.id === id)!;
          Object.assign(i, { state: 'draining', terminating: a.reason, drainStart: t });
          events.push({ t, kind: 'terminate', id, reason: a.reason });
        }
      }
    }
  }
  return events;
}
