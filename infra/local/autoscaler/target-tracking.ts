// EC2 Auto Scaling target tracking as AWS documents it, as pure functions of a clock and a group
// (no I/O: the controller and the replay harness both drive these). CONFORMANCE.md maps each rule
// to AWS's page and to the test that shows it.
// - Each policy has AlarmHigh (metric > target for `highPeriods` datapoints) and AlarmLow (metric <
//   target × lowThresholdFactor for `lowPeriods`). While an alarm stays in ALARM its action is
//   invoked again every period: scale-in goes on one step per period, not one per `lowPeriods`.
// - The metric averages in-service, healthy instances past their warm-up.
// - Scale-out: desired = ceil(counted × metric / target); pending and warming instances already
//   count as capacity. Several policies: out if any asks (the largest wins), in only if all agree.
// - Scale-in: never while an instance is pending or warming, at most `scaleInStep` per invocation,
//   never below what the metric needs; protected instances are not selected.
// - Unhealthy in-service instances are replaced at most `replaceUnhealthyPercent` of desired at a
//   time (at least one), each drained first; the replacement starts while the old one drains.
import {
  effectiveWarmupS,
  trackingPolicies,
  type AutoscalingSettings,
  type MetricKind,
  type TrackingPolicy,
} from './settings.ts';

export type InstanceState = 'pending' | 'inService' | 'draining' | 'terminated';
export type TerminateReason = 'capacity' | 'unhealthy';

export interface TrackedInstance {
  id: string;
  state: InstanceState;
  launchedAt: number;
  inServiceAt?: number;
  /** false once the balancer's health check marks it down. */
  healthy: boolean;
  /** Launched to replace an unhealthy instance (counts against the replacement rate until warm). */
  replacement?: boolean;
  /** Why it is draining (set with state 'draining'). */
  terminating?: TerminateReason;
  protectedFromScaleIn?: boolean;
}

/** What the decision core needs of the settings. */
export interface Group {
  name: string;
  policies: TrackingPolicy[];
  min: number;
  max: number;
  highPeriods: number;
  lowPeriods: number;
  lowThresholdFactor: number;
  scaleInStep: number;
  /** The warm-up in force (default instance warm-up, else default cooldown). */
  warmupS: number;
  replaceUnhealthy: boolean;
  replaceUnhealthyPercent: number;
}

export function groupOf(s: AutoscalingSettings, name: string): Group {
  return {
    name,
    policies: trackingPolicies(s),
    min: s.min,
    max: s.max,
    highPeriods: s.highPeriods,
    lowPeriods: s.lowPeriods,
    lowThresholdFactor: s.lowThresholdFactor,
    scaleInStep: s.scaleInStep,
    warmupS: effectiveWarmupS(s),
    replaceUnhealthy: s.replaceUnhealthy,
    replaceUnhealthyPercent: s.replaceUnhealthyPercent,
  };
}

export interface Streak {
  high: number;
  low: number;
}

export interface TrackerState {
  desired: number;
  /** Consecutive breaching datapoints of each policy's alarms, by policy name. */
  streaks: Record<string, Streak>;
  /** Unhealthy instances taken out whose replacement has not been launched yet. */
  replacementsOwed: number;
}

export function initialState(desired: number): TrackerState {
  return { desired, streaks: {}, replacementsOwed: 0 };
}

export type Alarm = 'AlarmHigh' | 'AlarmLow';

export type Action =
  | { type: 'launch'; count: number; cause: string; replacement: boolean }
  | { type: 'terminate'; ids: string[]; cause: string; reason: TerminateReason };

/** Per-instance values of each metric over the period that just ended. */
export type PeriodMetrics = Partial<Record<MetricKind, Record<string, number>>>;

export interface PolicyResult {
  policy: string;
  /** Average over counted instances; undefined when none counted (insufficient data). */
  metric?: number;
  counted: string[];
  /** The alarm in ALARM after this datapoint, if any. */
  alarm?: Alarm;
  /** What this policy alone would set desired to. */
  proportional?: number;
}

export interface PeriodResult {
  state: TrackerState;
  policies: PolicyResult[];
  /** Set when this period's alarms changed desired capacity. */
  change?: { from: number; to: number; alarm: Alarm; policy: string; cause: string };
  /** Why every policy agreed on scale-in and yet nothing changed. */
  held?: string;
}

export function isoSeconds(t: number): string {
  return new Date(Math.floor(t) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** AWS names them TargetTracking-<group>-AlarmHigh-<uuid>; the policy name stands in for the uuid. */
export function alarmName(group: string, alarm: Alarm, policy: string): string {
  return `TargetTracking-${group}-${alarm}-${policy}`;
}

export function clamp(g: Pick<Group, 'min' | 'max'>, n: number): number {
  return Math.min(g.max, Math.max(g.min, n));
}

const active = (i: TrackedInstance) => i.state === 'pending' || i.state === 'inService';
const warm = (g: Pick<Group, 'warmupS'>, now: number, i: TrackedInstance) =>
  i.inServiceAt !== undefined && i.inServiceAt + g.warmupS <= now;

/** Instances whose metric counts now: in service, healthy, warm-up over. */
export function countedInstances(
  g: Pick<Group, 'warmupS'>,
  now: number,
  instances: TrackedInstance[],
): TrackedInstance[] {
  return instances.filter((i) => i.state === 'inService' && i.healthy && warm(g, now, i));
}

/** True while an instance is pending or warming up: scale-in waits (AWS protects availability). */
export function warming(g: Pick<Group, 'warmupS'>, now: number, instances: TrackedInstance[]): boolean {
  return instances.some((i) => i.state === 'pending' || (i.state === 'inService' && !warm(g, now, i)));
}

/** One datapoint of one policy: its streaks and the capacity it asks for. */
function evaluatePolicy(
  g: Group,
  p: TrackingPolicy,
  streak: Streak | undefined,
  now: number,
  instances: TrackedInstance[],
  values: Record<string, number> | undefined,
): { result: PolicyResult; streak: Streak } {
  const counted = countedInstances(g, now, instances).filter((i) => Number.isFinite(values?.[i.id]));
  // No datapoint: the alarms leave ALARM (INSUFFICIENT_DATA) and start counting again.
  if (counted.length === 0) return { result: { policy: p.name, counted: [] }, streak: { high: 0, low: 0 } };
  const metric = counted.reduce((s, i) => s + values![i.id]!, 0) / counted.length;
  const next: Streak = {
    high: metric > p.target ? (streak?.high ?? 0) + 1 : 0,
    low: metric < p.target * g.lowThresholdFactor ? (streak?.low ?? 0) + 1 : 0,
  };
  const alarm: Alarm | undefined =
    next.high >= g.highPeriods ? 'AlarmHigh' : next.low >= g.lowPeriods ? 'AlarmLow' : undefined;
  // Round up: never too few instances (AWS rounds the same way).
  const proportional = Math.ceil((counted.length * metric) / p.target - 1e-9);
  return { result: { policy: p.name, metric, counted: counted.map((i) => i.id), alarm, proportional }, streak: next };
}

/** One evaluation period: every policy's alarms, and the desired capacity they lead to together. */
export function evaluatePeriod(
  g: Group,
  state: TrackerState,
  now: number,
  instances: TrackedInstance[],
  metrics: PeriodMetrics,
): PeriodResult {
  const streaks: Record<string, Streak> = {};
  const results: PolicyResult[] = [];
  for (const p of g.policies) {
    const r = evaluatePolicy(g, p, state.streaks[p.name], now, instances, metrics[p.metric]);
    streaks[p.name] = r.streak;
    results.push(r.result);
  }
  const next: TrackerState = { ...state, streaks };
  const why = (alarm: Alarm, policy: string, to: number) =>
    `At ${isoSeconds(now)} a monitor alarm ${alarmName(g.name, alarm, policy)} in state ALARM ` +
    `triggered policy ${policy} ` +
    `changing the desired capacity from ${state.desired} to ${to}.`;

  // Scale out if any policy asks: the largest capacity asked wins.
  const outs = results.filter((r) => r.alarm === 'AlarmHigh');
  if (outs.length > 0) {
    const top = outs.reduce((a, b) => (b.proportional! > a.proportional! ? b : a));
    const to = clamp(g, Math.max(state.desired, top.proportional!));
    if (to <= state.desired) return { state: next, policies: results };
    const change = {
      from: state.desired,
      to,
      alarm: 'AlarmHigh' as const,
      policy: top.policy,
      cause: why('AlarmHigh', top.policy, to),
    };
    return { state: { ...next, desired: to }, policies: results, change };
  }

  // Scale in only if every policy that may scale in is in AlarmLow.
  const voters = g.policies.filter((p) => !p.disableScaleIn).map((p) => results.find((r) => r.policy === p.name)!);
  if (voters.length === 0 || !voters.every((r) => r.alarm === 'AlarmLow')) return { state: next, policies: results };
  if (warming(g, now, instances)) {
    return { state: next, policies: results, held: 'an instance is pending or warming up' };
  }
  const needed = Math.max(...voters.map((r) => r.proportional!));
  const to = clamp(g, Math.max(state.desired - g.scaleInStep, needed));
  if (to >= state.desired) return { state: next, policies: results };
  const policy = voters[0]!.policy;
  const change = { from: state.desired, to, alarm: 'AlarmLow' as const, policy, cause: why('AlarmLow', policy, to) };
  return { state: { ...next, desired: to }, policies: results, change };
}

/**
 * Replacements under way: unhealthy ones still draining, or their replacements until warmed up
 * (a pair counts once: the replacement starts while the old one drains).
 */
export function replacementsInProgress(g: Pick<Group, 'warmupS'>, now: number, instances: TrackedInstance[]): number {
  const draining = instances.filter((i) => i.state === 'draining' && i.terminating === 'unhealthy').length;
  const starting = instances.filter(
    (i) => i.replacement === true && (i.state === 'pending' || (i.state === 'inService' && !warm(g, now, i))),
  ).length;
  return Math.max(draining, starting);
}

/**
 * In-service instances the balancer marks down, taken out of service at a bounded rate: at most
 * `replaceUnhealthyPercent` of desired (at least one) being replaced at a time, oldest first.
 */
export function unhealthyActions(g: Group, desired: number, now: number, instances: TrackedInstance[]): Action[] {
  if (!g.replaceUnhealthy) return [];
  const bad = instances
    .filter((i) => i.state === 'inService' && !i.healthy)
    .sort((a, b) => a.launchedAt - b.launchedAt || a.id.localeCompare(b.id));
  if (bad.length === 0) return [];
  const batch = Math.max(1, Math.floor((desired * g.replaceUnhealthyPercent) / 100 + 1e-9));
  const room = batch - replacementsInProgress(g, now, instances);
  if (room <= 0) return [];
  return [
    {
      type: 'terminate',
      ids: bad.slice(0, room).map((i) => i.id),
      reason: 'unhealthy',
      cause:
        `At ${isoSeconds(now)} an instance was taken out of service ` +
        'in response to an ELB system health check failure.',
    },
  ];
}

/**
 * Launches or terminations that bring actual capacity (pending + in service) to desired.
 * `prefix` is the cause of the change (an alarm), when there was one; `replacing` says the
 * shortfall comes from unhealthy instances taken out. Scale-in selects the newest unprotected
 * in-service instances; pending ones finish their launch first.
 */
export function reconcile(
  g: Pick<Group, 'min' | 'max'>,
  desired: number,
  now: number,
  instances: TrackedInstance[],
  prefix = '',
  replacing = false,
): Action[] {
  const d = clamp(g, desired);
  const live = instances.filter(active);
  const actual = live.length;
  const lead = prefix ? `${prefix}  ` : '';
  if (actual < d) {
    const how = replacing
      ? 'an instance was started in response to an unhealthy instance (failed ELB health check) ' +
        'needing to be replaced, '
      : 'an instance was started in response to a difference between desired and actual capacity, ';
    const by = `increasing the capacity from ${actual} to ${d}.`;
    return [
      { type: 'launch', count: d - actual, cause: `${lead}At ${isoSeconds(now)} ${how}${by}`, replacement: replacing },
    ];
  }
  if (actual > d) {
    const victims = live
      .filter((i) => i.state === 'inService' && !i.protectedFromScaleIn)
      .sort((a, b) => b.launchedAt - a.launchedAt || b.id.localeCompare(a.id))
      .slice(0, actual - d);
    if (victims.length === 0) return [];
    const selected = victims
      .map((v) => `At ${isoSeconds(now)} instance ${v.id} was selected for termination.`)
      .join('  ');
    return [
      {
        type: 'terminate',
        ids: victims.map((v) => v.id),
        reason: 'capacity',
        cause:
          `${lead}At ${isoSeconds(now)} an instance was taken out of service in response to a difference between ` +
          `desired and actual capacity, shrinking the capacity from ${actual} to ${actual - victims.length}.  ` +
          selected,
      },
    ];
  }
  return [];
}

export interface Decision {
  state: TrackerState;
  actions: Action[];
  /** Present when `metrics` were given (a period ended). */
  period?: PeriodResult;
}

/**
 * One tick of the group: unhealthy instances out (bounded), the period's alarms when one ended,
 * then launches/terminations to reach desired. The caller applies the actions in order (a
 * terminated instance leaves `active` at once, so the replacement launches in the same tick).
 */
export function decide(
  g: Group,
  state: TrackerState,
  now: number,
  instances: TrackedInstance[],
  metrics?: PeriodMetrics,
): Decision {
  let s = state;
  const actions: Action[] = [];
  const out = unhealthyActions(g, s.desired, now, instances);
  const view = instances.map((i) => ({ ...i }));
  for (const a of out) {
    if (a.type !== 'terminate') continue;
    s = { ...s, replacementsOwed: s.replacementsOwed + a.ids.length };
    for (const v of view) if (a.ids.includes(v.id)) Object.assign(v, { state: 'draining', terminating: 'unhealthy' });
    actions.push(a);
  }
  let prefix = '';
  let period: PeriodResult | undefined;
  if (metrics) {
    period = evaluatePeriod(g, s, now, view, metrics);
    s = period.state;
    if (period.change) prefix = period.change.cause;
  }
  const replacing = s.replacementsOwed > 0 && !prefix;
  for (const a of reconcile(g, s.desired, now, view, prefix, replacing)) {
    if (a.type === 'launch') s = { ...s, replacementsOwed: Math.max(0, s.replacementsOwed - a.count) };
    actions.push(a);
  }
  return { state: s, actions, period };
}
