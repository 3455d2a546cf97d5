// The profile format (version 1): what a sale day looks like, independent of any run.
// `validateProfile` turns parsed JSON into a Profile or throws a ProfileError whose message names
// the file, the field (e.g. shape[3].rate) and what to do. Reading files: load-profile.ts.

import { z } from 'zod';
import { JOURNEY_NAMES, isJourneyName } from '../shared/journeys.ts';
import { formatIssues, fromZodIssues, type Issue } from './issues.ts';
import { formatClock, parseAtS, parseDurationS } from './profile-time.ts';
import { InputError } from '../../errors/errors.ts';

export class ProfileError extends InputError {
  constructor(
    readonly file: string,
    readonly issues: Issue[],
  ) {
    super(formatIssues(`profile ${file}`, issues));
  }
}

/** An `error` option: one message when the field is missing, another when it is wrong. */
const says = (whenWrong: string, whenMissing = `is required — ${whenWrong}`) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? whenMissing : whenWrong),
});

const DURATION_HINT = 'write a duration like "24h", "90m" or "1h30m"';
const AT_HINT = 'write a clock offset from the start of the span like "06:30", or a duration like "90m"';

const ShapePoint = z.strictObject({
  at: z.string(says(AT_HINT)).refine((s) => parseAtS(s) !== undefined, { error: `not a time — ${AT_HINT}` }),
  rate: z
    .number(says('rate must be a number between 0 and 1 — relative to the peak (1 = peak)'))
    .min(0, { error: 'rate must be between 0 and 1 — relative to the peak (1 = peak)' })
    .max(1, { error: 'rate must be between 0 and 1 — relative to the peak (1 = peak)' }),
});

const knownJourneys = JOURNEY_NAMES.join(', ');

export const ProfileSchema = z
  .strictObject({
    version: z.literal(1, says('version must be 1 — this Rehearse reads profile format 1')),
    name: z.string(says('name must be a short non-empty text')).min(1, { error: 'name must not be empty' }),
    description: z.string(says('description must be a text (it may be empty)')),
    span: z
      .string(says(`span is the real-world time the shape covers — ${DURATION_HINT}`))
      .refine((s) => (parseDurationS(s) ?? 0) > 0, { error: `span must be a positive duration — ${DURATION_HINT}` }),
    shape: z
      .array(ShapePoint, says('shape must be a list of { "at", "rate" } points'))
      .min(2, { error: 'shape needs at least two points: one at the start (00:00) and one at the end of the span' }),
    mix: z
      .record(
        z.string().refine(isJourneyName, { error: `unknown journey — use one of: ${knownJourneys} (or remove it)` }),
        z
          .number(says('a journey weight must be a number greater than 0'))
          .gt(0, { error: 'a journey weight must be greater than 0 (remove the journey to turn it off)' })
          .finite(),
        {
          error: (iss) =>
            iss.code === 'invalid_type'
              ? `mix must be an object of journey weights, e.g. { "browse": 1 } (known journeys: ${knownJourneys})`
              : undefined,
        },
      )
      .refine((m) => Object.keys(m).length > 0, { error: `mix needs at least one journey, e.g. { "browse": 1 }` }),
    thinkTime: z.strictObject(
      {
        medianS: z
          .number(says('medianS must be a number of seconds ≥ 0'))
          .min(0, { error: 'medianS must be ≥ 0 seconds' }),
        p90S: z
          .number(says('p90S must be a number of seconds ≥ medianS'))
          .min(0, { error: 'p90S must be ≥ 0 seconds' }),
      },
      says('thinkTime must be { "medianS": seconds, "p90S": seconds } (a lognormal pause between steps)'),
    ),
    cacheBust: z.boolean(says('cacheBust must be true or false')).optional(),
    /** Product popularity: Zipf exponent (1 = a few doorbusters get most views, 0 = uniform); the journeys read it. */
    popularity: z
      .strictObject(
        {
          zipfS: z
            .number(says('zipfS must be a number from 0 to 5'))
            .min(0, { error: 'zipfS must be ≥ 0 (0 = uniform)' })
            .max(5, { error: 'zipfS must be ≤ 5' }),
        },
        says('popularity must be { "zipfS": number } (Zipf exponent of product views)'),
      )
      .optional(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (p.thinkTime.p90S < p.thinkTime.medianS) {
      issue(['thinkTime', 'p90S'], `p90S (${p.thinkTime.p90S}) must be ≥ medianS (${p.thinkTime.medianS})`);
    }
    if (!p.shape.some((pt) => pt.rate === 1) && p.shape.every((pt) => pt.rate <= 1)) {
      issue(
        ['shape'],
        'no point has rate 1 — rates are relative to the peak, so the highest point must be exactly 1 (divide every rate by the largest)',
      );
    }
    const spanS = parseDurationS(p.span);
    const times = p.shape.map((pt) => parseAtS(pt.at));
    if (spanS === undefined || times.some((t) => t === undefined)) return; // already reported
    const last = times.length - 1;
    if (times[0] !== 0)
      issue(['shape', 0, 'at'], `the first point must be at the start of the span ("00:00"), not "${p.shape[0]!.at}"`);
    for (let i = 1; i < times.length; i++) {
      if (times[i]! <= times[i - 1]!) {
        issue(
          ['shape', i, 'at'],
          `points must be in increasing time order: ${p.shape[i]!.at} is not after shape[${i - 1}].at (${p.shape[i - 1]!.at}) — sort the points by time`,
        );
      }
    }
    if (times[last] !== spanS) {
      issue(
        ['shape', last, 'at'],
        `the last point must be at the end of the span (span "${p.span}" = ${formatClock(spanS)}), not "${p.shape[last]!.at}"`,
      );
    }
  });

export type Profile = z.infer<typeof ProfileSchema>;

/** Validates parsed JSON as a profile; `file` only labels the errors. */
export function validateProfile(data: unknown, file: string): Profile {
  const r = ProfileSchema.safeParse(data);
  if (r.success) return r.data;
  throw new ProfileError(file, fromZodIssues(r.error.issues, 'scenarios/profiles/README.md'));
}
