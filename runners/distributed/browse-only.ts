// For tests and the bench: a loaded profile reduced to the browse journey (a fixed 3 requests
// per journey against the fake store), so request counts of two runs compare exactly.
import { buildPlan, type BuildPlanOptions } from '../../scenarios/plan/build-plan.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import { loadProfile } from '../../scenarios/profile/load-profile.ts';

type Loaded = Awaited<ReturnType<typeof loadProfile>>;

export function browseOnly(loaded: Loaded): Loaded {
  // A mix may name any subset of journeys (profile-schema.ts); the inferred type lists them all.
  return { ...loaded, profile: { ...loaded.profile, mix: { browse: 1 } as Loaded['profile']['mix'] } };
}

const SMOKE = new URL('../../scenarios/profiles/smoke.json', import.meta.url).pathname;

/** The smoke profile, browse only, as a plan created now and written to path. */
export async function writeBrowsePlan(path: string, options: Omit<BuildPlanOptions, 'createdAt'>): Promise<Plan> {
  const plan = buildPlan(browseOnly(await loadProfile(SMOKE)), { ...options, createdAt: new Date().toISOString() });
  await writePlan(path, plan);
  return plan;
}
