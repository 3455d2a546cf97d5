// The deployed store stack as a capacity search needs it: the site's URL, its app Auto Scaling
// group and the balancer's target group, from the store stack's `terraform output -json` (as the
// AWS target reads them). Never deploys: a search pins a stack that `rehearse stack up` made.
import { InputError } from '../../../errors/errors.ts';
import { readInfraConfig, rehearsalIdOf } from '../config/infra-config.ts';
import { storeStackName } from '../stack/wordpress-stack.ts';
import { existingStacks, stateHasResources, type ReadDeployedOptions } from './deployed-stacks.ts';
import { terraformForOutputs } from './preflight.ts';
import { runTerraformCommand } from './run-terraform.ts';
import { rehearsalStateDir } from './state-root.ts';
import { outputCommand } from './terraform-commands.ts';

export interface StoreAppGroup {
  region: string;
  /** The site's base URL (the balancer, or the domain). */
  siteUrl: string;
  asgName: string;
  /** "app/<name>/<id>" and "targetgroup/<name>/<id>": the CloudWatch dimensions of target health. */
  albArnSuffix: string;
  targetGroupArnSuffix: string;
}

export type StoreOutputs = Record<string, { value?: unknown }>;

/** The app group and its balancer from the store stack's outputs. Pure. */
export function appGroupFromOutputs(outputs: StoreOutputs, region: string, stack: string): StoreAppGroup {
  const need = (name: string): string => {
    const v = outputs[name]?.value;
    if (typeof v !== 'string' || v === '')
      throw new InputError(
        `store stack ${stack} has no "${name}" output: it was deployed by an older Rehearse; run \`rehearse stack up --target aws\` again`,
      );
    return v;
  };
  return {
    region,
    siteUrl: need('site_url').replace(/\/+$/, ''),
    asgName: need('asg_name'),
    albArnSuffix: need('alb_arn_suffix'),
    targetGroupArnSuffix: need('target_group_arn_suffix'),
  };
}

export type ReadStoreOptions = ReadDeployedOptions;

/** The deployed store of the rehearsal in the config; input errors say what to deploy or set. */
export async function readStoreAppGroup(opts: ReadStoreOptions): Promise<StoreAppGroup> {
  const infra = readInfraConfig(opts.configPath);
  const deploy = `\`rehearse stack up --target aws --aws-config ${opts.configPath}\``;
  if (!infra.store)
    throw new InputError(
      `--aws-config ${opts.configPath} has no "store": a capacity search on AWS pins the store's app group. Add a "store" (infra/aws/README.md) and run ${deploy}`,
    );
  const dir = rehearsalStateDir(rehearsalIdOf(infra), opts.stateRoot);
  const name = storeStackName(infra.store.rehearsalId);
  const stack = existingStacks(dir, infra).find((s) => s.name === name);
  if (!stack || !stateHasResources(stack.dir))
    throw new InputError(
      `no deployed store stack ${name} (no Terraform state with resources under ${dir}): run ${deploy} first`,
    );
  const terraform = terraformForOutputs(`the store of ${opts.configPath}`);
  const text = await runTerraformCommand(
    { command: terraform.path, args: outputCommand(stack.dir), label: `${name}: output` },
    { log: opts.log },
  );
  return appGroupFromOutputs(JSON.parse(text) as StoreOutputs, infra.store.region, name);
}
