// rehearse reap: find AWS resources tagged by past rehearsals (a Ctrl-C at the wrong moment or a
// lost state file leaves them behind), and destroy those whose Terraform state is on this machine.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { findLeftovers, type Leftover } from '../../infra/aws/lifecycle/reap.ts';
import { preflight } from '../../infra/aws/lifecycle/preflight.ts';
import { runTerraformPlan } from '../../infra/aws/lifecycle/run-terraform.ts';
import { terraformPlan } from '../../infra/aws/lifecycle/terraform-commands.ts';
import { log, newCommand, parseDuration, out } from './command.ts';

export interface ReapOptions {
  regions: string[];
  olderThanS: number;
  endpoint?: string;
}

export async function listLeftovers(opts: ReapOptions): Promise<Array<Leftover & { region: string }>> {
  const out: Array<Leftover & { region: string }> = [];
  for (const region of opts.regions) {
    const client = new ResourceGroupsTaggingAPIClient({ region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) });
    const found = await findLeftovers({ getResources: (input) => client.send(new GetResourcesCommand(input)), olderThanHours: opts.olderThanS / 3600 });
    out.push(...found.map((l) => ({ ...l, region })));
  }
  return out;
}

/** Stack directories this machine still holds the Terraform state of, for one rehearsal. */
function localStacks(stateRoot: string, id: string) {
  const stacksDir = join(resolve(stateRoot), id, 'stacks');
  if (!existsSync(stacksDir)) return [];
  return readdirSync(stacksDir).map((name) => ({ name, dir: join(stacksDir, name), file: join(stacksDir, name, 'cdk.tf.json') }));
}

export function reapCommand() {
  return newCommand('reap')
    .description('list AWS resources left by past rehearsals (by their rehearse:rehearsal-id tag); --destroy removes them')
    .option('--region <region...>', 'regions to look in', ['us-east-1'])
    .option('--older-than <duration>', 'only rehearsals older than this (e.g. 6h, 90m)', parseDuration, 6 * 3600)
    .option('--destroy', 'terraform destroy each leftover rehearsal whose state is on this machine')
    .option('--state-root <dir>', 'where `stack up --target aws` kept synth output and state', '.state/aws')
    .option('--json', 'print the leftovers as JSON')
    .action(async (flags: { region: string[]; olderThan: number; destroy?: boolean; stateRoot: string; json?: boolean }) => {
      preflight({ requireTerraform: Boolean(flags.destroy) });
      const leftovers = await listLeftovers({ regions: flags.region, olderThanS: flags.olderThan, endpoint: process.env.REHEARSE_AWS_ENDPOINT });
      if (flags.json) out(`${JSON.stringify(leftovers, null, 2)}\n`);
      else if (leftovers.length === 0) log(`no rehearsal resources older than ${flags.olderThan / 3600} h in ${flags.region.join(', ')}`);
      for (const l of leftovers) {
        if (!flags.json) {
          out(`${l.rehearsalId}  ${l.region}  ${l.ageHours ?? '?'} h old  ${l.resources.length} resource(s)\n`);
          for (const r of l.resources) out(`    ${r.type}  ${r.arn}\n`);
        }
        if (!flags.destroy) continue;
        const stacks = localStacks(flags.stateRoot, l.rehearsalId);
        if (stacks.length === 0) {
          log(`${l.rehearsalId}: no Terraform state here; delete its resources in the console or with the AWS CLI (tag rehearse:rehearsal-id=${l.rehearsalId})`);
          continue;
        }
        await runTerraformPlan(terraformPlan(preflight().terraform.path, stacks, 'down'), { log });
      }
    });
}
