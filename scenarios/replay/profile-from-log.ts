// A digested log → a profile: the per-minute request curve, relative to its busiest minute, as the
// shape; visits by what they did, as the journey mix (only journeys the registry knows, each kind
// falling back to the nearest one that is); the pauses inside visits as think time. Pure; the
// result is validated by the profile schema.

import { validateProfile, type Profile } from '../profile/profile-schema.ts';
import { isJourneyName } from '../shared/journeys.ts';
import type { LogDigest, VisitKind } from './log-digest.ts';

/** A visit kind's journey, or the next best one the registry has. */
const FALLBACK: Record<VisitKind, readonly string[]> = {
  checkout: ['checkout', 'cart', 'browse'],
  abandon: ['abandon', 'cart', 'browse'],
  returning: ['returning', 'account', 'browse'],
  search: ['search', 'browse'],
  browse: ['browse'],
};

/** A shape of more points than this is averaged into wider buckets (a day at one point a minute). */
const MAX_SHAPE_BUCKETS = 1440;
const DEFAULT_THINK = { medianS: 4, p90S: 12 };

export interface ProfileFromLog {
  profile: Profile;
  /** What was approximated, in words (journeys folded, buckets widened). */
  notes: string[];
}

/** The journey a visit kind becomes: itself when registered, else the next best that is. */
export function journeyFor(kind: VisitKind, isJourney: (name: string) => boolean = isJourneyName): string | undefined {
  return FALLBACK[kind].find(isJourney);
}

export function profileFromDigest(
  d: LogDigest,
  o: { name: string; description?: string; file: string },
): ProfileFromLog {
  const counts = d.curve.minuteCounts;
  if (d.parsed === 0 || counts.length === 0) {
    throw new Error(
      `${o.file}: no request could be read from the logs (${d.malformed.count} malformed lines) — check the format: nginx/Apache combined or AWS ALB`,
    );
  }
  const notes: string[] = [];
  const width = Math.ceil(counts.length / MAX_SHAPE_BUCKETS);
  if (width > 1) notes.push(`the log spans ${counts.length} minutes: the shape uses ${width}-minute buckets`);
  const buckets: number[] = [];
  for (let i = 0; i < counts.length; i += width) buckets.push(counts.slice(i, i + width).reduce((a, b) => a + b, 0));
  const max = Math.max(...buckets);
  const rate = (c: number) => (c === max ? 1 : Math.round((c / max) * 10_000) / 10_000);
  const minutes = buckets.length * width;
  // Each bucket's rate at its middle, plus the ends: the trapezoids keep the bucket totals.
  const shape = [{ at: '0', rate: rate(buckets[0]!) }];
  buckets.forEach((c, i) => shape.push({ at: offset((i + 0.5) * width * 60), rate: rate(c) }));
  shape.push({ at: `${minutes}m`, rate: rate(buckets.at(-1)!) });

  const mix: Record<string, number> = {};
  for (const [kind, n] of Object.entries(d.visits) as Array<[VisitKind, number]>) {
    if (n === 0) continue;
    const journey = journeyFor(kind);
    if (!journey) continue;
    if (journey !== kind) notes.push(`${n} ${kind} visits counted as ${journey} (no journey named ${kind})`);
    mix[journey] = (mix[journey] ?? 0) + n;
  }
  if (Object.keys(mix).length === 0) {
    mix.browse = 1;
    notes.push('no visits to shop pages in the log (only assets or admin): mix set to { "browse": 1 }');
  }
  const think = d.think ?? DEFAULT_THINK;
  if (!d.think)
    notes.push(`no pauses between page requests found: default think time ${think.medianS} s / ${think.p90S} s`);

  const start = new Date(d.curve.startMs).toISOString();
  const profile = validateProfile(
    {
      version: 1,
      name: o.name,
      description:
        o.description ??
        `From access logs: ${d.parsed} requests over ${counts.length} min from ${start}; busiest minute ${Math.max(...counts)} requests.`,
      span: `${minutes}m`,
      shape,
      mix,
      thinkTime: { medianS: think.medianS, p90S: Math.max(think.p90S, think.medianS) },
      cacheBust: false,
    },
    o.file,
  );
  return { profile, notes };
}

/** Seconds → a profile offset: 90 → "1m30s". */
function offset(s: number): string {
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return rest ? `${m}m${rest}s` : `${m}m`;
}
