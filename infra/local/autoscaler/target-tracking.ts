// EC2 Auto Scaling target tracking as AWS documents it, as pure functions of a clock and a group.
// - AlarmHigh: metric > target for `highPeriods` consecutive periods; AlarmLow: metric <
//   target × lowThresholdFactor for `lowPeriods` (AWS: 3 and 15 one-minute datapoints).
// - The metric averages in-service, healthy instances past their warm-up; pending ones do not count.
// - Scale-out: desired = ceil(inService × metric / target), but pending instances already count
//   as capacity (a repeated breach asking for the same capacity launches nothing more).
// - Scale-in: only with no instance pending or warming, at most `scaleInStep` at a time, and the
//   low streak starts over after each step (gentle, as AWS is).
// - Desired is clamped to [min, max]; an in-service instance failing the balancer's health check
//   is terminated and replaced without changing desired.
import type { AutoscalingSettings } from './settings.ts';

export type InstanceState = 'pending' | 'inService' | 'draining' | 'terminated';

export interface TrackedInstance {
  id: string;
  state: InstanceState;
  launchedAt: number;
  inServiceAt?: number;
  /** false once the balancer's health check marks it down. */
  healthy: boolean;
}

export interface TrackerState {
  desired: number;
  highStreak: number;
  lowStreak: number;
}

export type Alarm = 'AlarmHigh' | 'AlarmLow';

export type Action =
  | { type: 'launch'; count: number; cause: string }
  | { type: 'terminate'; ids: string[]; cause: string; reason: 'capacity' | 'unhealthy' };

export interface PeriodResult {
  state: TrackerState;
  /** The period's metric over counted instances; undefined when none counted (insufficient data). */
  metric?: number;
  counted: string[];
  alarm?: Alarm;
  /** Set when this period's alarm changed desired capacity. */
  change?: { from: number; to: number; cause: string };
}

export type Policy = Pick<AutoscalingSettings, 'policyName' | 'target' | 'min' | 'max' | 'highPeriods' | 'lowPeriods' | 'lowThresholdFactor' | 'scaleInStep' | 'warmupS'>;

export function isoSeconds(t: number): string {
  return new Date(Math.floor(t) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function alarmName(group: string, alarm: Alarm): string {
  return `TargetTracking-${group}-${alarm}`;
}

export function clamp(p: Policy, n: number): number {
  return Math.min(p.max, Math.max(p.min, n));
}

const active = (i: TrackedInstance) => i.state === 'pending' || i.state === 'inService';

/** Instances whose metric counts now: in service, healthy, warm-up over. */
export function countedInstances(p: Policy, now: number, instances: TrackedInstance[]): TrackedInstance[] {
  return instances.filter((i) => i.state === 'inService' && i.healthy && i.inServiceAt !== undefined && i.inServiceAt + p.warmupS <= now);
}

/** One evaluation period: alarm streaks, and the desired capacity they lead to. */
export function evaluatePeriod(
  p: Policy,
  group: string,
  state: TrackerState,
  now: number,
  instances: TrackedInstance[],
  metricById: Record<string, number>,
): PeriodResult {
  const counted = countedInstances(p, now, instances).filter((i) => Number.isFinite(metricById[i.id]));
  if (counted.length === 0) return { state: { ...state, highStreak: 0, lowStreak: 0 }, counted: [] };
  const metric = counted.reduce((s, i) => s + metricById[i.id]!, 0) / counted.length;
  const next: TrackerState = {
    desired: state.desired,
    highStreak: metric > p.target ? state.highStreak + 1 : 0,
    lowStreak: metric < p.target * p.lowThresholdFactor ? state.lowStreak + 1 : 0,
  };
  const ids = counted.map((i) => i.id);
  const proportional = Math.ceil((counted.length * metric) / p.target - 1e-9);
  const why = (alarm: Alarm, to: number) =>
    `At ${isoSeconds(now)} a monitor alarm ${alarmName(group, alarm)} in state ALARM triggered policy ${p.policyName} ` +
    `changing the desired capacity from ${state.desired} to ${to}.`;

  if (next.highStreak >= p.highPeriods) {
    const to = clamp(p, Math.max(state.desired, proportional));
    if (to > state.desired) {
      return { state: { ...next, desired: to }, metric, counted: ids, alarm: 'AlarmHigh', change: { from: state.desired, to, cause: why('AlarmHigh', to) } };
    }
    return { state: next, metric, counted: ids, alarm: 'AlarmHigh' };
  }
  if (next.lowStreak >= p.lowPeriods) {
    // Warm-up protects availability: no scale-in while an instance is pending or warming up.
    const warming = instances.some((i) => i.state === 'pending' || (i.state === 'inService' && (i.inServiceAt ?? now) + p.warmupS > now));
    const to = clamp(p, Math.max(state.desired - p.scaleInStep, proportional));
    if (!warming && to < state.desired) {
      return { state: { ...next, desired: to, lowStreak: 0 }, metric, counted: ids, alarm: 'AlarmLow', change: { from: state.desired, to, cause: why('AlarmLow', to) } };
    }
    return { state: next, metric, counted: ids, alarm: 'AlarmLow' };
  }
  return { state: next, metric, counted: ids };
}

/** In-service instances the balancer marks down: take them out of service (desired unchanged). */
export function unhealthyActions(now: number, instances: TrackedInstance[]): Action[] {
  const bad = instances.filter((i) => i.state === 'inService' && !i.healthy);
  if (bad.length === 0) return [];
  return [{
    type: 'terminate',
    ids: bad.map((i) => i.id),
    reason: 'unhealthy',
    cause: `At ${isoSeconds(now)} an instance was taken out of service in response to an ELB system health check failure.`,
  }];
}

/**
 * Launches or terminations that bring actual capacity (pending + in service) to desired.
 * `prefix` is the cause of the change (an alarm), when there was one; `replacing` says the
 * shortfall comes from unhealthy instances taken out.
 */
export function reconcile(
  p: Policy,
  desired: number,
  now: number,
  instances: TrackedInstance[],
  prefix = '',
  replacing = false,
): Action[] {
  const d = clamp(p, desired);
  const live = instances.filter(active);
  const actual = live.length;
  const lead = prefix ? `${prefix}  ` : '';
  if (actual < d) {
    const how = replacing
      ? `an instance was started in response to an unhealthy instance (failed ELB health check) needing to be replaced, increasing the capacity from ${actual} to ${d}.`
      : `an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${actual} to ${d}.`;
    return [{ type: 'launch', count: d - actual, cause: `${lead}At ${isoSeconds(now)} ${how}` }];
  }
  if (actual > d) {
    // Pending ones first (they serve nothing yet), then the newest in service.
    const victims = [...live]
      .sort((a, b) => Number(a.state === 'inService') - Number(b.state === 'inService') || b.launchedAt - a.launchedAt || b.id.localeCompare(a.id))
      .slice(0, actual - d);
    const selected = victims.map((v) => `At ${isoSeconds(now)} instance ${v.id} was selected for termination.`).join('  ');
    return [{
      type: 'terminate',
      ids: victims.map((v) => v.id),
      reason: 'capacity',
      cause: `${lead}At ${isoSeconds(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${actual} to ${d}.  ${selected}`,
    }];
  }
  return [];
}
