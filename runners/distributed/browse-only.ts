// For tests and the bench: a loaded profile reduced to the browse journey (a fixed 3 requests
// per journey against the fake store), so request counts of two runs compare exactly.
import type { loadProfile } from '../../scenarios/profile/load-profile.ts';

type Loaded = Awaited<ReturnType<typeof loadProfile>>;

export function browseOnly(loaded: Loaded): Loaded {
  // A mix may name any subset of journeys (profile-schema.ts); the inferred type lists them all.
  return { ...loaded, profile: { ...loaded.profile, mix: { browse: 1 } as Loaded['profile']['mix'] } };
}
