// Config pieces both AWS stacks share: the rehearsal id (it names and tags everything), the
// region, the tags, and the guard that keeps secrets out of config files (and so out of the synth).
import { z } from 'zod';
import { InputError } from '../../../errors/errors.ts';

/** Tag keys every resource carries; the reaper and the cost report find a rehearsal's resources by them. */
export const TAG = {
  rehearsalId: 'rehearse:rehearsal-id',
  createdAt: 'rehearse:created-at',
  /** Until when the rehearsal is live (created-at + lifetimeHours): the reaper never touches it before. */
  expiresAt: 'rehearse:expires-at',
  managedBy: 'rehearse:managed-by',
  stack: 'rehearse:stack',
} as const;

/**
 * Lowercase letters, digits and single hyphens, 2–28 characters: the id goes into S3 bucket,
 * RDS cluster and ElastiCache replication group names, whose rules are the strictest.
 */
export const rehearsalIdSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){0,26}[a-z0-9]$/, {
  message:
    'rehearsalId must be 2-28 characters of a-z, 0-9 and single hyphens, starting and ending with a letter or digit (e.g. "20261125-104512-bf")',
});

export const regionSchema = z.string().regex(/^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/, {
  message: 'region must be an AWS region code such as "us-east-1"',
});

/** The one account a stack may touch: the provider's allowed_account_ids, so a wrong AWS_PROFILE fails before any change. */
export const accountIdSchema = z
  .string({
    message:
      'accountId is required: the 12-digit AWS account to deploy into (aws sts get-caller-identity --query Account); a stack refuses any other account',
  })
  .regex(/^\d{12}$/, {
    message:
      'accountId must be the 12-digit AWS account id, e.g. "123456789012" (aws sts get-caller-identity --query Account)',
  });

/** How long a rehearsal is live after createdAt: `rehearse reap` leaves it alone until then. */
export const lifetimeHoursSchema = z
  .number()
  .int()
  .min(1)
  .max(24 * 90)
  .default(24);

/** When the rehearsal started (ISO 8601 UTC); tagged so the reaper can age leftovers. */
export const createdAtSchema = z.iso.datetime({
  message: 'createdAt must be an ISO 8601 UTC time, e.g. "2026-11-25T10:45:12Z"',
});

/** Config keys that name a secret. Secrets belong in Secrets Manager, never in a config file. */
const SECRET_KEY =
  /pass(?:word|wd|phrase)?$|secret|token|private[-_]?key|access[-_]?key|ssh[-_]?key|credential|api[-_]?key|salt/i;

export class ConfigError extends InputError {}

/** Throws when any key at any depth of a raw config looks like it holds a secret. */
export function rejectSecretKeys(input: unknown, path: string[] = []): void {
  if (Array.isArray(input)) {
    input.forEach((v, i) => rejectSecretKeys(v, [...path, String(i)]));
  } else if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      if (SECRET_KEY.test(key)) {
        throw new ConfigError(
          `config field "${[...path, key].join('.')}" looks like a secret: remove it. ` +
            'Secrets never go in the config (they would land in the synthesized Terraform JSON); the stack keeps ' +
            'them in AWS Secrets Manager (the database password is managed by RDS) and instances read them at boot.',
        );
      }
      rejectSecretKeys(value, [...path, key]);
    }
  }
}

/** Parses with a schema after the secret guard; zod's message names the field and what it wants. */
/** `at` names where the config sits in its file ("store"), so error paths read from the file's top. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, what: string, at?: string): z.infer<S> {
  rejectSecretKeys(input, at ? [at] : []);
  const result = schema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  ${[...(at ? [at] : []), ...i.path].join('.') || '(root)'}: ${i.message}`,
    );
    throw new ConfigError(`invalid ${what} config:\n${lines.join('\n')}`);
  }
  return result.data;
}

export interface TaggedConfig {
  rehearsalId: string;
  createdAt?: string;
  lifetimeHours?: number;
}

/** Tags for the provider's default_tags (and for places default_tags does not reach). */
export function rehearsalTags(cfg: TaggedConfig, stack: string): Record<string, string> {
  return {
    [TAG.rehearsalId]: cfg.rehearsalId,
    [TAG.managedBy]: 'rehearse',
    [TAG.stack]: stack,
    ...(cfg.createdAt ? { [TAG.createdAt]: cfg.createdAt } : {}),
    ...(cfg.createdAt && cfg.lifetimeHours
      ? {
          [TAG.expiresAt]: new Date(Date.parse(cfg.createdAt) + cfg.lifetimeHours * 3_600_000)
            .toISOString()
            .replace(/\.000Z$/, 'Z'),
        }
      : {}),
  };
}
