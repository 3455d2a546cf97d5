// The k6 runner fleet's config: where runners run, how many, what they cost (spot by default).
import { z } from 'zod';
import { architectureOf } from './stack-config.ts';
import {
  accountIdSchema,
  lifetimeHoursSchema,
  ConfigError,
  createdAtSchema,
  parseConfig,
  regionSchema,
  rehearsalIdSchema,
} from './common.ts';

export const fleetConfigSchema = z.strictObject({
  rehearsalId: rehearsalIdSchema,
  accountId: accountIdSchema,
  createdAt: createdAtSchema.optional(),
  /** With createdAt: tagged rehearse:expires-at, before which the reaper treats the rehearsal as live. */
  lifetimeHours: lifetimeHoursSchema,
  /** The first region holds the plans-and-results bucket; every region gets its own runner group. */
  regions: z
    .array(regionSchema)
    .min(1)
    .refine((r) => new Set(r).size === r.length, { message: 'regions must not repeat' }),
  runnersPerRegion: z.number().int().min(1).max(100).default(1),
  /** Spot runners cost ~70 % less; a reclaimed runner's segment shows as missing load in the report. */
  purchase: z.enum(['spot', 'on-demand']).default('spot'),
  /** Several types of one architecture, so spot can find capacity (price-capacity-optimized). */
  instanceTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/))
    .min(1)
    .default(['c7g.xlarge', 'c6g.xlarge', 'm7g.xlarge'])
    .refine((t) => new Set(t.map(architectureOf)).size === 1, {
      message: 'instanceTypes must share one architecture (all Graviton or all x86): one image serves them all',
    }),
  /** Days plans and results stay in the bucket. Copy a run you keep to your own store first. */
  expireDays: z.number().int().min(1).max(3650).default(30),
  vpcCidr: z
    .string()
    .regex(/^(?:\d{1,3}\.){3}\d{1,3}\/(?:1[6-9]|20)$/)
    .default('10.90.0.0/16'),
  azCount: z.number().int().min(1).max(6).default(2),
  nodeMajor: z.number().int().min(20).default(22),
  /** npm pack of this repo the CLI uploads before the fleet starts; must sit under runs/<id>/. */
  agentBundleKey: z.string().optional(),
});

export type FleetConfigInput = z.input<typeof fleetConfigSchema>;
export type FleetConfig = z.output<typeof fleetConfigSchema>;

/** Validates a raw fleet config; throws ConfigError naming each bad field. */
export function parseFleetConfig(input: unknown, at?: string): FleetConfig {
  const cfg = parseConfig(fleetConfigSchema, input, 'runner fleet', at);
  const key = bundleKey(cfg);
  if (!key.startsWith(`${runPrefix(cfg.rehearsalId)}/`)) {
    throw new ConfigError(
      `fleet agentBundleKey "${key}" must sit under ${runPrefix(cfg.rehearsalId)}/: runners may read only their run's prefix`,
    );
  }
  return cfg;
}

/** The run's prefix in the bucket: the only place a runner may read or write. */
export function runPrefix(rehearsalId: string): string {
  return `runs/${rehearsalId}`;
}

export function bundleKey(cfg: Pick<FleetConfig, 'rehearsalId' | 'agentBundleKey'>): string {
  return cfg.agentBundleKey ?? `${runPrefix(cfg.rehearsalId)}/agent/rehearse.tgz`;
}
