// The AWS target: synthesize the stacks, apply them with terraform/tofu, wait for healthy targets,
// hand back the ALB's URL; destroy them on `down`. When `up` fails or is interrupted it tears down
// only the stacks this `up` created: a stack that held resources before (a running rehearsal
// being re-applied) is never destroyed by anything but an explicit `stack down`.
import { InputError, InterruptedError } from '../../errors/errors.ts';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Telemetry } from '../telemetry/telemetry-schema.ts';
import type { Endpoint, Target, TargetStatus } from '../target-types.ts';
import {
  collectCloudWatchTelemetry,
  targetsFromOutputs,
  type RunnerGroupTarget,
} from './telemetry/cloudwatch-collector.ts';
import { stackOrder } from './app.ts';
import { readInfraConfig, rehearsalIdOf, type RehearsalInfra } from './config/infra-config.ts';
import { readFleetEndpoint } from './fleet/fleet-outputs.ts';
import { preflight } from './lifecycle/preflight.ts';
import { existingStacks, stateHasResources } from './lifecycle/deployed-stacks.ts';
import { runTerraformCommand, runTerraformPlan, TerraformError } from './lifecycle/run-terraform.ts';
import { holdLease } from './lifecycle/live-lease.ts';
import { rehearsalStateDir } from './lifecycle/state-root.ts';
import { synthesize, type SynthesizedStack } from './lifecycle/synth.ts';
import {
  applyCommand,
  initCommand,
  outputCommand,
  stateListCommand,
  terraformPlan,
} from './lifecycle/terraform-commands.ts';
import { cloudWatchHealthProbe, waitForHealthyTargets, type HealthProbe } from './lifecycle/wait-healthy.ts';

export { readInfraConfig, rehearsalIdOf };

export interface AwsTargetOptions {
  /** JSON file with { store, fleet, state } configs (infra/aws/README.md). */
  configPath: string;
  /** Catalogue manifest of the deployed store (seeding on AWS is the store's own job). */
  catalogue?: string;
  /** Where synth output and local Terraform state live (default: lifecycle/state-root.ts). */
  stateRoot?: string;
  log: (line: string) => void;
  /** Aborting stops terraform with one SIGINT; lifecycle/interrupts.ts turns Ctrl-C into this. */
  signal?: AbortSignal;
  /** How `up` learns the ALB's target health (default: CloudWatch); tests pass their own. */
  healthProbe?: (outputs: Record<string, { value: unknown }>) => HealthProbe;
  /** How long `up` waits for healthy targets (default 15 minutes: bootstrap installs software at boot). */
  healthTimeoutMs?: number;
  healthIntervalMs?: number;
}

type Outputs = Record<string, { value: unknown }>;

export function awsTarget(opts: AwsTargetOptions): Target {
  const infra = readInfraConfig(opts.configPath);
  const id = rehearsalIdOf(infra);
  const dir = rehearsalStateDir(id, opts.stateRoot);
  const log = (line: string) => opts.log(`aws ${id}: ${line}`);

  const stateList = async (binary: string, s: SynthesizedStack): Promise<string[]> =>
    (
      await runTerraformCommand(
        { command: binary, args: stateListCommand(s.dir), label: `${s.name}: state list` },
        { log },
      )
    )
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  const readOutputs = async (binary: string, s: SynthesizedStack): Promise<Outputs> =>
    JSON.parse(
      await runTerraformCommand({ command: binary, args: outputCommand(s.dir), label: `${s.name}: output` }, { log }),
    );

  /** After a failed or interrupted up: destroy the stacks it created, leave the ones that were there before. */
  async function undo(touched: Array<{ stack: SynthesizedStack; before: string[] }>, binary: string) {
    const created = touched.filter((t) => t.before.length === 0).map((t) => t.stack);
    for (const t of touched.filter((x) => x.before.length > 0)) {
      const after = await stateList(binary, t.stack).catch(() => t.before);
      const added = after.filter((a) => !t.before.includes(a));
      log(
        `${t.stack.name} was running before this up: left in place (only \`rehearse stack down\` destroys it)` +
          (added.length
            ? `; this up added ${added.length} resource(s) to it (${added.slice(0, 5).join(', ')}${added.length > 5 ? ', …' : ''}): ` +
              'run `stack up` again to converge'
            : ''),
      );
    }
    if (created.length === 0) return log('nothing this up created to tear down');
    // Not tied to opts.signal: a Ctrl-C that interrupted `up` must not interrupt the clean-up.
    await runTerraformPlan(terraformPlan(binary, created, 'down'), { log });
  }

  async function destroy(stacks: SynthesizedStack[], binary: string) {
    const live = stacks.filter((s) => stateHasResources(s.dir));
    if (live.length === 0) return log('nothing deployed to destroy');
    await runTerraformPlan(terraformPlan(binary, live, 'down'), { log });
  }

  async function bringUp(): Promise<Endpoint> {
    if (!infra.store)
      throw new InputError(
        `--aws-config ${opts.configPath} has no "store": the AWS target needs the WordPress stack to rehearse against`,
      );
    if (!opts.catalogue)
      throw new InputError(
        '--target aws needs --catalogue FILE: the deployed store\'s categories and products (format: scenarios/README.md, "Catalogue")',
      );
    const { terraform, credentials } = preflight();
    const binary = terraform.path;
    log(
      `credentials from ${credentials.source}; ${terraform.flavor} at ${binary}; account ${infra.store.accountId} only (allowed_account_ids)`,
    );
    log(`synthesizing ${stackOrder(infra).join(', ')} into ${dir}`);
    const stacks = synthesize(infra, dir);
    const touched: Array<{ stack: SynthesizedStack; before: string[] }> = [];
    // While this up runs, `rehearse reap` on this machine leaves the rehearsal alone.
    const release = holdLease(dir, 'stack up');
    try {
      for (const s of stacks) {
        if (opts.signal?.aborted) throw new TerraformError(`interrupted before ${s.name}`);
        await runTerraformCommand(
          { command: binary, args: initCommand(s.dir), label: `${s.name}: init` },
          { log, signal: opts.signal },
        );
        const before = await stateList(binary, s);
        touched.push({ stack: s, before });
        log(
          before.length ? `${s.name}: running (${before.length} resources): applying changes only` : `${s.name}: new`,
        );
        await runTerraformCommand(
          { command: binary, args: applyCommand(s.dir), label: `${s.name}: apply` },
          { log, signal: opts.signal },
        );
      }
      const outputs = await readOutputs(binary, stacks[0]!);
      const baseUrl = outputs.site_url?.value;
      if (typeof baseUrl !== 'string')
        throw new TerraformError(`the store stack has no site_url output; see ${stacks[0]!.dir}`);
      if (typeof outputs.lifetime?.value === 'string') log(outputs.lifetime.value);
      if (!baseUrl.startsWith('https://'))
        log(`no certificate configured: this rehearsal runs over plain HTTP (${baseUrl}); set store.domain for HTTPS`);
      const probe = (opts.healthProbe ?? defaultProbe(infra))(outputs);
      await waitForHealthyTargets({
        probe,
        want: Math.max(1, infra.store.app.desired),
        timeoutMs: opts.healthTimeoutMs ?? 15 * 60_000,
        intervalMs: opts.healthIntervalMs,
        log,
        signal: opts.signal,
      });
      return { baseUrl: baseUrl.replace(/\/+$/, ''), cataloguePath: opts.catalogue };
    } catch (err) {
      log(`${opts.signal?.aborted ? 'interrupted' : 'failed'}: tearing down only what this up created`);
      const cleaned = await undo(touched, binary).then(
        () => true,
        (e) => {
          log(`teardown failed too: ${(e as Error).message}; run \`rehearse stack down\` or \`rehearse reap\``);
          return false;
        },
      );
      // Ctrl-C is not a failure of the stack: exit 130, saying what is left.
      if (opts.signal?.aborted && cleaned) {
        throw new InterruptedError(
          `stack up interrupted: Terraform stopped cleanly and what this up created is gone (${(err as Error).message.split('\n')[0]})`,
        );
      }
      throw err;
    } finally {
      release();
    }
  }

  /** The up in progress: a down meanwhile (a second Ctrl-C) waits for it rather than race it for the state lock. */
  let upInFlight: Promise<Endpoint> | undefined;

  return {
    kind: 'aws',
    async up(): Promise<Endpoint> {
      upInFlight = bringUp();
      try {
        return await upInFlight;
      } finally {
        upInFlight = undefined;
      }
    },
    async down() {
      if (upInFlight) {
        log('waiting for the interrupted up to stop Terraform and tear down what it created; then destroying the rest');
        await upInFlight.catch(() => {});
      }
      let stacks = existingStacks(dir, infra);
      // With state in S3, another machine may have run `up`: synthesize here (no AWS call) and destroy.
      if (stacks.length === 0 && infra.state?.backend === 's3') stacks = synthesize(infra, dir);
      if (stacks.length === 0)
        return log(
          `no synthesized stacks under ${dir}: nothing to destroy here (\`rehearse reap\` lists tagged leftovers)`,
        );
      const release = holdLease(dir, 'stack down');
      try {
        await destroy(stacks, preflight().terraform.path);
      } finally {
        release();
      }
    },
    /** CloudWatch + DescribeScalingActivities for the window, as rehearse.telemetry/v1. */
    async telemetry(from: number, to: number): Promise<Telemetry> {
      const store = existingStacks(dir, infra)[0];
      if (!store || !infra.store)
        throw new InputError(`no deployed store under ${dir}: run \`rehearse stack up --target aws\` first`);
      const outputs = await readOutputs(preflight().terraform.path, store);
      const region = infra.store.region;
      // The runner fleet, when deployed: its machines in the window are the rehearsal's own cost.
      let runnerGroups: RunnerGroupTarget[] | undefined;
      if (infra.fleet) {
        const fleet = infra.fleet;
        runnerGroups = await readFleetEndpoint({ configPath: opts.configPath, stateRoot: opts.stateRoot, log })
          .then((e) =>
            e.groups.map((g) => ({
              ...g,
              defaultType: fleet.instanceTypes[0]!,
              autoScaling: new AutoScalingClient({ region: g.region }),
            })),
          )
          .catch((e) => {
            log(`runner fleet not read for the cost (${(e as Error).message})`);
            return undefined;
          });
      }
      const { telemetry, unmapped } = await collectCloudWatchTelemetry({
        window: { from, to },
        targets: targetsFromOutputs(outputs),
        cloudWatch: new CloudWatchClient({ region }),
        autoScaling: new AutoScalingClient({ region }),
        stackConfig: infra.store,
        runnerGroups,
      });
      if (unmapped.elb5xx.some((p) => p.v > 0))
        log(
          `the ALB itself answered 5xx ${unmapped.elb5xx.reduce((a, p) => a + p.v, 0)} times (targets overloaded or none healthy)`,
        );
      return telemetry;
    },
    async status(): Promise<TargetStatus> {
      const stacks = existingStacks(dir, infra);
      const components = stacks.map((s) => ({ name: s.name, alive: stateHasResources(s.dir) }));
      return { kind: 'aws', running: components.some((c) => c.alive), components };
    },
  };
}

function defaultProbe(infra: RehearsalInfra) {
  return (outputs: Outputs): HealthProbe =>
    cloudWatchHealthProbe(
      infra.store!.region,
      String(outputs.alb_arn_suffix?.value),
      String(outputs.target_group_arn_suffix?.value),
    );
}
