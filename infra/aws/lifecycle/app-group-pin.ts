// What pinning the app Auto Scaling group at n instances sets, what restoring it puts back, and
// when the pinned group has arrived. Pure: pin-app-group.ts makes the calls.

/**
 * The processes that would move a pinned group: target tracking (alarms), scheduled actions, and
 * AZ rebalancing (it launches before it terminates, so n + 1 serve for a while). Launch,
 * Terminate, HealthCheck, ReplaceUnhealthy and AddToLoadBalancer stay on: the pin needs them.
 */
export const HELD_PROCESSES = ['AlarmNotification', 'ScheduledActions', 'AZRebalance'] as const;

/** The fields of an Auto Scaling group this module reads (the SDK's AutoScalingGroup fits). */
export interface GroupLike {
  AutoScalingGroupName?: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  SuspendedProcesses?: Array<{ ProcessName?: string }>;
  Instances?: Array<{ InstanceId?: string; LifecycleState?: string; HealthStatus?: string }>;
}

/** The group as it was before the pin: what restoring puts back. */
export interface GroupSnapshot {
  name: string;
  region: string;
  min: number;
  max: number;
  desired: number;
  /** Processes already suspended before the pin (someone else's: left suspended). */
  suspended: string[];
}

export function snapshotOf(group: GroupLike, region: string): GroupSnapshot {
  const { AutoScalingGroupName: name, MinSize: min, MaxSize: max, DesiredCapacity: desired } = group;
  if (!name || min === undefined || max === undefined || desired === undefined)
    throw new Error(`Auto Scaling answered a group without name or sizes: ${JSON.stringify(group)}`);
  const suspended = (group.SuspendedProcesses ?? []).map((p) => p.ProcessName).filter((p): p is string => !!p);
  return { name, region, min, max, desired, suspended };
}

/** The held processes that were running before: exactly these are suspended, and later resumed. */
export function processesToHold(s: GroupSnapshot): string[] {
  return HELD_PROCESSES.filter((p) => !s.suspended.includes(p));
}

/** Every held process suspended and min = max: most likely a pin a killed search never restored. */
export function looksPinned(s: GroupSnapshot): boolean {
  return s.min === s.max && processesToHold(s).length === 0;
}

export interface GroupSizes {
  AutoScalingGroupName: string;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
}

export function pinnedSizes(name: string, n: number): GroupSizes {
  if (!Number.isInteger(n) || n < 1) throw new Error(`cannot pin a group at ${n} instances`);
  return { AutoScalingGroupName: name, MinSize: n, MaxSize: n, DesiredCapacity: n };
}

export function restoredSizes(s: GroupSnapshot): GroupSizes {
  return { AutoScalingGroupName: s.name, MinSize: s.min, MaxSize: s.max, DesiredCapacity: s.desired };
}

/** The aws CLI commands that undo the pin by hand (sizes first, then the processes: as restore does). */
export function handRestoreCommands(s: GroupSnapshot): string[] {
  const group = `--region ${s.region} --auto-scaling-group-name ${s.name}`;
  const resume = processesToHold(s);
  return [
    `aws autoscaling update-auto-scaling-group ${group} --min-size ${s.min} --max-size ${s.max} --desired-capacity ${s.desired}`,
    ...(resume.length ? [`aws autoscaling resume-processes ${group} --scaling-processes ${resume.join(' ')}`] : []),
  ];
}

export interface GroupProgress {
  /** Exactly n instances InService and Healthy, none still starting. */
  arrived: boolean;
  inService: number;
  starting: number;
  leaving: number;
  /** "2/4 InService, 2 starting": for progress lines and errors. */
  line: string;
  /** Set when someone else moved the group's sizes off the pin: the measurement would not be at n. */
  movedBy?: string;
}

/**
 * Where the group is on its way to n. Leaving instances (Terminating…) are deregistered from the
 * balancer first, so they take no new requests and do not hold up arrival.
 */
export function groupProgress(group: GroupLike, n: number): GroupProgress {
  const instances = group.Instances ?? [];
  const inService = instances.filter((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy').length;
  const starting = instances.filter((i) => i.LifecycleState?.startsWith('Pending')).length;
  const leaving = instances.filter(
    (i) => i.LifecycleState?.startsWith('Terminating') || i.LifecycleState?.startsWith('Detaching'),
  ).length;
  const line =
    `${inService}/${n} InService` +
    (starting ? `, ${starting} starting` : '') +
    (leaving ? `, ${leaving} leaving` : '');
  const sizes = [group.MinSize, group.MaxSize, group.DesiredCapacity];
  const movedBy = sizes.every((s) => s === n)
    ? undefined
    : `min/max/desired are ${sizes.join('/')}, not the pinned ${n}/${n}/${n}: something else changed the group (a terraform apply, another rehearse, the console)`;
  return { arrived: inService === n && starting === 0 && !movedBy, inService, starting, leaving, line, movedBy };
}
