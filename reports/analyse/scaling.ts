// The scaling story: each scaling activity on the load timeline, and for each SLO breach how long
// until new capacity was in service, the time the SLO stayed broken while capacity was still
// arriving, and the instance-minutes used against the fewest that would have held the SLO.

import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { instanceSeconds, inServiceAt, pendingAt } from './fleet.ts';
import { breachEpisodes, type SecondState } from './slo-seconds.ts';

export interface ScalingActivityOnTimeline {
  id: string;
  /** Seconds since the run started (negative: before the load). */
  atS: number;
  start: number;
  end: number | null;
  delta: number;
  status: string;
  cause: string;
}

export interface BreachStory {
  from: number;
  to: number;
  seconds: number;
  inServiceAtBreach: number;
  /** When the first instance that came into service after the breach began did (unix s). */
  newCapacityAt: number | null;
  /** newCapacityAt - from: breach to new capacity in service. */
  timeToCapacityS: number | null;
}

export interface ScalingStory {
  runStart: number;
  activities: ScalingActivityOnTimeline[];
  breaches: BreachStory[];
  /** Seconds the SLO was broken while at least one instance was launched but not yet in service. */
  breachedWhilePendingS: number;
  breachedWhilePendingMinutes: number;
  /** Instance-minutes (pending and in service) inside the run window. */
  instanceMinutesUsed: number;
  /** Per minute: ceil(mean requests/s ÷ rps per instance at the SLO), at least 1; null without that figure. */
  instanceMinutesNeeded: number | null;
  /** Slowest launch → in service seen, seconds; null when no instance came into service during the window. */
  slowestLaunchToServiceS: number | null;
}

export function analyseScaling(
  seconds: SecondState[],
  tel: Telemetry,
  rpsPerInstanceAtSlo: number | null,
): ScalingStory {
  const runStart = seconds[0]?.t ?? tel.window.from;
  const runEnd = seconds.length ? seconds[seconds.length - 1].t + 1 : tel.window.to;
  const activities = [...tel.activities]
    .sort((a, b) => a.start - b.start)
    .map((a) => ({
      id: a.id,
      atS: a.start - runStart,
      start: a.start,
      end: a.end ?? null,
      delta: a.delta,
      status: a.status,
      cause: a.cause,
    }));
  const breaches = breachEpisodes(seconds).map((e) => {
    const arrivals = tel.instances
      .filter((i) => i.inServiceAt !== undefined && i.inServiceAt > e.from)
      .map((i) => i.inServiceAt!);
    const newCapacityAt = arrivals.length ? Math.min(...arrivals) : null;
    return {
      from: e.from,
      to: e.to,
      seconds: e.to - e.from,
      inServiceAtBreach: inServiceAt(tel, e.from),
      newCapacityAt,
      timeToCapacityS: newCapacityAt === null ? null : newCapacityAt - e.from,
    };
  });
  const breachedWhilePendingS = seconds.filter((s) => s.breached && pendingAt(tel, s.t) > 0).length;
  let needed: number | null = null;
  if (rpsPerInstanceAtSlo && rpsPerInstanceAtSlo > 0) {
    needed = 0;
    for (let i = 0; i < seconds.length; i += 60) {
      const minute = seconds.slice(i, i + 60);
      const mean = minute.reduce((a, s) => a + s.requests, 0) / minute.length;
      needed += Math.max(1, Math.ceil(mean / rpsPerInstanceAtSlo - 1e-9)) * (minute.length / 60);
    }
  }
  const lags = tel.instances
    .filter((i) => i.inServiceAt !== undefined && i.inServiceAt >= runStart && i.inServiceAt < runEnd)
    .map((i) => i.inServiceAt! - i.launchedAt);
  return {
    runStart,
    activities,
    breaches,
    breachedWhilePendingS,
    breachedWhilePendingMinutes: breachedWhilePendingS / 60,
    instanceMinutesUsed: instanceSeconds(tel, runStart, runEnd) / 60,
    instanceMinutesNeeded: needed,
    slowestLaunchToServiceS: lags.length ? Math.max(...lags) : null,
  };
}
