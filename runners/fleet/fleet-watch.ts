// Which fleet runners have ended. A fleet runner is on another machine: it has ended when its
// done.json is in the store, and is declared lost when it has none by the run's deadline (start
// + the plan's length + k6's graceful stop + a grace), or soon after a stop (Ctrl-C scaled the
// fleet to 0). Segments nobody claimed by the start time stay unclaimed: agents check the start
// time before they claim. Pure.
import { k6DurationS } from '../distributed/planned-rate.ts';
import type { Plan } from '../../scenarios/plan/plan-schema.ts';

export interface WatchState {
  now: number;
  startAt: number;
  /** Runners that claimed a segment. */
  claimed: string[];
  /** Runners whose done.json is in the store, or already declared lost. */
  ended: Set<string>;
  deadline: Deadline;
  /** When the controller asked the runners to stop (Ctrl-C), ms since epoch. */
  stoppedAt?: number;
  /** How long runners get to report after a stop. */
  stopGraceMs: number;
  /** After the start, how long a claim may still land (an agent checks the time, then claims). */
  claimSlackMs: number;
}

export interface Deadline {
  at: number;
  /** "start + 120 s of load + 30 s k6 graceful stop + 120 s grace", for messages. */
  text: string;
}

/** The last moment a runner of this run may still report. */
/** After the load, how long a runner may take to report before it counts as lost. */
export const DEFAULT_GRACE_MS = 120_000;

export function runDeadline(plan: Pick<Plan, 'run' | 'k6'>, startAt: number, graceMs: number): Deadline {
  const gracefulStop = Math.max(0, ...Object.values(plan.k6.scenarios).map((s) => k6DurationS(s.gracefulStop)));
  const at = startAt + (plan.run.durationS + gracefulStop) * 1000 + graceMs;
  return {
    at,
    text: `start + ${plan.run.durationS} s of load + ${gracefulStop} s k6 graceful stop + ${Math.round(graceMs / 1000)} s grace`,
  };
}

export function judgeRunners(s: WatchState): { lost: Array<{ runner: string; reason: string }>; finished: boolean } {
  const waiting = s.claimed.filter((r) => !s.ended.has(r));
  const stopOver = s.stoppedAt !== undefined && s.now >= s.stoppedAt + s.stopGraceMs;
  let lost: Array<{ runner: string; reason: string }> = [];
  if (stopOver) {
    lost = waiting.map((runner) => ({
      runner,
      reason: `sent no done.json within ${Math.round(s.stopGraceMs / 1000)} s of the stop (Ctrl-C): the fleet was scaled to 0 before it could report`,
    }));
  } else if (s.now >= s.deadline.at) {
    lost = waiting.map((runner) => ({
      runner,
      reason: `sent no done.json by ${new Date(s.deadline.at).toISOString()} (${s.deadline.text}): its machine was lost (spot reclaim, failure) or its agent hung`,
    }));
  }
  const claimsClosed = s.stoppedAt !== undefined || s.now >= s.startAt + s.claimSlackMs;
  return { lost, finished: claimsClosed && waiting.length === lost.length };
}
