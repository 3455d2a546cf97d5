// --peak-rps: a run's scale given as HTTP requests per second at the profile's peak, turned into
// journey starts per second (what the k6 scenarios schedule) through the requests each journey
// makes (scenarios/shared/journeys.ts). Pure.

import { JOURNEYS, type JourneyName } from '../shared/journeys.ts';

/** Requests one journey start makes on average under this mix (weights need not sum to 1). */
export function requestsPerStart(mix: Readonly<Record<string, number>>): number {
  let weight = 0;
  let requests = 0;
  for (const [name, w] of Object.entries(mix)) {
    weight += w;
    requests += w * JOURNEYS[name as JourneyName].requests;
  }
  return weight > 0 ? requests / weight : 0;
}

/** Journey starts per second that make `peakRps` requests per second at the peak. */
export function peakRateFromRps(mix: Readonly<Record<string, number>>, peakRps: number): number {
  const perStart = requestsPerStart(mix);
  return perStart > 0 ? peakRps / perStart : NaN;
}
