// The CDKTF app of one rehearsal: the WordPress stack and one runner-fleet stack per region.
// Each stack is its own Terraform root (own state); apply the store first, then the fleets
// (the first fleet region owns the runs bucket the others write to).
import { App } from 'cdktf';
import { ConfigError } from './config/common.ts';
import { parseInfraConfig, type RehearsalInfra } from './config/infra-config.ts';
import { fleetStackName, RunnerFleetStack } from './fleet/runner-fleet.ts';
import { storeStackName, WordPressStack } from './stack/wordpress-stack.ts';

export { parseInfraConfig, type RehearsalInfra };

/** Stack names in the order they must be applied (destroy in reverse). */
export function stackOrder(infra: RehearsalInfra): string[] {
  return [
    ...(infra.store ? [storeStackName(infra.store.rehearsalId)] : []),
    ...(infra.fleet ? infra.fleet.regions.map((r) => fleetStackName(infra.fleet!.rehearsalId, r)) : []),
  ];
}

export function buildApp(infra: RehearsalInfra, outdir?: string): App {
  if (!infra.store && !infra.fleet)
    throw new ConfigError('nothing to build: give a store config, a fleet config, or both');
  if (infra.store && infra.fleet && infra.store.rehearsalId !== infra.fleet.rehearsalId) {
    throw new ConfigError(
      `store and fleet configs name different rehearsals ("${infra.store.rehearsalId}" vs "${infra.fleet.rehearsalId}"): use one rehearsalId`,
    );
  }
  // Synthesized in-process; cdktf.json at the repo root runs this same function for `npx cdktf synth`.
  const app = new App({ outdir });
  if (infra.store) new WordPressStack(app, storeStackName(infra.store.rehearsalId), infra.store, infra.state);
  for (const region of infra.fleet?.regions ?? []) {
    new RunnerFleetStack(app, fleetStackName(infra.fleet!.rehearsalId, region), infra.fleet!, region, infra.state);
  }
  return app;
}
