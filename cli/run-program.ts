// The one place an invocation's outcome becomes an exit code, for `rehearse` and for the agent entry.
import { CommanderError, type Command } from 'commander';
import { z } from 'zod';
import { EXIT, exitCodeFor, RehearseError } from '../errors/errors.ts';
import { beginInvocation, type CliIo } from './commands/command.ts';

/** The exit code for an error: ours carry theirs; a schema error that escaped its stage is bad input. */
function codeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // --help, --version
  if (err instanceof z.ZodError) return EXIT.usage;
  return exitCodeFor(err);
}

export async function runProgram(program: Command, argv: string[], io: CliIo): Promise<number> {
  const invocation = beginInvocation(io);
  // addCommand() does not pass output settings down: every (sub)command writes to this invocation's io.
  const reach = (cmd: Command) => {
    cmd.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    cmd.commands.forEach(reach);
  };
  reach(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return invocation.exitCode ?? EXIT.ok;
  } catch (err) {
    const code = codeFor(err);
    if (!(err instanceof CommanderError)) {
      const msg = err instanceof Error ? err.message : String(err);
      const hint = err instanceof RehearseError && err.hint ? `\n${err.hint}` : '';
      io.stderr(
        `rehearse ${program.name() === 'rehearse' ? '' : `${program.name()} `}`.trimEnd() + `: ${msg}${hint}\n`,
      );
      if (code === EXIT.runFailed && process.env.REHEARSE_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
    }
    return code;
  }
}
