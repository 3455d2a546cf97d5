// What the controller of a distributed run needs from the deployed runner fleet: the rehearsal's
// store (bucket, prefix, region), where the agent bundle goes, and each region's runner group,
// from the fleet stacks' `terraform output -json`. runners/ calls readFleetEndpoint and never
// reads Terraform state itself.
import { InputError } from '../../../errors/errors.ts';
import { readInfraConfig, rehearsalIdOf } from '../config/infra-config.ts';
import { rehearsalStateDir } from '../lifecycle/state-root.ts';
import { bundleKey, runPrefix, type FleetConfig } from '../config/fleet-config.ts';
import { existingStacks, stateHasResources, type ReadDeployedOptions } from '../lifecycle/deployed-stacks.ts';
import { terraformForOutputs } from '../lifecycle/preflight.ts';
import { runTerraformCommand } from '../lifecycle/run-terraform.ts';
import { outputCommand } from '../lifecycle/terraform-commands.ts';
import { fleetStackName } from './runner-fleet.ts';

export interface FleetEndpoint {
  rehearsalId: string;
  /** s3://bucket/runs/<rehearsal id>: the rehearsal's store, where every runner's agent starts. */
  storeUrl: string;
  /** The bucket's region (the first fleet region). */
  bucketRegion: string;
  /** The agent bundle's key, relative to storeUrl. */
  bundleKey: string;
  /** Each fleet region's runner Auto Scaling group, in config order. */
  groups: Array<{ region: string; asgName: string }>;
  /** The config file, for messages that name the field to change. */
  configPath: string;
}

export type StackOutputs = Record<string, { value?: unknown }>;

function output(outputs: StackOutputs, name: string, stack: string): string {
  const v = outputs[name]?.value;
  if (typeof v !== 'string' || v === '')
    throw new InputError(
      `runner fleet stack ${stack} has no "${name}" output: it was deployed by an older Rehearse; run \`rehearse stack up --target aws\` again`,
    );
  return v;
}

/** The endpoint from each region's outputs (runs_bucket, store_url, runner_asg_name). Pure. */
export function fleetFromOutputs(
  fleet: FleetConfig,
  outputsByRegion: Map<string, StackOutputs>,
  configPath: string,
): FleetEndpoint {
  const home = fleet.regions[0]!;
  const stack = (region: string) => fleetStackName(fleet.rehearsalId, region);
  const homeOutputs = outputsByRegion.get(home) ?? {};
  const storeUrl = output(homeOutputs, 'store_url', stack(home));
  const bucket = output(homeOutputs, 'runs_bucket', stack(home));
  if (storeUrl !== `s3://${bucket}/${runPrefix(fleet.rehearsalId)}`)
    throw new InputError(
      `runner fleet stack ${stack(home)}: store_url ${storeUrl} is not s3://${bucket}/${runPrefix(fleet.rehearsalId)}; the stack and ${configPath} disagree: run \`rehearse stack up --target aws\` again`,
    );
  const groups = fleet.regions.map((region) => {
    const outputs = outputsByRegion.get(region) ?? {};
    const url = output(outputs, 'store_url', stack(region));
    if (url !== storeUrl)
      throw new InputError(
        `runner fleet stack ${stack(region)} points its runners at ${url}, not ${storeUrl}: run \`rehearse stack up --target aws\` again`,
      );
    return { region, asgName: output(outputs, 'runner_asg_name', stack(region)) };
  });
  return {
    rehearsalId: fleet.rehearsalId,
    storeUrl,
    bucketRegion: home,
    bundleKey: bundleKey(fleet).slice(runPrefix(fleet.rehearsalId).length + 1),
    groups,
    configPath,
  };
}

export type ReadFleetOptions = ReadDeployedOptions;

/** The deployed fleet of the rehearsal in the config; input errors say what to deploy or set. */
export async function readFleetEndpoint(opts: ReadFleetOptions): Promise<FleetEndpoint> {
  const infra = readInfraConfig(opts.configPath);
  const fleet = infra.fleet;
  const deploy = `\`rehearse stack up --target aws --aws-config ${opts.configPath}\``;
  if (!fleet)
    throw new InputError(
      `--aws-config ${opts.configPath} has no "fleet": more than one runner on AWS runs on the runner fleet. Add a "fleet" (infra/aws/README.md) and run ${deploy}, or use --runners 1`,
    );
  const dir = rehearsalStateDir(rehearsalIdOf(infra), opts.stateRoot);
  const stacks = existingStacks(dir, infra);
  const byRegion = fleet.regions.map((region) => {
    const s = stacks.find((x) => x.name === fleetStackName(fleet.rehearsalId, region));
    if (!s || !stateHasResources(s.dir))
      throw new InputError(
        `no deployed runner fleet in ${region} (no Terraform state with resources under ${dir}): run ${deploy}`,
      );
    return { region, stack: s };
  });
  const terraform = terraformForOutputs(`the runner fleet of ${opts.configPath}`);
  const outputs = new Map<string, StackOutputs>();
  for (const { region, stack } of byRegion) {
    const text = await runTerraformCommand(
      { command: terraform.path, args: outputCommand(stack.dir), label: `${stack.name}: output` },
      { log: opts.log },
    );
    outputs.set(region, JSON.parse(text) as StackOutputs);
  }
  return fleetFromOutputs(fleet, outputs, opts.configPath);
}
