// The AWS target: synthesize the stacks, apply them with terraform/tofu, hand back the ALB's URL;
// destroy them on `down`, and also when `up` fails or is interrupted, so a failed rehearsal
// leaves nothing running (whatever escapes that, `rehearse reap` finds by its tags).
import { resolve } from 'node:path';
import { InputError } from '../../errors/errors.ts';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Telemetry } from '../telemetry/telemetry-schema.ts';
import type { Endpoint, Target, TargetStatus } from '../target.ts';
import { collectCloudWatchTelemetry, targetsFromOutputs, type RunnerGroupTarget } from './telemetry/cloudwatch-collector.ts';
import { readFleetEndpoint } from './fleet/fleet-outputs.ts';
import { stackOrder } from './app.ts';
import { readInfraConfig, rehearsalIdOf } from './config/read-infra-config.ts';
import { preflight } from './lifecycle/preflight.ts';
import { existingStacks, stateHasResources } from './lifecycle/deployed-stacks.ts';
import { runTerraformCommand, runTerraformPlan } from './lifecycle/run-terraform.ts';
import { synthesize, type SynthesizedStack } from './lifecycle/synth.ts';
import { outputCommand, terraformPlan } from './lifecycle/terraform-commands.ts';

export interface AwsTargetOptions {
  /** JSON file with { store, fleet } configs (infra/aws/README.md). */
  configPath: string;
  /** Catalogue manifest of the deployed store (seeding on AWS is the store's own job). */
  catalogue?: string;
  /** Where synth output and Terraform state live; keep it until the rehearsal is destroyed. */
  stateRoot?: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export { readInfraConfig, rehearsalIdOf };

export function awsTarget(opts: AwsTargetOptions): Target {
  const infra = readInfraConfig(opts.configPath);
  const id = rehearsalIdOf(infra);
  const dir = resolve(opts.stateRoot ?? '.state/aws', id);
  const log = (line: string) => opts.log(`aws ${id}: ${line}`);

  async function destroy(stacks: SynthesizedStack[], binary: string) {
    const live = stacks.filter((s) => stateHasResources(s.dir));
    if (live.length === 0) return log('nothing deployed to destroy');
    // Not tied to opts.signal: a Ctrl-C that interrupted `up` must not interrupt the clean-up.
    await runTerraformPlan(terraformPlan(binary, live, 'down'), { log });
  }

  return {
    kind: 'aws',
    async up(): Promise<Endpoint> {
      if (!infra.store) throw new InputError(`--aws-config ${opts.configPath} has no "store": the AWS target needs the WordPress stack to rehearse against`);
      if (!opts.catalogue) throw new InputError('--target aws needs --catalogue FILE: the deployed store\'s categories and products (format: scenarios/README.md, "Catalogue")');
      const { terraform, credentials } = preflight();
      log(`credentials from ${credentials.source}; ${terraform.flavor} at ${terraform.path}`);
      log(`synthesizing ${stackOrder(infra).join(', ')} into ${dir}`);
      const stacks = synthesize(infra, dir);
      try {
        await runTerraformPlan(terraformPlan(terraform.path, stacks, 'up'), { log, signal: opts.signal });
        const outputs = JSON.parse(await runTerraformCommand({ command: terraform.path, args: outputCommand(stacks[0]!.dir), label: `${stacks[0]!.name}: output` }, { log }));
        const baseUrl = outputs.site_url?.value;
        if (typeof baseUrl !== 'string') throw new Error(`the store stack has no site_url output; see ${stacks[0]!.dir}`);
        return { baseUrl: baseUrl.replace(/\/+$/, ''), cataloguePath: opts.catalogue };
      } catch (err) {
        log(`${opts.signal?.aborted ? 'interrupted' : 'failed'}: tearing down what was created`);
        await destroy(stacks, terraform.path).catch((e) => log(`teardown failed too: ${(e as Error).message}; run \`rehearse reap --destroy\``));
        throw err;
      }
    },
    async down() {
      const stacks = existingStacks(dir, infra);
      if (stacks.length === 0) return log(`no synthesized stacks under ${dir}: nothing to destroy here (\`rehearse reap\` lists tagged leftovers)`);
      await destroy(stacks, preflight().terraform.path);
    },
    /** CloudWatch + DescribeScalingActivities for the window, as rehearse.telemetry/v1. */
    async telemetry(from: number, to: number): Promise<Telemetry> {
      const store = existingStacks(dir, infra)[0];
      if (!store || !infra.store) throw new InputError(`no deployed store under ${dir}: run \`rehearse stack up --target aws\` first`);
      const outputs = JSON.parse(await runTerraformCommand({ command: preflight().terraform.path, args: outputCommand(store.dir), label: `${store.name}: output` }, { log }));
      const region = infra.store.region;
      // The runner fleet, when deployed: its machines in the window are the rehearsal's own cost.
      let runnerGroups: RunnerGroupTarget[] | undefined;
      if (infra.fleet) {
        const fleet = infra.fleet;
        runnerGroups = await readFleetEndpoint({ configPath: opts.configPath, stateRoot: opts.stateRoot, log })
          .then((e) => e.groups.map((g) => ({ ...g, defaultType: fleet.instanceTypes[0]!, autoScaling: new AutoScalingClient({ region: g.region }) })))
          .catch((e) => { log(`runner fleet not read for the cost (${(e as Error).message})`); return undefined; });
      }
      const { telemetry, unmapped } = await collectCloudWatchTelemetry({
        window: { from, to },
        targets: targetsFromOutputs(outputs),
        cloudWatch: new CloudWatchClient({ region }),
        autoScaling: new AutoScalingClient({ region }),
        stackConfig: infra.store,
        runnerGroups,
      });
      if (unmapped.elb5xx.some((p) => p.v > 0)) log(`the ALB itself answered 5xx ${unmapped.elb5xx.reduce((a, p) => a + p.v, 0)} times (targets overloaded or none healthy)`);
      return telemetry;
    },
    async status(): Promise<TargetStatus> {
      const stacks = existingStacks(dir, infra);
      const components = stacks.map((s) => ({ name: s.name, alive: stateHasResources(s.dir) }));
      return { kind: 'aws', running: components.some((c) => c.alive), components };
    },
  };
}

