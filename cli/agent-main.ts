// Entry point of a local agent process started by the controller (runners/distributed): the
// same command as `rehearse agent`, without needing it registered in cli/main.ts.
import { CommanderError } from 'commander';
import { agentCommand } from './commands/agent.ts';
import { exitCodeFor } from '../errors/errors.ts';

try {
  await agentCommand().parseAsync(process.argv);
  process.exitCode ??= 0;
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`rehearse agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = exitCodeFor(err);
  }
}
