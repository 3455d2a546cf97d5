// rehearse stack up|down|status
import { addTargetOptions } from './target-options.ts';
import { targetFrom, type TargetFlags } from '../../pipeline/target-from.ts';
import { log, newCommand, parseDuration, parsePositive, out } from './command.ts';
import { confirmCost, estimateAwsRehearsal } from '../../pipeline/aws-cost-guard.ts';
import { readInfraConfig } from '../../infra/aws/aws-target.ts';
import { catchInterrupts } from '../../infra/aws/lifecycle/interrupts.ts';
import { synthesizeForReview } from '../../infra/aws/lifecycle/synth.ts';
import { InputError } from '../../errors/errors.ts';

interface UpFlags extends TargetFlags {
  yes?: boolean;
  confirmAbove: number;
  for: number;
}

export function stackCommand() {
  const stack = newCommand('stack').description('bring the target stack up, down, or show its status');

  stack.addCommand(
    addTargetOptions(
      newCommand('up').description('start the target (idempotent: a second up is a no-op) and print its URL'),
    )
      .option('--yes', 'aws: deploy even when the cost estimate is above --confirm-above, without asking')
      .option(
        '--confirm-above <usd>',
        'aws: ask before deploying when the estimate is above this many dollars',
        parsePositive('--confirm-above'),
        10,
      )
      .option('--for <duration>', 'aws: how long the load will run, for the cost estimate', parseDuration, 3600)
      .action(async (flags: UpFlags) => {
        const started = Date.now();
        let interrupts;
        if (flags.target === 'aws') {
          if (!flags.awsConfig) throw new InputError('--target aws needs --aws-config FILE (infra/aws/README.md)');
          const estimate = await estimateAwsRehearsal(readInfraConfig(flags.awsConfig), {
            durationSeconds: flags.for,
            expectedRequests: 0,
          });
          await confirmCost(estimate, flags.confirmAbove, Boolean(flags.yes), log);
          // Ctrl-C: one SIGINT to terraform, then only what this up created is destroyed; more Ctrl-C is ignored.
          interrupts = catchInterrupts(log);
        }
        try {
          const endpoint = await (await targetFrom(flags, log, interrupts?.signal)).up();
          log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${endpoint.baseUrl}`);
          out(`${endpoint.baseUrl}\n`);
        } finally {
          interrupts?.dispose();
        }
      }),
  );
  stack.addCommand(
    newCommand('synth')
      .description(
        'aws: write the Terraform JSON of every stack (one cdk.tf.json each) to read and scan before deploying; needs no AWS credentials',
      )
      .requiredOption('--aws-config <file>', 'the stack and runner-fleet config (infra/aws/README.md)')
      .requiredOption('--out <dir>', 'where to write stacks/<name>/cdk.tf.json')
      .action((flags: { awsConfig: string; out: string }) => {
        for (const s of synthesizeForReview(flags.awsConfig, flags.out)) out(`${s.file}\n`);
      }),
  );
  stack.addCommand(
    addTargetOptions(newCommand('down').description('stop every process the target started')).action(
      async (flags: TargetFlags) => {
        await (await targetFrom(flags, log)).down();
        log('stack down');
      },
    ),
  );
  stack.addCommand(
    addTargetOptions(
      newCommand('status').description('show each component, its pid and whether it is alive (JSON with --json)'),
    )
      .option('--json', 'print the status as JSON')
      .action(async (flags: TargetFlags & { json?: boolean }) => {
        const status = await (await targetFrom(flags, log)).status();
        if (flags.json) {
          out(`${JSON.stringify(status, null, 2)}\n`);
          return;
        }
        out(`${status.kind}: ${status.running ? `running at ${status.baseUrl}` : 'not running'}\n`);
        for (const c of status.components) {
          out(`  ${c.alive ? 'up  ' : 'down'}  ${c.name.padEnd(16)} ${c.pid ?? ''} ${c.listen ?? ''}\n`);
        }
      }),
  );
  stack.addCommand(
    newCommand('kill-instance')
      .description(
        'local replica: SIGKILL one app instance mid-run, as a crash would; the balancer stops sending to it and the autoscaler replaces it',
      )
      .option('--instance <i>', 'which instance index (default: the first live one)', (v) => Number.parseInt(v, 10))
      .action(async (flags: { instance?: number }) => {
        const { killInstance } = await import('../../infra/local/replica.ts');
        log(await killInstance({ log }, flags.instance));
      }),
  );
  return stack;
}
