// The whole aws.json: { store?, fleet?, state? }. Parsed here so a wrong file fails as an
// InputError naming the file and the field, before anything is synthesized or applied.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../../../errors/errors.ts';
import { ConfigError } from './common.ts';
import { parseFleetConfig, type FleetConfig } from './fleet-config.ts';
import { stateBackendSchema, type StateBackend } from './state-backend.ts';
import { parseStackConfig, type StackConfig } from './stack-config.ts';

export interface RehearsalInfra {
  store?: StackConfig;
  fleet?: FleetConfig;
  /** Where Terraform state lives; a local file per stack when absent. */
  state?: StateBackend;
}

const topLevel = z.strictObject({
  store: z.unknown().optional(),
  fleet: z.unknown().optional(),
  state: z.unknown().optional(),
});

/** A raw {store, fleet, state} config (e.g. one JSON file) → validated configs; store or fleet may be absent, not both. */
export function parseInfraConfig(raw: unknown): RehearsalInfra {
  const top = topLevel.safeParse(raw);
  if (!top.success) {
    const lines = top.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(
      `invalid AWS config: it is an object with "store", "fleet" and optionally "state":\n${lines.join('\n')}`,
    );
  }
  const { store, fleet, state } = top.data;
  if (store === undefined && fleet === undefined) {
    throw new ConfigError(
      'invalid AWS config: "store" (the WordPress stack) or "fleet" (the runner fleet) is required; see infra/aws/README.md',
    );
  }
  let backend: StateBackend | undefined;
  if (state !== undefined) {
    const parsed = stateBackendSchema.safeParse(state);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  state.${i.path.join('.')}: ${i.message}`.replace(/\.:/, ':'));
      throw new ConfigError(`invalid AWS config:\n${lines.join('\n')}`);
    }
    backend = parsed.data;
  }
  const infra: RehearsalInfra = {
    ...(store !== undefined ? { store: parseStackConfig(store, 'store') } : {}),
    ...(fleet !== undefined ? { fleet: parseFleetConfig(fleet, 'fleet') } : {}),
    ...(backend ? { state: backend } : {}),
  };
  if (infra.store && infra.fleet && infra.store.rehearsalId !== infra.fleet.rehearsalId) {
    throw new ConfigError(
      `store and fleet configs name different rehearsals ("${infra.store.rehearsalId}" vs "${infra.fleet.rehearsalId}"): use one rehearsalId`,
    );
  }
  if (infra.store && infra.fleet && infra.store.accountId !== infra.fleet.accountId) {
    throw new ConfigError(
      `store.accountId (${infra.store.accountId}) and fleet.accountId (${infra.fleet.accountId}) differ: one rehearsal deploys into one account`,
    );
  }
  return infra;
}

/** Reads and parses --aws-config FILE; every failure is an InputError that names the file. */
export function readInfraConfig(path: string): RehearsalInfra {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`;
    throw new InputError(`--aws-config ${path}: ${why}; see infra/aws/README.md for the format`);
  }
  try {
    return parseInfraConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`--aws-config ${path}: ${err.message}`);
    throw err;
  }
}

export function rehearsalIdOf(infra: RehearsalInfra): string {
  return (infra.store?.rehearsalId ?? infra.fleet?.rehearsalId)!;
}

export function accountIdOf(infra: RehearsalInfra): string {
  return (infra.store?.accountId ?? infra.fleet?.accountId)!;
}
