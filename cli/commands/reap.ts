// rehearse reap: list what past rehearsals left in AWS (dry run), or with --destroy remove it after
// asking. The work is in infra/aws/lifecycle/reaper.ts; this only reads flags and asks.
import { createInterface } from 'node:readline/promises';
import { InputError } from '../../errors/errors.ts';
import { readInfraConfig } from '../../infra/aws/config/infra-config.ts';
import { preflight } from '../../infra/aws/lifecycle/preflight.ts';
import { reap, reapRegions, type RegionalLeftover } from '../../infra/aws/lifecycle/reaper.ts';
import { defaultStateRoot } from '../../infra/aws/lifecycle/state-root.ts';
import { log, newCommand, out, parseDuration } from './command.ts';

interface ReapFlags {
  region?: string[];
  awsConfig?: string;
  olderThan: number;
  destroy?: boolean;
  yes?: boolean;
  includeUnknownAge?: boolean;
  exclude?: string[];
  stateRoot: string;
  json?: boolean;
}

const NO_TERMINAL =
  '--destroy asks before deleting and there is no terminal to ask on: run without --destroy first (a dry run), ' +
  'then add --yes to destroy what it listed without asking';

async function askToDestroy(leftovers: RegionalLeftover[]): Promise<boolean> {
  if (!process.stdin.isTTY) throw new InputError(NO_TERMINAL);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const count = leftovers.reduce((n, l) => n + l.resources.length, 0);
    const answer = await rl.question(
      `destroy ${leftovers.length} rehearsal(s), ${count} resource(s) (${leftovers.map((l) => l.rehearsalId).join(', ')})? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export function reapCommand() {
  return newCommand('reap')
    .description(
      'list AWS resources left by past rehearsals (by their rehearse:rehearsal-id tag; a dry run); --destroy removes them after asking',
    )
    .option('--aws-config <file>', 'look in every region this config names (store and fleet)')
    .option('--region <region...>', 'regions to look in (besides those of --aws-config; default us-east-1)')
    .option('--older-than <duration>', 'only rehearsals older than this (e.g. 6h, 90m)', parseDuration, 6 * 3600)
    .option('--include-unknown-age', 'also list rehearsals whose age cannot be told')
    .option('--exclude <id...>', 'rehearsal ids to leave alone (besides live ones: expires-at tag ahead)')
    .option(
      '--destroy',
      'destroy what is listed, after asking (Terraform where its state is here, else the API for S3 buckets)',
    )
    .option('--yes', 'with --destroy: do not ask (for scripts; run without --destroy first)')
    .option('--state-root <dir>', 'where `stack up --target aws` kept synth output and state', defaultStateRoot())
    .option('--json', 'print the leftovers as JSON')
    .action(async (flags: ReapFlags) => {
      if (flags.yes && !flags.destroy) throw new InputError('--yes only goes with --destroy');
      if (flags.destroy && !flags.yes && !process.stdin.isTTY) throw new InputError(NO_TERMINAL);
      preflight({ requireTerraform: false });
      const regions = reapRegions(flags.awsConfig ? readInfraConfig(flags.awsConfig) : undefined, flags.region);
      const result = await reap({
        regions,
        olderThanS: flags.olderThan,
        endpoint: process.env.REHEARSE_AWS_ENDPOINT,
        exclude: flags.exclude,
        includeUnknownAge: flags.includeUnknownAge,
        destroy: Boolean(flags.destroy),
        stateRoot: flags.stateRoot,
        log,
        confirm: flags.yes ? async () => true : askToDestroy,
        terraformPath: () => preflight().terraform.path,
      });
      if (flags.json) out(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.leftovers.length === 0)
        log(`no rehearsal resources older than ${flags.olderThan / 3600} h in ${regions.join(', ')}`);
      else {
        for (const l of result.leftovers) {
          out(
            `${l.rehearsalId}  ${l.regions.join(',')}  ${l.ageHours ?? '?'} h old (${l.ageFrom})  ${l.resources.length} resource(s)\n`,
          );
          for (const r of l.resources) out(`    ${r.type}  ${r.arn}\n`);
        }
        if (!flags.destroy) log('dry run: nothing deleted; add --destroy to remove these (it asks first)');
      }
    });
}
