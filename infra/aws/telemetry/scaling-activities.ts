// DescribeScalingActivities → the telemetry's activities and instance lifecycles. Pure.
// Auto Scaling describes what an activity did in prose: "Launching a new EC2 instance: i-…" and
// "Terminating EC2 instance: i-…" are the two forms that change capacity.
import type { Activity, TelemetryInstance } from '../../telemetry/telemetry-schema.ts';

/** The fields of an Auto Scaling `Activity` this module reads (the SDK's type fits). */
export interface ScalingActivityLike {
  ActivityId?: string;
  Description?: string;
  Cause?: string;
  StatusCode?: string;
  StartTime?: Date;
  EndTime?: Date;
}

const LAUNCH = /^Launching a new EC2 instance/;
const TERMINATE = /^Terminating EC2 instance/;

export function activityDelta(description: string): number {
  return LAUNCH.test(description) ? 1 : TERMINATE.test(description) ? -1 : 0;
}

export function instanceIdOf(description: string): string | undefined {
  return /\b(i-[0-9a-f]{8,17})\b/.exec(description)?.[1];
}

/** AWS has more status codes than the schema; everything not final is still "InProgress". */
export function mapStatus(code: string | undefined): Activity['status'] {
  switch (code) {
    case 'Successful':
    case 'Failed':
    case 'Cancelled':
    case 'WaitingForInstanceWarmup':
      return code;
    default:
      return 'InProgress';
  }
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export function toActivity(a: ScalingActivityLike): Activity {
  const description = a.Description ?? '';
  if (!a.StartTime) throw new Error(`scaling activity ${a.ActivityId ?? '?'} has no StartTime`);
  return {
    id: a.ActivityId ?? `${unix(a.StartTime)}-${description}`,
    start: unix(a.StartTime),
    ...(a.EndTime ? { end: unix(a.EndTime) } : {}),
    cause: a.Cause ?? '',
    status: mapStatus(a.StatusCode),
    description,
    delta: activityDelta(description),
  };
}

/** Activities overlapping [from, to], oldest first. */
export function activitiesInWindow(all: ScalingActivityLike[], from: number, to: number): Activity[] {
  return all
    .map(toActivity)
    .filter((a) => a.start <= to && (a.end ?? to) >= from)
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

/**
 * Each instance's launch, in-service and termination times, from launch and terminate
 * activities. A launch activity ends when the instance enters service, which is the closest
 * Auto Scaling comes to "the balancer counted it healthy". An instance whose launch is older
 * than the activity history starts at `launchedBefore` (the window start).
 */
export function lifecyclesFromActivities(
  all: ScalingActivityLike[],
  instanceType: string,
  launchedBefore: number,
): TelemetryInstance[] {
  const byId = new Map<string, TelemetryInstance>();
  const ordered = [...all].filter((a) => a.StartTime).sort((a, b) => a.StartTime!.getTime() - b.StartTime!.getTime());
  for (const a of ordered) {
    const id = instanceIdOf(a.Description ?? '');
    if (!id) continue;
    const delta = activityDelta(a.Description ?? '');
    const entry = byId.get(id) ?? { id, type: instanceType, launchedAt: Math.min(launchedBefore, unix(a.StartTime!)) };
    if (delta > 0) {
      if (a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled') continue;
      entry.launchedAt = unix(a.StartTime!);
      if (a.StatusCode === 'Successful' && a.EndTime) entry.inServiceAt = unix(a.EndTime);
    } else if (delta < 0) {
      entry.terminatedAt = unix(a.EndTime ?? a.StartTime!);
    } else {
      continue;
    }
    byId.set(id, entry);
  }
  return [...byId.values()];
}
