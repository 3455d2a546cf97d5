// Every subcommand shares these settings: usage errors throw (exit 2) instead of exiting inside commander.
import { Command, InvalidArgumentError } from 'commander';

export function newCommand(name: string): Command {
  return new Command(name).showHelpAfterError('(run with --help for usage)').exitOverride();
}

/** Where a command writes: the process's streams, or a test's buffers when main() runs in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const PROCESS_IO: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

// One CLI invocation at a time per process (main() sets it): commands need not thread io through.
let current: { io: CliIo; exitCode?: number } = { io: PROCESS_IO };

export function beginInvocation(io: CliIo): { io: CliIo; exitCode?: number } {
  current = { io };
  return current;
}

/** Log lines go to stderr so stdout stays clean for machine-readable output. */
export const log = (line: string) => current.io.stderr(`${line}\n`);

/** Machine-readable output: a run directory, JSON, a table. */
export const out = (text: string) => current.io.stdout(text);

/** The exit code the invocation ends with unless an error decides it (gate failed, interrupted, …). */
export function setExitCode(code: number): void {
  current.exitCode = code;
}

export function parsePositive(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive number, got "${value}"`);
    return n;
  };
}

/** "90s", "2m", "1h30m" or plain seconds → seconds. */
export function parseDuration(value: string): number {
  const plain = Number(value);
  if (Number.isFinite(plain) && plain > 0) return plain;
  const m = value.match(/^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/);
  const s = m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!m || !(s > 0)) throw new InvalidArgumentError(`"${value}" is not a duration: use e.g. 90s, 2m or 1h30m`);
  return s;
}
