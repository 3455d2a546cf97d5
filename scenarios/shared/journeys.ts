// The journeys Rehearse knows. Shared by the Node side (profile validation, plan sizing) and the
// k6 side (entry.ts exports one function per journey, named by `exec`). Pure data: no imports.
// Adding a journey = a row here + scenarios/k6/journeys/<name>.ts + an export in entry.ts.

export interface JourneySpec {
  /** Name of the function entry.ts exports for this journey (k6 scenario `exec`). */
  readonly exec: string;
  /** HTTP requests one iteration makes (for VU sizing). */
  readonly requests: number;
  /** Think-time pauses one iteration takes (for VU sizing). */
  readonly thinkSteps: number;
  readonly description: string;
}

export const JOURNEYS = {
  browse: {
    exec: 'browse',
    requests: 3,
    thinkSteps: 2,
    description: 'anonymous visitor: home → category → product',
  },
} as const satisfies Record<string, JourneySpec>;

export type JourneyName = keyof typeof JOURNEYS;

export const JOURNEY_NAMES = Object.keys(JOURNEYS) as JourneyName[];

export function isJourneyName(name: string): name is JourneyName {
  return Object.prototype.hasOwnProperty.call(JOURNEYS, name);
}
