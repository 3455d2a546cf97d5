// The bottom layer: every error Rehearse throws on purpose, with the exit code it means. This file
// imports nothing, so every stage (scenarios, runners, reports, infra, the CLI) can import it.
// Exit codes are part of the CLI's contract (README "Exit codes").
export const EXIT = {
  ok: 0,
  gateFailed: 1,
  usage: 2,
  runFailed: 3,
  /** The run finished but cannot be vouched for: a runner was lost, so its load was not all counted. */
  partialRun: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every deliberate error: a message that says what to do next, an exit code, an optional hint. */
export abstract class RehearseError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    // Subclasses are named for what went wrong, e.g. "ProfileError"; stack traces show it.
    this.name = new.target.name;
  }
}

/** Bad input the user can fix: a file, a field, a flag. Exit 2. */
export class InputError extends RehearseError {
  readonly exitCode: ExitCode = EXIT.usage;
}

/** The environment or the target let the run down (a process would not start, k6 crashed). Exit 3. */
export class RunError extends RehearseError {
  readonly exitCode: ExitCode = EXIT.runFailed;
}

/** Ctrl-C before anything worth keeping existed. Exit 130, like a shell. */
export class InterruptedError extends RehearseError {
  readonly exitCode: ExitCode = EXIT.interrupted;
}

/** The exit code an error means: its own for a RehearseError, 3 (the run failed) for anything else. */
export function exitCodeFor(err: unknown): ExitCode {
  return err instanceof RehearseError ? err.exitCode : EXIT.runFailed;
}
