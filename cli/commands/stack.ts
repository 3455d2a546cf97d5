// rehearse stack up|down|status
import { addTargetOptions, targetFrom, type TargetFlags } from './target-options.ts';
import { log, newCommand } from './command.ts';

export function stackCommand() {
  const stack = newCommand('stack').description('bring the target stack up, down, or show its status');

  stack.addCommand(addTargetOptions(newCommand('up').description('start the target (idempotent: a second up is a no-op) and print its URL'))
    .action(async (flags: TargetFlags) => {
      const started = Date.now();
      const endpoint = await (await targetFrom(flags)).up();
      log(`stack up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${endpoint.baseUrl}`);
      process.stdout.write(`${endpoint.baseUrl}\n`);
    }));
  stack.addCommand(addTargetOptions(newCommand('down').description('stop every process the target started'))
    .action(async (flags: TargetFlags) => {
      await (await targetFrom(flags)).down();
      log('stack down');
    }));
  stack.addCommand(addTargetOptions(newCommand('status').description('show each component, its pid and whether it is alive (JSON with --json)'))
    .option('--json', 'print the status as JSON')
    .action(async (flags: TargetFlags & { json?: boolean }) => {
      const status = await (await targetFrom(flags)).status();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${status.kind}: ${status.running ? `running at ${status.baseUrl}` : 'not running'}\n`);
      for (const c of status.components) {
        process.stdout.write(`  ${c.alive ? 'up  ' : 'down'}  ${c.name.padEnd(16)} ${c.pid ?? ''} ${c.listen ?? ''}\n`);
      }
    }));
  return stack;
}
