// The CDKTF app of one rehearsal: the WordPress stack and one runner-fleet stack per region.
// Each stack is its own Terraform root (own state); apply the store first, then the fleets
// (the first fleet region owns the runs bucket the others write to).
import { App } from 'cdktf';
import { parseFleetConfig, type FleetConfig } from './config/fleet-config.ts';
import { ConfigError } from './config/common.ts';
import { parseStackConfig, type StackConfig } from './config/stack-config.ts';
import { fleetStackName, RunnerFleetStack } from './fleet/runner-fleet.ts';
import { storeStackName, WordPressStack } from './stack/wordpress-stack.ts';

export interface RehearsalInfra {
  store?: StackConfig;
  fleet?: FleetConfig;
}

/** Stack names in the order they must be applied (destroy in reverse). */
export function stackOrder(infra: RehearsalInfra): string[] {
  return [
    ...(infra.store ? [storeStackName(infra.store.rehearsalId)] : []),
    ...(infra.fleet ? infra.fleet.regions.map((r) => fleetStackName(infra.fleet!.rehearsalId, r)) : []),
  ];
}

export function buildApp(infra: RehearsalInfra, outdir?: string): App {
  if (!infra.store && !infra.fleet) throw new ConfigError('nothing to build: give a store config, a fleet config, or both');
  if (infra.store && infra.fleet && infra.store.rehearsalId !== infra.fleet.rehearsalId) {
    throw new ConfigError(`store and fleet configs name different rehearsals ("${infra.store.rehearsalId}" vs "${infra.fleet.rehearsalId}"): use one rehearsalId`);
  }
  // No cdktf.json and no CLI here: the App is synthesized in-process.
  const app = new App({ outdir });
  if (infra.store) new WordPressStack(app, storeStackName(infra.store.rehearsalId), infra.store);
  for (const region of infra.fleet?.regions ?? []) new RunnerFleetStack(app, fleetStackName(infra.fleet!.rehearsalId, region), infra.fleet!, region);
  return app;
}

/** A raw {store, fleet} config (e.g. one JSON file) → validated stack configs; either part may be absent. */
export function parseInfraConfig(raw: { store?: unknown; fleet?: unknown }): RehearsalInfra {
  return {
    ...(raw.store !== undefined ? { store: parseStackConfig(raw.store) } : {}),
    ...(raw.fleet !== undefined ? { fleet: parseFleetConfig(raw.fleet) } : {}),
  };
}
