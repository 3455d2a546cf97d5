// The requests per second a plan's k6 scenarios can make at their busiest, read from the stages
// themselves (not from run.peakRate), so a hand-edited plan is held to its request cap too. Pure.

import { JOURNEYS } from '../shared/journeys.ts';
import type { AssetsPerPage } from './peak-rps.ts';
import { journeyRequests } from './peak-rps.ts';
import { REPLAY_EXEC, type PlanScenario } from './plan-schema.ts';
import { k6DurationMs } from './stages.ts';

/** Requests one iteration of the scenario's exec makes: a journey's count, or 1 for a replayed URL. */
export function requestsPerIteration(exec: string, assets: AssetsPerPage): number {
  if (exec === REPLAY_EXEC) return 1;
  const name = Object.entries(JOURNEYS).find(([, j]) => j.exec === exec)?.[0];
  return name ? journeyRequests(name, assets) : NaN;
}

/**
 * Σ over scenarios of (highest stage rate × requests per iteration): an upper bound on the
 * requests/s at the peak (journeys start out of phase, so their peaks need not coincide).
 */
export function scheduledPeakRps(scenarios: Readonly<Record<string, PlanScenario>>, assets: AssetsPerPage): number {
  let rps = 0;
  for (const sc of Object.values(scenarios)) {
    const unitS = k6DurationMs(sc.timeUnit) / 1000;
    const peak = Math.max(sc.startRate, ...sc.stages.map((s) => s.target)) / unitS;
    rps += peak * requestsPerIteration(sc.exec, assets);
  }
  return rps;
}
