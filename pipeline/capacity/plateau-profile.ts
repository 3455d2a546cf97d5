// The traffic of one plateau: the chosen profile's journey mix at a flat rate, with short think
// times so a plateau of a few seconds reaches its steady state (a 4 s median think time would
// spread one journey over most of a plateau). Pure.

import { parseProfile, type LoadedProfile } from '../../scenarios/profile/load-profile.ts';

/** cacheBust overrides the profile's: true measures the origin (every page rendered), not the page cache. */
export function plateauProfile(base: LoadedProfile, o: { cacheBust?: boolean } = {}): LoadedProfile {
  const p = base.profile;
  const flat = {
    version: 1,
    name: `${p.name}-plateau`,
    description: `Capacity plateau: the ${p.name} mix at a constant rate, think time 0.2 s median.`,
    span: '1h',
    shape: [
      { at: '0', rate: 1 },
      { at: '1h', rate: 1 },
    ],
    mix: p.mix,
    thinkTime: { medianS: 0.2, p90S: 0.5 },
    cacheBust: o.cacheBust ?? p.cacheBust,
    ...(p.popularity ? { popularity: p.popularity } : {}),
  };
  return parseProfile(JSON.stringify(flat), `${base.file} (flat plateau)`);
}
